"""A learning brief's document names who approved it in the words of the referral's profile:
the Safeguarding Children Board's independent chair under 2013, never that Board under
Working Together 2023."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from filed import CATASTROPHIC, file

from bot.delivery.brief_texts import brief_texts
from storage import briefs
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("profile", "named", "absent"),
    [
        ("2013", "the Safeguarding Children Board's independent chair", "safeguarding partners"),
        ("wt2023", "the chair, for the local safeguarding partners", "Safeguarding Children Board"),
    ],
)
def test_the_brief_document_names_its_approver_in_the_profiles_words(
    tmp_path: Path, profile: str, named: str, absent: str
) -> None:
    db = open_db(tmp_path / "board.db")
    try:
        referral = file(db, CATASTROPHIC, NOW, profile=profile)
        briefs.start_brief(db, referral.ref, "done", [], 3001, NOW)
        sections = dict.fromkeys(briefs.SECTIONS, "Synthetic section text.")
        briefs.save_sections(db, referral.ref, "done", sections, True, NOW)
        briefs.approve(db, referral.ref, 2001, NOW)
        brief = briefs.get_brief(db, referral.ref)
        assert brief is not None
        html = brief_texts(brief, False, referral.profile).html
    finally:
        db.conn.close()
    assert f"Approved 02 Mar 2026 by {named}." in html.replace("&#39;", "'")
    assert absent not in html

"""Texts that name the framework take its terms from the referral's profile: the Terms of
Reference of a review under Working Together 2023 speaks of LCSPRs, the safeguarding partners
and the Child Safeguarding Practice Review Panel; under 2013 it keeps the document's own words;
the annual update names the body it is shared with from the configured profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filed import file
from officers_support import CATASTROPHIC, decide
from test_officers_tor import ANSWERS

from matrix import load_matrix, load_profile
from reports.annual import AnnualFigures, render_report
from reports.tor_document import framework, render_tor
from storage import plans
from storage.db import open_db
from storage.referrals import Referral

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


def file_under(db_path: Path, profile: str) -> Referral:
    matrix = load_profile(profile)
    db = open_db(db_path)
    try:
        referral = file(
            db,
            CATASTROPHIC,
            NOW,
            profile=matrix.profile,
            referrer=4242,
            agencies=["Health"],
            description="Synthetic case.",
            board_chat_id=None,
            chair_ids=[],
        )
        plans.save_plan(db, referral.ref, "done", ANSWERS, 3001, NOW)
        plan = plans.get_plan(db, referral.ref)
        assert plan is not None
    finally:
        db.conn.close()
    return decide(db_path, referral.ref, NOW)


def tor_markdown(db_path: Path, referral: Referral) -> str:
    db = open_db(db_path)
    try:
        plan = plans.get_plan(db, referral.ref)
        assert plan is not None
    finally:
        db.conn.close()
    return render_tor(referral, plan, dt.date(2026, 3, 3)).markdown


def test_a_tor_under_wt2023_uses_the_2023_terms(tmp_path: Path) -> None:
    path = tmp_path / "triage.db"
    referral = file_under(path, "wt2023")
    md = tor_markdown(path, referral)
    assert md.startswith("# Terms of Reference: Local Child Safeguarding Practice Review")
    assert "The LCSPR panel to advise" in md
    assert "Child Safeguarding Practice Review Panel on LCSPRs" in md
    assert "Working Together to Safeguard Children (2023)" in md
    assert "Child Safeguarding Practice Review Panel consulted" in md
    assert "From the safeguarding partners' *Learning" in md
    assert "Rapid review" in md  # the route begins with it
    for old in ("SCR", "SSCB", "the Board", "Working Together (2013)"):
        assert old not in md, old


def test_a_tor_under_2013_keeps_the_documents_own_words(tmp_path: Path) -> None:
    path = tmp_path / "triage.db"
    md = tor_markdown(path, file_under(path, "2013"))
    assert md.startswith("# Terms of Reference: Serious Case Review")
    assert "The SCR panel to advise" in md and "From the Board's *Learning" in md
    assert "National panel of independent experts consulted" in md
    assert "LCSPR" not in md and "Rapid review" not in md
    assert framework().scr_process == framework(load_matrix().terms).scr_process


def test_the_annual_update_names_the_body_of_the_profile() -> None:
    empty = AnnualFigures(year=2026)
    old = render_report(empty, dt.date(2026, 12, 1))
    assert "to be shared with the SSCB" in old.markdown and "as the Board's" in old.html
    new = render_report(empty, dt.date(2026, 12, 1), load_profile("wt2023").terms)
    for text in (new.markdown, new.html):
        assert "to be shared with the safeguarding partners" in text
        assert "as the safeguarding partners' " in text
        assert "SSCB" not in text and "the Board's" not in text

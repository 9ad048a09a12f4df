"""The Terms of Reference document rendered from a stored referral and plan (no server): the
process items by review type, every plan item, and free text kept inert in both formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from officers_support import CATASTROPHIC, LOW, decide, file

from reports.tor_document import PlanIncomplete, framework, render_tor
from storage import plans
from storage.db import open_db
from storage.plans import Plan

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
ANSWERS = {
    "methodology": "other",
    "methodology_reason": "Appreciative inquiry [learning event] *with* <script>alert(1)</script>",
    "iar_agencies": [],
    "family": "yes",
    "staff": "no",
    "staff_reason": "The two practitioners have left the agency",
    "panel": "na",
    "publication": "letter",
    "iar_due": "2026-04-30",
    "report_due": "2026-06-30",
    "publication_date": "2026-07-31",
    "author": "Designated nurse | lead",
}


def _plan(db_path: Path, ref: str, state: str = "done") -> Plan:
    db = open_db(db_path)
    try:
        return plans.save_plan(db, ref, state, ANSWERS, 3001, NOW)
    finally:
        db.conn.close()


def test_other_review_quotes_both_process_lists_and_the_plan(tmp_path: Path) -> None:
    db_path = tmp_path / "triage.db"
    referral = decide(db_path, file(db_path, LOW, NOW).ref, NOW)
    document = render_tor(referral, _plan(db_path, referral.ref), dt.date(2026, 3, 3))
    assert document.html_name == f"ToR-{referral.ref}.html"
    assert document.markdown_name == f"ToR-{referral.ref}.md"

    md = document.markdown
    assert md.startswith("# Terms of Reference: Practice manager audit or review")
    fw = framework()
    for number, text in fw.scr_process:
        assert f"- **{number}.** {text}" in md
    for number, text in fw.other_process:
        assert f"- **{number}.**" in md and text.split(".")[0] in md
    for i, purpose in enumerate(fw.purposes, start=1):
        assert f"{i}. {purpose}" in md
    assert "Reason: Appreciative inquiry \\[learning event\\] \\*with\\* \\<script\\>" in md
    assert "- None requested." in md
    assert "- The child and family will be involved." in md
    assert "**Decision recorded: The two practitioners have left the agency**" in md
    assert "- Not applicable" in md and "- Management letter" in md
    assert "Individual agency reviews due: 30 April 2026" in md
    assert "- Designated nurse \\| lead" in md
    assert "Generated on 03 March 2026" in md

    html = document.html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count('<ol class="process">') == 2
    assert '<li value="16">' in html


def test_serious_case_review_quotes_its_process(tmp_path: Path) -> None:
    db_path = tmp_path / "triage.db"
    referral = decide(db_path, file(db_path, CATASTROPHIC, NOW).ref, NOW)
    document = render_tor(referral, _plan(db_path, referral.ref), dt.date(2026, 3, 3))
    assert "# Terms of Reference: Serious Case Review" in document.markdown
    assert document.html.count('<ol class="process">') == 1
    assert "In other types of review" not in document.html
    assert "the child has died" in document.markdown


def test_an_incomplete_plan_has_no_document(tmp_path: Path) -> None:
    db_path = tmp_path / "triage.db"
    referral = decide(db_path, file(db_path, LOW, NOW).ref, NOW)
    with pytest.raises(PlanIncomplete, match="not complete"):
        render_tor(referral, _plan(db_path, referral.ref, "family"), dt.date(2026, 3, 3))

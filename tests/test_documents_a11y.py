"""Every HTML document the bot writes meets WCAG 2.2 AA as far as tools can tell: the annual
update, a review's Terms of Reference, a learning brief, the privacy notice, a review's
multi-agency chronology and its draft overview report, each rendered
from synthetic data as the bot renders it, pass axe-core at a desktop's width, 390 px and 320 px
(no sideways scrolling) in light and dark, and the Nu HTML checker finds no error; their tables
have captions and header scope, their charts a viewBox and no fixed size, and the two sent to
phones (brief, ToR) read well at 360 px. Skipped without Chromium (or java, for the checker)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from a11y import (
    INSTALL_HINT,
    assert_accessible,
    assert_accessible_everywhere,
    chromium_page,
    nu_errors,
    system_chromium,
    system_java,
)
from filed import CATASTROPHIC, SEVERE, database, decide, file
from reviewed import agency_review, reviewed
from sqlite_utils import Database
from test_report import YEAR, populate

from bot.cli import main
from bot.commands.privacy_notice import notice, notice_html
from bot.delivery.brief_texts import brief_texts
from reports.annual import gather_years, render_report
from reports.chronology import build_chronology
from reports.overview import assemble
from reports.tor_document import render_tor
from storage import briefs, outbox, plans, practitioners
from storage.db import open_db
from storage.outbox import OutboxKind

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
PLAN = {
    "methodology": "other",
    "methodology_reason": "Appreciative inquiry with a learning event",
    "iar_agencies": [],
    "family": "yes",
    "staff": "no",
    "staff_reason": "The two practitioners have left the agency",
    "panel": "na",
    "publication": "letter",
    "iar_due": "2026-04-30",
    "report_due": "2026-06-30",
    "publication_date": "2026-07-31",
    "author": "Designated nurse",
}
SECTION = (
    "Synthetic section text, long enough to wrap on a phone: the agencies shared what they knew"
    " late.\nA second line the writer typed."
)
DOCUMENTS = ("annual", "tor", "brief", "privacy", "chronology", "overview")
LONG = (
    "Synthetic entry, long enough to wrap several times on a phone: the health visitor saw the"
    " child at home with the mother and a family friend, noted the home was cold and untidy,"
    " and agreed a follow-up visit within two weeks that did not happen because of sickness."
)


def _review_with_two_agencies_in(db_path: Path) -> str:
    """A review whose plan asked three agencies: Health's and Police's reviews in (several
    chronology entries, long text), Education's still missing."""
    ref = reviewed(db_path, SEVERE, NOW, agencies=("Health", "Police", "Education")).ref
    with database(db_path) as db:
        agency_review(
            db,
            ref,
            "Health",
            NOW,
            lead=6001,
            chronology=[("2025-09-12", LONG), ("2025-11-03", "Missed appointment at clinic.")],
            analysis="Health's records of the family were not shared with the school.",
            went_well="The health visitor escalated promptly.",
            lessons="Ask who else lives at the home at every contact.",
        )
        agency_review(
            db,
            ref,
            "Police",
            NOW,
            lead=6002,
            chronology=[("2025-10-20", LONG), ("2026-01-15", "Joint visit with social care.")],
            analysis="Police shared the call within a day.",
            went_well="Joint visit with social care.",
            lessons="Record who else lives at the home.",
        )
    return ref


def _brief_read_by_agency(db: Database, year: int) -> None:
    """A learning brief of `year` delivered to three practitioners, read by two."""
    moment = dt.datetime(year, 6, 1, 9, tzinfo=dt.UTC)
    people = {5001: "Health", 5002: "Police", 5003: "Education"}
    for user_id, agency in people.items():
        code = practitioners.create_invite(db, agency, "cli", moment)
        practitioners.redeem_invite(db, code, user_id, moment)
    ref = next(db.table("referrals").rows_where("ref like ?", [f"LIR-{year}-%"], limit=1))["ref"]
    briefs.start_brief(db, ref, "done", [], 3001, moment)
    briefs.save_sections(db, ref, "done", dict.fromkeys(briefs.SECTIONS, SECTION), True, moment)
    assert briefs.approve(db, ref, 2001, moment)
    for row in outbox.rows_for(db, ref, OutboxKind.BRIEF):
        outbox.mark_sent(db, row.id, 1, moment)
    for user_id in (5001, 5002):
        assert briefs.record_read(db, ref, user_id, people[user_id], moment)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each document written to a file, as the bot writes or sends it."""
    folder = tmp_path_factory.mktemp("documents")
    populate(folder / "report.db", 60)
    db = open_db(folder / "report.db")
    try:
        _brief_read_by_agency(db, YEAR)  # so the update has its read rate by agency
        figures = gather_years(db, YEAR, dt.date(YEAR, 12, 31), io.StringIO(), False)
    finally:
        db.conn.close()
    _, annual = render_report(figures, dt.date(YEAR + 1, 1, 5)).write(folder)

    db_path = folder / "board.db"
    referral = decide(db_path, file(db_path, CATASTROPHIC, NOW).ref, NOW)
    db = open_db(db_path)
    try:
        plan = plans.save_plan(db, referral.ref, "done", PLAN, 3001, NOW)
        briefs.start_brief(db, referral.ref, "done", [], 3001, NOW)
        briefs.save_sections(
            db, referral.ref, "done", dict.fromkeys(briefs.SECTIONS, SECTION), True, NOW
        )
        briefs.approve(db, referral.ref, 2001, NOW)
        brief = briefs.get_brief(db, referral.ref)
    finally:
        db.conn.close()
    assert brief is not None
    tor = render_tor(referral, plan, NOW.date())
    written = {
        "annual": annual,
        "tor": folder / tor.html_name,
        "brief": folder / f"brief-{referral.ref}.html",
        "privacy": folder / "privacy.html",
    }
    written["tor"].write_text(tor.html, encoding="utf-8")
    written["brief"].write_text(brief_texts(brief, False, referral.profile).html, "utf-8")
    written["privacy"].write_text(notice_html(), encoding="utf-8")

    review_path = folder / "review.db"
    ref = _review_with_two_agencies_in(review_path)
    db = open_db(review_path)
    try:
        chronology = build_chronology(db, ref, NOW.date())
        overview = assemble(db, ref, NOW.date())
    finally:
        db.conn.close()
    written["chronology"] = folder / chronology.html_name
    written["chronology"].write_text(chronology.html, encoding="utf-8")
    written["overview"] = folder / overview.html_name
    written["overview"].write_text(overview.html, encoding="utf-8")
    return written


@pytest.fixture(scope="module")
def chromium() -> str:
    found = system_chromium()
    if found is None:
        pytest.skip(f"needs Chromium on the PATH: {INSTALL_HINT}")
    return found


@pytest.mark.parametrize("name", DOCUMENTS)
async def test_the_document_passes_axe_at_every_width_light_and_dark(
    documents: dict[str, Path], chromium: str, name: str
) -> None:
    async with chromium_page(chromium) as page:
        await page.goto(documents[name].as_uri())
        await assert_accessible_everywhere(page, where=f"the {name} document")


@pytest.mark.parametrize("name", ["brief", "tor"])
async def test_documents_sent_to_phones_read_well_at_360_px(
    documents: dict[str, Path], chromium: str, name: str
) -> None:
    async with chromium_page(chromium, width=360, height=740) as page:
        await page.goto(documents[name].as_uri())
        await assert_accessible(page, where=f"the {name} document on a phone")
        layout = await page.evaluate(
            "() => { const m = document.querySelector('main').getBoundingClientRect();"
            " const p = getComputedStyle(document.querySelector('main p'));"
            " return {left: m.left, right: innerWidth - m.right,"
            " text: parseFloat(p.fontSize), h1: document.querySelectorAll('h1').length,"
            " h2: document.querySelectorAll('main h2').length}; }"
        )
        assert layout["left"] >= 16 and layout["right"] >= 16, layout  # side margins
        assert layout["text"] >= 16, layout  # laid out at the phone's width, not 980 px
        assert layout["h1"] == 1 and layout["h2"] >= 3, layout  # headings to move by


def test_tables_have_captions_and_scope_and_charts_scale(documents: dict[str, Path]) -> None:
    for name, path in documents.items():
        html = path.read_text(encoding="utf-8")
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert html.count("<main") == 1, name
        tables = html.count("<table")
        assert html.count("<caption>") == tables, name
        assert not re.search(r"<th(?=[\s>])(?![^>]*scope=)", html), name
        for svg in re.findall(r"<svg[^>]*>", html):
            assert "viewBox=" in svg and " width=" not in svg, svg
    annual = documents["annual"].read_text(encoding="utf-8")
    assert "Learning briefs by agency" in annual  # the widest table, seven columns
    charts = annual.count("<figure>")
    assert (
        charts >= 10 and annual.count('</figure>\n<div class="table"') == charts
    )  # each chart, then its data


def test_the_documents_are_valid_html(documents: dict[str, Path]) -> None:
    if system_java() is None:
        pytest.skip("the Nu HTML checker needs java: apt-get install default-jre-headless")
    errors = nu_errors(list(documents.values()))
    assert not errors, "\n".join(errors)


def test_the_privacy_notice_as_html_says_what_the_markdown_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["privacy-notice", "--html"]) == 0
    page = capsys.readouterr().out
    assert page == notice_html() + "\n" and page.startswith("<!DOCTYPE html>")
    markdown = notice()
    headings = re.findall(r"^#{1,3} (.+)$", markdown, flags=re.MULTILINE)
    assert re.findall(r"<h[1-3]>(.+?)</h[1-3]>", page) == headings
    rows = [line for line in markdown.splitlines() if line.startswith("| `")]
    assert page.count('<tr><th scope="row"><code>') == len(rows) > 20  # every table row
    assert "**" not in page and "`" not in page  # no Markdown left over

"""SPEC §9 over the local Bot API server: `/chronology REF` (every submitted entry of two
agencies in one table in date order, HTML and CSV), `/overview REF` (the draft overview report
as a Word document opened with python-docx, a heading per part in order, the agency review not
in named missing, no identifier typed surviving into either document), `/reviews` (each
review's stage, next date due and working days behind), who looked in the audit log, and the
refusals: an unknown reference, someone not an officer, no agency review in yet, no plan.
The reviews are reached in storage (`tests/reviewed.py`); the agency reviews are written with
`storage.agency_reviews`' own functions."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import docx
import pytest
from filed import SEVERE, database
from harness import BOARD, OFFICER, STRANGER, Person, Running
from reviewed import (
    DOB,
    IDENTIFIERS,
    NHS,
    OVERVIEW_HEADINGS,
    PHONE,
    POSTCODE,
    agency_review,
    reviewed,
    typed,
)

from bot.cli import main
from bot.delivery.workdays import board_day, working_days_between
from bot.settings import Settings
from localapi import LocalBotAPI
from localapi.models import Call
from services import actions as action_plan
from storage import events, referrals
from templates import render

NOW = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
TODAY = board_day(dt.datetime.now(dt.UTC))
IAR_DUE, REPORT_DUE = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=10)
PLAN_DATES = {  # the agency reviews' and the report's dates past: the reviews are behind
    "iar_due": IAR_DUE.isoformat(),
    "report_due": REPORT_DUE.isoformat(),
    "publication_date": (TODAY + dt.timedelta(days=60)).isoformat(),
}
HEALTH = [
    ("2025-10-14", f"GP saw the child, {DOB}"),
    ("2025-09-03", "Health visitor's new birth visit; contact the health visiting team"),
]
POLICE = [("2025-09-20", f"Police attended a call to the home; contact on {PHONE}")]


def _day(day: dt.date) -> str:
    return day.strftime("%d %B %Y")


def _documents(api: LocalBotAPI, since: int) -> dict[str, tuple[Call, bytes]]:
    """The documents the bot sent to the group since `since`, by file name."""
    found = {}
    for call in api.calls("sendDocument", since=since):
        if call.params["chat_id"] == BOARD and call.result:
            document = call.result["document"]
            found[document["file_name"]] = (call, api.file_bytes(document["file_id"]))
    return found


async def _sent(api: LocalBotAPI, since: int, count: int) -> dict[str, tuple[Call, bytes]]:
    await api.wait_for(lambda: len(_documents(api, since)) >= count, 10, what="the documents")
    return _documents(api, since)


def _two_agencies(db_path: Path, *, police: bool = True) -> str:
    """A review whose terms are agreed, Health's agency review in (and Police's, if asked)."""
    ref = reviewed(db_path, SEVERE, NOW, **PLAN_DATES).ref
    with database(db_path) as db:
        agency_review(
            db,
            ref,
            "Health",
            NOW,
            lead=6001,
            chronology=HEALTH,
            analysis=f"Health's records of the family (NHS number {NHS}) were not shared.",
            went_well="The health visitor escalated promptly.",
            lessons=f"Ask about the home address ({POSTCODE}) at every contact.",
        )
        if police:
            agency_review(
                db,
                ref,
                "Police",
                NOW,
                lead=6002,
                chronology=POLICE,
                analysis="Police shared the call within a day.",
                went_well="Joint visit with social care.",
                lessons="Record who else lives at the home.",
            )
        else:  # started, written, not submitted: nothing of it may enter the documents
            agency_review(
                db, ref, "Police", NOW, lead=6002, analysis="Police draft words", submit=False
            )
    return ref


def _audit(settings: Settings, ref: str) -> list[tuple[str, str, str]]:
    with database(settings.db_path) as db:
        return [(e.actor, e.action, e.detail) for e in events.events_for(db, ref)]


async def test_the_chronology_holds_both_agencies_entries_in_date_order_as_html_and_csv(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    ref = _two_agencies(settings.db_path)
    since = api.mark()
    await board.say(f"/chronology {ref}")
    sent = await _sent(api, since, 2)

    call, page = sent[f"Chronology-{ref}.html"]
    assert "3 entries from Health, Police, in date order" in call.params["caption"]
    rows = list(csv.reader(io.StringIO(sent[f"Chronology-{ref}.csv"][1].decode())))
    assert rows[0] == ["date", "agency", "entry"]
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2025-09-03", "Health"),
        ("2025-09-20", "Police"),
        ("2025-10-14", "Health"),
    ]
    assert rows[3][2] == "GP saw the child, born [REDACTED]"
    text = html.unescape(page.decode())
    assert '<html lang="en-GB">' in text and '<meta name="viewport"' in text
    assert (
        '<main id="content"' in text and "<caption>" in text and '<th scope="col">Date</th>' in text
    )
    assert not re.search(r"font-size: [0-9.]+px", text)  # text sizes in rem (borders 1px)
    assert text.index("03 September 2025") < text.index("20 September 2025")
    for identifier in IDENTIFIERS:
        assert identifier not in text and identifier not in rows.__str__()

    await api.wait_for(lambda: any(a == "chronology" for _, a, _ in _audit(settings, ref)))
    seen = _audit(settings, ref)
    assert (
        str(OFFICER),
        "chronology",
        "multi-agency chronology sent to the board group (3 entries)",
    ) in seen
    assert (str(OFFICER), "viewed", "/chronology") in seen


def _docx_outline(data: bytes) -> tuple[list[str], str]:
    """The Heading 1 texts of a Word document in order, and all its text (tables too)."""
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return headings, "\n".join([p.text for p in document.paragraphs] + cells)


async def test_the_overview_report_is_a_word_document_with_each_part_and_the_missing_named(
    api: LocalBotAPI,
    running: Running,
    settings: Settings,
    board: Person,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ref = _two_agencies(settings.db_path, police=False)
    with database(settings.db_path) as db:
        finding = typed(f"Information about the child ({NHS}) stayed within each agency.")
        action_plan.add_finding(db, ref, OFFICER, finding, NOW)
        due = dt.date.today() + dt.timedelta(days=60)
        action_plan.add_action(db, ref, "Health", due, typed("Train GPs to share"), OFFICER, NOW)
    since = api.mark()
    await board.say(f"/overview {ref}")
    sent = await _sent(api, since, 2)

    call, word = sent[f"Overview-{ref}.docx"]
    assert (
        "Named as missing in it: the agency reviews of Police, not in yet."
        in (call.params["caption"])
    )
    headings, text = _docx_outline(word)
    assert headings == OVERVIEW_HEADINGS
    assert text.index("Why was the nursery's worry not shared?") < text.index("GP saw the child")
    assert "Period under review: From 01 September 2025 to 28 February 2026" in text
    assert "Methodology: SCIE" in text
    assert "Family involvement: Not involved. Reason recorded: The mother asked" in text
    assert "Health visitor's new birth visit" in text  # the chronology's table
    missing = (
        f"Missing: the individual agency review of Police is not in yet (due {_day(IAR_DUE)})."
    )
    assert text.count(missing) == 3  # the chronology, the analyses, the lessons
    assert "Police draft words" not in text  # an agency review not submitted stays out
    assert "What went well: The health visitor escalated promptly." in text
    assert "F1: Information about the child ([REDACTED]) stayed within each agency." in text
    assert f"{ref}/A1" in text and "Train GPs to share" in text and "open" in text
    assert "Independent reviewer, [REDACTED] office" in text
    page = html.unescape(sent[f"Overview-{ref}.html"][1].decode())
    parts = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>.*?</h2>", page)]
    assert parts == OVERVIEW_HEADINGS
    assert '<html lang="en-GB">' in page and '<main id="content"' in page and "<caption>" in page
    assert "Missing: the individual agency review of Police" in page
    with database(settings.db_path) as db:
        referral = referrals.require_referral(db, ref)
    for document in (text, page):
        for identifier in IDENTIFIERS:
            assert identifier not in document
        assert referral.description not in document  # nothing but the review's parts enters

    await api.wait_for(lambda: any(a == "overview" for _, a, _ in _audit(settings, ref)))
    monkeypatch.setenv("TRIAGE_DB", str(settings.db_path))
    assert main(["audit", ref]) == 0
    audit = capsys.readouterr().out
    sent_line = r"overview: draft overview report sent to the board group \(not in yet: Police\)"
    assert re.search(rf"UTC  user {OFFICER} +{sent_line}", audit)
    assert re.search(rf"UTC  user {OFFICER} +viewed: /overview", audit)


async def test_before_any_agency_review_is_in_there_is_nothing_to_assemble(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    waiting = reviewed(settings.db_path, SEVERE, NOW, **PLAN_DATES).ref
    unplanned = reviewed(settings.db_path, SEVERE, NOW, until="approved").ref
    since = api.mark()
    told = await board.say(f"/overview {waiting}", expect="No individual agency review")
    assert (
        f"No individual agency review of {waiting} is in yet, so there is no draft overview "
        f"report to assemble. Awaited: Health, Police (due {_day(IAR_DUE)})."
    ) in told.reads
    told = await board.say(f"/chronology {waiting}", expect="No individual agency review")
    assert "no multi-agency chronology to assemble" in told.reads
    told = await board.say(f"/overview {unplanned}", expect="not complete")
    assert f"plan it with /plan {unplanned}" in told.reads
    told = await board.say("/overview LIR-2026-9999", expect="LIR-2026-9999")
    assert told.reads == render("bot/officers/unknown_ref.j2", ref="LIR-2026-9999")
    await board.say("/chronology", expect="/chronology REF")
    assert _documents(api, since) == {}
    assert not [a for _, a, _ in _audit(settings, waiting) if a in ("overview", "chronology")]


async def test_someone_not_an_officer_gets_no_document(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    ref = _two_agencies(settings.db_path)
    since = api.mark()
    stranger = Person(api, STRANGER, BOARD)
    await stranger.say(f"/overview {ref}", expect="officers")
    private = Person(api, OFFICER)
    await private.say(f"/chronology {ref}", expect="board")
    assert _documents(api, since) == {}
    assert not [a for _, a, _ in _audit(settings, ref) if a in ("overview", "chronology")]


async def test_reviews_lists_each_review_in_progress_with_its_stage_and_days_behind(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    writing = reviewed(settings.db_path, SEVERE, NOW, until="approved").ref
    panel = reviewed(settings.db_path, SEVERE, NOW, until="sent", **PLAN_DATES).ref
    half_in = _two_agencies(settings.db_path, police=False)
    all_in = _two_agencies(settings.db_path)
    behind = working_days_between(IAR_DUE, TODAY, settings.bank_holidays)
    late = working_days_between(REPORT_DUE, TODAY, settings.bank_holidays)
    assert behind > late > 0

    shown = await board.say("/reviews", expect="Reviews in progress")

    lines = shown.reads.splitlines()
    blocks = {
        ref: lines[lines.index(next(ln for ln in lines if ln.startswith(ref))) + 1]
        for ref in (writing, panel, half_in, all_in)
    }
    assert f"{writing} · Severe · plan being written" in shown.reads
    assert blocks[writing] == "No date due yet: the plan has no date for this stage."
    assert f"{panel} · Severe · terms with the panel" in shown.reads
    due = (
        f"Next date due: {_day(IAR_DUE)}, individual agency reviews due: "
        f"{behind} working days behind plan."
    )
    assert blocks[panel] == due
    assert f"{half_in} · Severe · agency reviews, 1 of 2 in" in shown.reads
    assert blocks[half_in] == due
    assert f"{all_in} · Severe · overview report" in shown.reads
    assert (
        blocks[all_in]
        == f"Next date due: {_day(REPORT_DUE)}, report due: {late} working days behind plan."
    )
    assert shown.reads.index(writing) < shown.reads.index(all_in)  # by reference

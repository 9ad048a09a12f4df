"""SPEC §9 walked end to end over the local Bot API server, as the people of a review would:
the plan's last questions answered in the board group (the period, the key lines of enquiry,
the dates, the author) → the Terms of Reference to the panel, `Agree terms` → the leads of
Health and Police asked in their chats, Education (no lead) named to the group → each lead
starts the agency review, answers the whole questionnaire (an entry outside the period refused
first) and presses `Submit to the board` → `/iars` → `/chronology` (both agencies' entries in
one table in date order) → `/overview`: the Word document opened with python-docx, a heading per
part in SPEC §9's order, both agencies' words in, Education named as missing, and no identifier
typed anywhere on the way surviving into the `.docx` or the HTML.

The referral is filed and approved in storage (the check and the chair's card are walked in
their own tests); every step of the review after that is a message or a button press."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from pathlib import Path

import docx
from filed import database
from flows import agency_review_asked
from harness import BOARD, CHAIR, ICB_LEAD, OFFICER, POLICE_LEAD, Person, Running
from officers_support import CATASTROPHIC, decide, file
from reviewed import DOB, IDENTIFIERS, NHS, OVERVIEW_HEADINGS, PHONE, POSTCODE

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import plans, practitioners

PERIOD = "2025-09-01 to 2026-02-28"
STORED = {  # the plan's answers before the period: its button questions, walked elsewhere
    "methodology": "scie",
    "iar_agencies": ["Health", "Police", "Education"],
    "family": "yes",
    "staff": "yes",
    "panel": "yes",
    "publication": "short",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _approved(db_path: Path) -> str:
    """An approved catastrophic referral whose plan is stored up to the period under review."""
    referral = file(db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(db_path, referral.ref, _now())
    with database(db_path) as db:
        plans.save_plan(db, referral.ref, "period", STORED, OFFICER, _now())
    return referral.ref


async def _register_lead(api: LocalBotAPI, settings: Settings, agency: str, user_id: int) -> None:
    with database(settings.db_path) as db:
        code = practitioners.create_invite(db, agency, "test", _now(), lead=True)
    await Person(api, user_id).say(f"/start {code}", expect="registered")


async def _answer(
    api: LocalBotAPI,
    lead: Person,
    asked: Msg,
    entries: list[str],
    words: tuple[str, str, str],
    action: str,
) -> str:
    """The lead starts the agency review, answers every question and submits it; what they
    were told at the end."""
    since = api.mark()
    await lead.press_on(asked.message_id, "Start the agency review")
    await api.wait_for_message(lead.chat_id, "chronology", since=since)
    outside = await lead.say("2024-05-01 Referral to the nursery", expect="outside")
    assert f"outside the period under review, {PERIOD}" in outside.reads
    kept = outside
    for n, entry in enumerate(entries, start=1):
        kept = await lead.say(entry, expect=f"Entry {n} of the chronology kept")
    since = api.mark()
    await lead.press_on(kept.message_id, "Done")
    await api.wait_for_message(lead.chat_id, "summary analysis", since=since)
    analysis, went_well, lessons = words
    await lead.say(analysis, expect="went well")
    await lead.say(went_well, expect="lessons")
    await lead.say(lessons, expect="action points")
    await lead.say(action, expect="Entry 1 of the action")
    summary = await lead.say("done", expect="ready to submit")
    assert summary.button_texts == ["Submit to the board"]
    since = api.mark()
    await lead.press_on(summary.message_id, "Submit to the board")
    thanks = await api.wait_for_message(lead.chat_id, "is submitted to the board", since=since)
    return thanks.reads


def _documents(api: LocalBotAPI, since: int) -> dict[str, tuple[str, bytes]]:
    """The documents sent to the board group since `since`: name → (caption, bytes)."""
    found = {}
    for call in api.calls("sendDocument", since=since):
        if call.params["chat_id"] == BOARD and call.result:
            document = call.result["document"]
            found[document["file_name"]] = (
                str(call.params.get("caption", "")),
                api.file_bytes(document["file_id"]),
            )
    return found


async def _sent(api: LocalBotAPI, since: int) -> dict[str, tuple[str, bytes]]:
    await api.wait_for(lambda: len(_documents(api, since)) >= 2, 10, what="both documents")
    return _documents(api, since)


async def test_a_review_walks_from_its_plan_to_the_draft_overview_report(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    ref = _approved(settings.db_path)
    await _register_lead(api, settings, "Health", ICB_LEAD)
    await _register_lead(api, settings, "Police", POLICE_LEAD)

    # The plan's last questions, typed in the group (identifiers redacted on the way).
    await board.say(f"/plan {ref}", expect="period under review")
    await board.say(PERIOD, expect="key lines of enquiry")
    await board.say(
        f"Why was the nursery's worry not shared?\nWas the GP on {PHONE} told?", expect="due"
    )
    await board.say("2099-03-31", expect="completed report")
    await board.say("2099-06-30", expect="publication date")
    await board.say("2099-09-01", expect="author")
    done = await board.say("Independent reviewer", expect="complete")
    assert f"Period under review: {PERIOD}" in done.reads

    # The terms to the panel (the chair under 2013), agreed; the group told who agreed.
    card = await api.wait_for_message(CHAIR, "Terms of Reference to agree", since=0, timeout=10)
    await chair.press_on(card.message_id, "Agree terms")
    agreed = await api.wait_for_message(BOARD, "are agreed", since=0, timeout=10)
    assert f"The Terms of Reference for {ref} (version 1) are agreed by" in agreed.reads
    no_lead = await api.wait_for_message(BOARD, "no lead to ask", since=0, timeout=10)
    assert "Education: invite its lead with /invite Education lead" in no_lead.reads

    # Each agency's lead answers in their own chat.
    health, police = Person(api, ICB_LEAD), Person(api, POLICE_LEAD)
    asked = await agency_review_asked(api, ICB_LEAD)
    assert f"Individual agency review for {ref}: Health" in asked.reads
    assert "Why was the nursery's worry not shared?" in asked.reads
    thanks = await _answer(
        api,
        health,
        asked,
        [f"2025-10-14 GP saw the child, {DOB}", "2025-09-03 Health visitor's new birth visit"],
        (
            f"Health's records (NHS number {NHS}) were not shared with the nursery.",
            "The health visitor escalated promptly.",
            f"Ask about the home address ({POSTCODE}) at every contact.",
        ),
        "2099-01-31 Audit health visiting records",
    )
    assert "2 chronology entries and 1 action point" in thanks
    thanks = await _answer(
        api,
        police,
        await agency_review_asked(api, POLICE_LEAD),
        [f"2025-09-20 Police attended a call to the home; contact on {PHONE}"],
        (
            "Police shared the call within a day.",
            "Joint visit with social care.",
            "Record who else lives at the home.",
        ),
        "2099-02-28 Review domestic abuse referrals",
    )
    assert "1 chronology entry and 1 action point" in thanks
    for agency in ("Health", "Police"):
        told = await api.wait_for_message(BOARD, f"{agency} submitted", since=0, timeout=10)
        assert f"{agency} submitted its agency review for {ref}" in told.reads

    listed = await board.say(f"/iars {ref}", expect="Agency reviews for")
    assert "Health (due 2099-03-31): submitted" in listed.reads
    assert "Police (due 2099-03-31): submitted" in listed.reads
    assert "Education (due 2099-03-31): no lead yet (/invite Education lead)" in listed.reads

    # One chronology, both agencies' entries in date order.
    since = api.mark()
    await board.say(f"/chronology {ref}")
    chronology = await _sent(api, since)
    rows = list(csv.reader(io.StringIO(chronology[f"Chronology-{ref}.csv"][1].decode())))
    assert [(r[0], r[1]) for r in rows[1:]] == [
        ("2025-09-03", "Health"),
        ("2025-09-20", "Police"),
        ("2025-10-14", "Health"),
    ]

    # The draft overview report, opened as the sub-group would open it.
    since = api.mark()
    await board.say(f"/overview {ref}")
    overview = await _sent(api, since)
    caption, word = overview[f"Overview-{ref}.docx"]
    assert "Education" in caption
    document = docx.Document(io.BytesIO(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == OVERVIEW_HEADINGS
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "Period under review: From 01 September 2025 to 28 February 2026" in text
    assert "Health visitor's new birth visit" in text and "Police attended a call" in text
    assert "Police shared the call within a day." in text
    assert "Health's records (NHS number [REDACTED]) were not shared" in text
    assert "Missing: the individual agency review of Education is not in yet" in text
    assert "Audit health visiting records" in text and "Review domestic abuse referrals" in text
    assert "Independent reviewer" in text
    page = html.unescape(overview[f"Overview-{ref}.html"][1].decode())
    parts = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*>.*?</h2>", page)]
    assert parts == OVERVIEW_HEADINGS
    for written in (text, page, chronology[f"Chronology-{ref}.html"][1].decode()):
        for identifier in IDENTIFIERS:
            assert identifier not in written, identifier

"""Long texts as Telegram counts them (UTF-16 units, after the HTML is parsed), over the local
Bot API server: a description of emoji over the limit is refused and one at it reaches the
chair as a decidable card; descriptions full of `&` and `<` do not break the flow; `/case` is
split between elements, never inside an entity; `/status` and `/note` refuse a text over the
limit rather than cut it, so no digit of an identifier is kept."""

from __future__ import annotations

import datetime as dt
import re

from flows import cards, register, submit, walk
from harness import BOARD, Person, Running, settle
from officers_support import SEVERE, file, read
from synthetic import CATASTROPHIC_PATH

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from localapi.entities import MAX_TEXT, utf16_len
from storage import events
from storage.db import open_db

FOUR = ["Approve", "Escalate grade", "Ask for information", "No review"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _all_sends_succeeded(api: LocalBotAPI, since: int = 0) -> None:
    failed = [
        (c.method, c.response)
        for c in api.calls(since=since)
        if c.method in ("sendMessage", "editMessageText") and not c.ok
    ]
    assert failed == []


def _events(settings: Settings, ref: str, action: str) -> list[events.Event]:
    db = open_db(settings.db_path)
    try:
        return [e for e in events.events_for(db, ref) if e.action == action]
    finally:
        db.conn.close()


async def _describe(pat: Person, settings: Settings) -> None:
    """Register and answer a catastrophic check up to the description."""
    await register(pat, settings)
    await walk(pat, CATASTROPHIC_PATH)
    await pat.press("Health")
    await pat.answer("Done", "describe")


async def test_an_emoji_description_over_the_limit_is_refused_and_one_at_it_is_decided(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    await _describe(pat, settings)
    refused = await pat.say("😟" * 1900, expect="characters long")
    text = refused.reads
    assert "That is 3800 characters long; the limit here is 2000." in text
    assert "an emoji counts as two characters" in text

    await pat.say("😟" * 1000, expect="case reference")  # 2000 units: exactly at the limit
    await pat.answer("Skip", "submit")
    ref = await submit(pat)
    notice, card = await cards(api, ref)
    assert "😟" not in notice.reads  # the board notice carries no description
    assert card.reads.count("😟") == 1000  # whole on the card: it fits
    assert utf16_len(card.reads) <= MAX_TEXT
    assert card.button_texts == FOUR
    assert "Approved" in await chair.press_on(card.message_id, "Approve")
    assert read(settings.db_path, ref).status == "approved"
    _all_sends_succeeded(api)


async def test_a_description_full_of_markup_characters_goes_through_whole(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    description = ("Q&A <b>not bold</b> & a<b " * 80)[:2000]
    await _describe(pat, settings)
    await pat.say(description, expect="case reference")
    await pat.answer("Skip", "submit")
    ref = await submit(pat)
    notice, card = await cards(api, ref)
    assert ref in notice.reads
    assert description.strip() in card.reads  # shown as typed, as text, whole
    assert "Approved" in await chair.press_on(card.message_id, "Approve")

    board = Person(api, 3001, BOARD)
    record = await board.say(f"/case {ref}", expect="Event log")
    assert description.strip() in record.reads
    _all_sends_succeeded(api)


def _parts_since(api: LocalBotAPI, since: int) -> list[Msg]:
    return [m for m in api.bot_messages(BOARD) if m.seq > since]


async def test_case_is_split_between_elements_never_inside_an_entity(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now(), description="<" * 2000)
    for _ in range(2):
        await board.say(f"/note {referral.ref} " + "<" * 1500, expect="Note added")

    since = api.mark()
    await board.say(f"/case {referral.ref}")
    await settle(api)
    parts = _parts_since(api, since)
    texts = [m.reads for m in parts]
    assert len(parts) >= 2
    assert all(utf16_len(t) <= MAX_TEXT for t in texts)
    assert sum(t.count("<") for t in texts) == 2000 + 2 * 1500  # every one, once
    assert not any("&lt" in t or "&amp" in t for t in texts)  # no entity cut and shown raw
    assert "Event log" in texts[-1] and referral.ref in texts[0]
    quoted = [m for m in parts if any(e["type"] == "blockquote" for e in m.data["entities"])]
    assert quoted  # the description stays in its quote, closed and reopened across parts
    _all_sends_succeeded(api, since)


async def test_a_status_reason_over_the_limit_is_refused_whole_and_one_at_it_redacted(
    running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    # The NHS number straddles character 2000, where a cut would have been.
    over = "x" * 1990 + " 943 476 5919"
    refused = await board.say(f"/status {referral.ref} info_requested {over}")
    text = refused.reads
    assert "the reason is 2003 characters; at most 2000" in text
    assert "Usage: /status REF STATUS [reason]" in text
    assert read(settings.db_path, referral.ref).status == "awaiting_chair"
    assert _events(settings, referral.ref, "status") == []

    at_limit = "y" * 1987 + " 943\u00a0476\u20135919"  # 2000 exactly
    moved = await board.say(f"/status {referral.ref} info_requested {at_limit}", "moved from")
    assert "NHS number" in moved.reads
    assert read(settings.db_path, referral.ref).status == "info_requested"
    detail = _events(settings, referral.ref, "status")[-1].detail
    assert not re.search(r"\d", detail), detail
    assert detail.endswith("y [REDACTED]")


async def test_a_long_note_keeps_no_digit_of_an_nhs_number(
    running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    note = "seen " * 396 + "９４３ ４７６ ５９１９"  # 1992 characters, fullwidth digits at the end
    await board.say(f"/note {referral.ref} {note}", expect="Note added")
    detail = _events(settings, referral.ref, "note")[-1].detail
    assert not re.search(r"\d", detail)
    assert detail.endswith("seen [REDACTED]")
    record = await board.say(f"/case {referral.ref}", expect="Event log")
    assert "９" not in record.reads and "943" not in record.reads

"""Shared steps of the transcripts: invites, whole checks by their option labels, filing.

Paths are lists of (label to press, key phrase of the next question) using the SPEC §2 labels,
so a transcript reads as what a practitioner does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager

from harness import BOARD, CHAIR, Person
from sqlite_utils import Database
from synthetic import CATASTROPHIC_PATH, DESCRIPTION, MODERATE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import practitioners, referrals
from storage.db import open_db
from storage.regrades import Regrade, regrade_referral

REF = re.compile(r"LIR-\d{4}-\d{4}")


def invite(
    settings: Settings,
    agency: str = "Health",
    *,
    now: dt.datetime | None = None,
    ttl_days: int = 14,
) -> str:
    """A one-time code, as `triage-bot invite` or an officer's /invite would issue."""
    with database(settings) as db:
        moment = now or dt.datetime.now(dt.UTC)
        return practitioners.create_invite(db, agency, "test", moment, ttl_days)


@contextmanager
def database(settings: Settings) -> Iterator[Database]:
    """A second connection to the bot's database, as an inspector would open it."""
    db = open_db(settings.db_path)
    try:
        yield db
    finally:
        db.conn.close()


async def walk(pat: Person, path: list[tuple[str, str]]) -> None:
    """Press each label in turn, checking the next question's key phrase."""
    for label, next_phrase in path:
        await pat.answer(label, next_phrase)


async def walk_to_summary(pat: Person, description: str = DESCRIPTION) -> None:
    """Answer the whole check for a catastrophic case, up to the summary."""
    await walk(pat, CATASTROPHIC_PATH)
    await pat.press("Health")
    await pat.press("Police")
    await pat.answer("Done", "describe")
    await pat.say(description, expect="case reference")
    await pat.answer("Skip", "submit")


async def moderate_to_summary(pat: Person) -> None:
    """Answer the whole check for a moderate case, up to the summary."""
    await walk(pat, MODERATE_PATH)
    await pat.press("Education")
    await pat.answer("Done", "describe")
    await pat.say("Child treated in hospital after a fall at home; school had concerns.", "case")
    await pat.answer("Skip", "submit")


async def register(pat: Person, settings: Settings, agency: str = "Health") -> None:
    """Register with a fresh invite; the check's first question follows."""
    await pat.say(f"/start {invite(settings, agency)}", expect="no names")


async def submit(pat: Person) -> str:
    """Press Submit on the summary; the reference the practitioner is given."""
    receipt = await pat.press("Submit to the board", expect="received")
    found = REF.search(receipt.reads)
    assert found, receipt.text
    return found[0]


async def file_catastrophic(pat: Person, settings: Settings) -> str:
    """Register, answer a catastrophic check and submit; the reference."""
    await register(pat, settings)
    await walk_to_summary(pat)
    return await submit(pat)


async def file_moderate(pat: Person, settings: Settings) -> str:
    """Register, answer a moderate check and submit; the reference."""
    await register(pat, settings)
    await moderate_to_summary(pat)
    return await submit(pat)


async def first_message(api: LocalBotAPI, chat_id: int, *parts: str) -> Msg:
    """The bot's first message in `chat_id` containing every one of `parts` (waits for it)."""

    def find() -> Msg | None:
        for message in api.bot_messages(chat_id):
            if all(part in message.reads for part in parts):
                return message
        return None

    return await api.wait_for(find, 8.0, what=f"a message with {parts} in chat {chat_id}")


async def cards(api: LocalBotAPI, ref: str, chair_id: int = CHAIR) -> tuple[Msg, Msg]:
    """(board notice, chair's decision card) once both have arrived."""
    notice = await first_message(api, BOARD, "New referral", ref)
    card = await first_message(api, chair_id, ref)
    return notice, card


async def keyboard_becomes(
    api: LocalBotAPI, chat_id: int, message_id: int, labels: list[str]
) -> Msg:
    """Wait until the message's buttons read `labels` (an edit may follow the press's answer)."""

    def shown() -> Msg | None:
        message = api.message(chat_id, message_id)
        return message if message is not None and message.button_texts == labels else None

    return await api.wait_for(shown, 8.0, what=f"buttons {labels} on message {message_id}")


async def typed_through_every_field(
    api: LocalBotAPI,
    pat: Person,
    chair: Person,
    settings: Settings,
    *,
    description: str,
    reference: str,
    question: str,
    answer: str,
) -> tuple[str, Msg]:
    """File a referral typing `description` and (by changing the answer) `reference`, then
    have the chair ask `question` and the practitioner reply `answer`: (its reference, the
    chair's card). The free texts a privacy test fills with identifiers."""
    await pat.say(f"/start {invite(settings)}", expect="no names")
    await walk_to_summary(pat, description)
    await pat.answer("Change an answer", "change")
    await pat.answer("Case reference", "case reference")
    await pat.say(reference, expect="submit")
    receipt = await pat.press("Submit to the board", expect="received")
    found = REF.search(receipt.reads)
    assert found is not None
    ref = found[0]
    _, card = await cards(api, ref)
    await chair.press_on(card.message_id, "Ask for information")
    await chair.say(question, expect="has been sent")
    asked = await first_message(api, pat.chat_id, "asks for more information")
    await pat.reply(asked.message_id, answer, "Thank you")
    await first_message(api, CHAIR, "the practitioner answered")
    return ref, card


def regrade_behind(settings: Settings, ref: str, grade: str) -> None:
    """Change the referral's grade in another connection, as `triage-bot regrade` run beside the
    bot does: nothing tells the bot, so the cards out still show the grade before."""

    def raised(before: referrals.Referral) -> Regrade:
        return Regrade(
            grade, grade, before.flags, before.matched, before.result, before.matrix_version
        )

    with database(settings) as db:
        assert regrade_referral(db, ref, raised, "cli", dt.datetime.now(dt.UTC)) is not None


async def agency_review_asked(api: LocalBotAPI, lead: int) -> Msg:
    """The lead's message asking for the agency review, once its document followed it."""

    def found() -> Msg | None:
        asks = [m for m in api.bot_messages(lead) if "Start the agency review" in m.button_texts]
        documents = [m for m in api.bot_messages(lead) if m.file_id is not None]
        return asks[-1] if asks and documents else None

    return await api.wait_for(found, 10, what="the agency review asked")

"""Secrets kept: a whole session at DEBUG leaves neither the token nor a typed identifier behind.

The practitioner types an NHS number, phone numbers, an e-mail address, a postcode and a date
of birth into every free-text place (description, case reference, an answer to the chair); the
chair types some into a question and a reason. Afterwards the captured log, pytest's own log
capture and every file under the data folder (the database, its WAL) are scanned.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flows import database, typed_through_every_field
from harness import BOARD, CHAIR, TOKEN, Person, Running, settle

from bot.logs import configure_logging
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import info_requests, referrals

NHS = "943 476 5919"
TYPED = {
    "NHS number": NHS,
    "NHS number without spaces": NHS.replace(" ", ""),
    "mobile": "07700 900123",
    "landline": "020 7946 0991",
    "e-mail": "jo.bloggs@example.org",
    "postcode": "SW1A 1AA",
    "date of birth": "12/03/2019",
    "second postcode": "E1 6AN",
    "second e-mail": "carer.two@example.net",
}

DESCRIPTION = (
    f"Child (DOB {TYPED['date of birth']}) living at {TYPED['postcode']} died after a head "
    f"injury; NHS {TYPED['NHS number']}, mother on {TYPED['mobile']} or "
    f"{TYPED['e-mail']}. Health visitor raised concerns twice."
)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The production logging set-up at DEBUG, writing to a buffer; restored afterwards."""
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    saved_levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    stream = io.StringIO()
    configure_logging("DEBUG", TOKEN, stream)
    for handler in saved_handlers:  # keep pytest's capture too, so caplog is scanned as well
        root.addHandler(handler)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)


def leaks(text: str) -> list[str]:
    """Which secrets appear in `text`."""
    found = [name for name, value in TYPED.items() if value in text]
    return found + (["token"] if TOKEN in text or TOKEN.split(":")[1] in text else [])


async def test_no_token_and_no_typed_identifier_in_logs_or_files(
    debug_log: io.StringIO,  # first: logging is set up before the bot is built, as in `run`
    api: LocalBotAPI,
    running: Running,
    settings: Settings,
    pat: Person,
    chair: Person,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    # The case reference is changed to one carrying a postcode and a phone number.
    ref, card = await typed_through_every_field(
        api,
        pat,
        chair,
        settings,
        description=DESCRIPTION,
        reference=f"{TYPED['second postcode']} {TYPED['landline']}",
        question=f"Is {TYPED['second e-mail']} the carer's address?",
        answer=f"Yes, and their phone is {TYPED['mobile']}.",
    )
    await chair.press_on(card.message_id, "No review")
    await chair.say(f"Already reviewed under NHS {NHS}.", expect="Recorded")
    await settle(api)

    shown = "\n".join(api.bot_texts(CHAIR) + api.bot_texts(BOARD))
    assert not leaks(shown), "an identifier reached the board"
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "declined"
        assert "[REDACTED]" in referral.description
        assert referral.case_reference == "[REDACTED] [REDACTED]"
        assert (
            info_requests.questions_for(db, ref)[0].answer == "Yes, and their phone is [REDACTED]."
        )

    log_text = debug_log.getvalue()
    assert f"referral {ref} filed" in log_text  # the log did capture the session
    assert not leaks(log_text), leaks(log_text)
    assert not leaks(caplog.text), leaks(caplog.text)
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", errors="replace")
            assert not leaks(content), (path.name, leaks(content))

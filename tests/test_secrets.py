"""Secrets kept: a whole session at DEBUG leaves neither the token nor a typed identifier in
the logs, the database (with its -wal and -shm) or any file written.

The practitioner types an NHS number with a valid check digit, a UK mobile number, an e-mail
address, a postcode and a date of birth into the description and the case reference; the
chair approves. The bot runs in this process (its log captured through `configure_logging`
into a buffer, and through caplog) and, for a shorter session, as `python -m bot run` at
LOG_LEVEL=DEBUG (its stderr scanned).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.botproc import (
    CHAIR,
    PRACTITIONER,
    TOKEN,
    BotProcess,
    BotThread,
    Person,
    bot_env,
    referral_refs,
    register,
    server,
    wait_delivered,
    walk_to_summary,
)

from bot.logs import configure_logging, log_error
from bot.settings import load_settings
from localapi import ThreadedLocalBotAPI
from storage import referrals
from storage.db import open_db

NHS = "943 476 5919"
MOBILE = "07700 900123"
EMAIL = "jo.bloggs@example.com"
POSTCODE = "SW1A 1AA"
DOB = "12/03/2015"
DESCRIPTION = (
    f"Child (DOB {DOB}, NHS {NHS}) of {POSTCODE} was found alone; mother on {MOBILE}, "
    f"school e-mailed {EMAIL} twice. Agencies did not share what they knew."
)
CASE_REFERENCE = f"CSC 4471 {EMAIL}"

# Each secret in the forms it could take once stored or logged.
SECRETS = {
    "token": [TOKEN, TOKEN.split(":", 1)[1]],
    "NHS number": [NHS, NHS.replace(" ", ""), NHS.replace(" ", "-")],
    "mobile": [MOBILE, MOBILE.replace(" ", "")],
    "e-mail": [EMAIL, "jo.bloggs"],
    "postcode": [POSTCODE, POSTCODE.replace(" ", "")],
    "date of birth": [DOB],
}


def leaks(text: str | bytes) -> list[str]:
    """Which secrets appear in `text` (as UTF-8 or UTF-16 bytes, or as text)."""
    found = []
    for name, forms in SECRETS.items():
        for form in forms:
            if isinstance(text, bytes):
                hit = any(form.encode(enc) in text for enc in ("utf-8", "utf-16-le", "utf-16-be"))
            else:
                hit = form.lower() in text.lower()
            if hit:
                found.append(f"{name} ({form!r})")
    return found


def files_leaking(folder: Path) -> dict[str, list[str]]:
    """Every file under `folder` with the secrets found in it."""
    return {
        str(path.relative_to(folder)): found
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (found := leaks(path.read_bytes()))
    }


def whole_session(api: ThreadedLocalBotAPI, db_path: Path) -> str:
    """Register, answer the whole check with identifiers typed, submit; the chair approves.
    Returns the reference."""
    pat = Person(api, PRACTITIONER)
    register(pat, db_path)
    for label, phrase in [("I understand", "immediate risk"), ("No", "good practice")]:
        pat.press(label, expect=phrase)
    walk_to_summary_from_concern(pat, db_path)
    told = pat.press("Submit to the board", expect="LIR-", edited=True)
    ref = re.findall(r"LIR-\d{4}-\d{4}", told.reads)[0]
    wait_delivered(api, CHAIR, ref)
    since = api.mark()
    api.press_button(CHAIR, CHAIR, "Approve")
    api.wait_for_message(PRACTITIONER, "Review approved", since=since, timeout=8)
    return ref


def walk_to_summary_from_concern(pat: Person, db_path: Path) -> None:
    """The rest of a catastrophic check, with the case reference typed rather than skipped."""
    from synthetic import CATASTROPHIC_PATH

    for label, phrase in CATASTROPHIC_PATH[2:]:
        pat.press(label, expect=phrase)
    pat.press("Health")
    pat.press("Done", expect="describe")
    pat.say(DESCRIPTION, expect="case reference")
    # What was removed is said on the answered question itself (edited in place), whose
    # typed message has left the chat.
    [removed] = [t for t in pat.texts() if "To protect privacy I removed" in t][-1:]
    for kind in ("NHS number", "phone number", "email address", "postcode", "date of birth"):
        assert kind in removed, removed
    pat.say(CASE_REFERENCE, expect="submit")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger and the capped library loggers back as pytest had them."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = ["httpx", "httpcore", "telegram", "telegram.ext", "apscheduler", "transitions"]
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


def test_a_whole_session_at_debug_leaves_no_secret_in_logs_database_or_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, restore_logging: None
) -> None:
    buffer = io.StringIO()
    configure_logging("DEBUG", TOKEN, buffer)
    logging.getLogger().addHandler(caplog.handler)  # after ours: it sees what ours lets out
    caplog.handler.setLevel(logging.DEBUG)
    api = server()
    bot = BotThread(load_settings(bot_env(api, tmp_path, LOG_LEVEL="DEBUG")))
    try:
        bot.start()
        ref = whole_session(api, bot.db_path)
        live = {p.name for p in tmp_path.iterdir()}
        assert {"triage.db", "triage.db-wal", "triage.db-shm"} <= live
        while_running = files_leaking(tmp_path)  # the -wal and -shm exist only now
    finally:
        bot.stop()
        api.stop()
    assert while_running == {}
    seen = {hit.split(" (")[0] for hit in leaks(DESCRIPTION.encode())}  # the scan can see them
    assert seen == set(SECRETS) - {"token"}

    # the session really happened, with the identifiers removed before storing
    db = open_db(bot.db_path)
    referral = referrals.require_referral(db, ref)
    db.conn.close()
    assert referral.status == "approved" and "[REDACTED]" in referral.description
    assert referral_refs(bot.db_path) == [ref]

    log_text = buffer.getvalue()
    assert "DEBUG" in log_text and "filed" in log_text  # DEBUG logging was on and captured
    assert leaks(log_text) == []
    records = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert caplog.records and leaks(records) == []
    (tmp_path / "bot.log").write_text(log_text)  # scanned with every other file below
    assert files_leaking(tmp_path) == {}


def test_the_bot_process_at_debug_writes_no_secret(tmp_path: Path) -> None:
    """`python -m bot run` at LOG_LEVEL=DEBUG: its stderr and the files it wrote."""
    api = server()
    bot = BotProcess(api, tmp_path, LOG_LEVEL="DEBUG")
    try:
        bot.start()
        pat = Person(api, PRACTITIONER)
        register(pat, bot.db_path)
        walk_to_summary(pat, bot.db_path, description=DESCRIPTION)
        pat.press("Submit to the board", expect="LIR-", edited=True)
        [ref] = referral_refs(bot.db_path)
        wait_delivered(api, CHAIR, ref)
        assert files_leaking(tmp_path) == {}
    finally:
        bot.stop()
        api.stop()
    log_text = bot.log()
    assert " DEBUG " in log_text
    assert leaks(log_text) == []
    assert files_leaking(tmp_path) == {}


def test_library_log_calls_carrying_data_are_withheld(
    restore_logging: None,
) -> None:
    """python-telegram-bot logs at CRITICAL the raw updates it cannot parse and the update
    whose context it cannot build; our own errors are logged without their message."""
    buffer = io.StringIO()
    configure_logging("DEBUG", TOKEN, buffer)
    update = [{"update_id": 1, "message": {"text": DESCRIPTION}}]
    logging.getLogger("telegram.ext.ExtBot").critical(
        "Error while parsing updates! Received data was %s", update
    )
    logging.getLogger("telegram.ext.Application").critical(
        "Error while building CallbackContext for update %s", {"text": DESCRIPTION}
    )
    try:
        raise ValueError(f"bad value {DESCRIPTION!r} for token {TOKEN}")
    except ValueError as exc:
        log_error(logging.getLogger("bot.app"), "error while handling update 7", exc)
    text = buffer.getvalue()
    parsing, building = (line for line in text.splitlines() if "CRITICAL" in line)
    assert "Received data was [data withheld]" in parsing
    assert "[data withheld]" in building
    assert "error while handling update 7: ValueError" in text
    assert leaks(text) == []

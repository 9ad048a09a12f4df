"""The bot as a real subprocess (`python -m bot run`) over a local Bot API server in the test.

`BotProcess` starts, SIGKILLs, stops and restarts the bot over one SQLite file in `tmp_path`;
its stderr goes to a log file there (scanned by the secrets test). `BotThread` runs the same
bot inside the test process (to capture its logging). `Person` drives a chat synchronously
through the `ThreadedLocalBotAPI`. Nothing of ours is mocked.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from synthetic import CATASTROPHIC_PATH, DESCRIPTION

from bot.app import build_app
from bot.serving.lifecycle import running
from bot.serving.polling import start_polling
from bot.settings import Settings
from localapi import Msg, ThreadedLocalBotAPI
from storage import drafts, outbox, practitioners, referrals
from storage.db import open_db

TOKEN = "7654321:E2E-secret-token-QWERTYzxcvb0987"
PRACTITIONER = 1001
CHAIR = 2001
OFFICER = 3001
BOARD = -100500
REF = re.compile(r"LIR-\d{4}-\d{4}")


ROOT = Path(__file__).resolve().parents[2]


def server() -> ThreadedLocalBotAPI:
    """A started local Bot API server knowing the board's people and group."""
    api = ThreadedLocalBotAPI(token=TOKEN)
    api.start()
    api.add_user(PRACTITIONER, "Pat")
    api.add_user(CHAIR, "Chris")
    api.add_user(OFFICER, "Olu")
    api.add_chat(BOARD, "supergroup", "Board officers")
    return api


def bot_env(api: ThreadedLocalBotAPI, folder: Path, **extra: str) -> dict[str, str]:
    """The settings of SPEC §6 as environment variables, pointing at `api` and `folder`."""
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "TRIAGE_DB": str(folder / "triage.db"),
        "BOARD_CHAT_ID": str(BOARD),
        "CHAIR_USER_IDS": str(CHAIR),
        "OFFICER_USER_IDS": str(OFFICER),
        "LOG_LEVEL": "INFO",
        **extra,
    }


class BotThread:
    """The bot inside this process, on its own thread and event loop: built as `triage-bot
    run` builds it, running it the same way (`bot.serving.lifecycle.running`) and polling with
    the same loop (`bot.serving.polling.start_polling`), so that a test can capture its
    logging."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.db_path = settings.db_path
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._started = threading.Event()

    def start(self) -> None:
        """Start polling; returns once the bot is running."""
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self._thread.start()
        assert self._started.wait(15), "the bot did not start"

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = build_app(self.settings)
        async with running(app):
            polling = await start_polling(app, self._stop)
            self._started.set()
            await polling

    def stop(self) -> None:
        """Stop polling and shut down as SIGTERM would."""
        if self._thread is None:
            return
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(15)
        self._thread = None


class BotProcess:
    """`python -m bot run` with the settings in its environment, as an operator runs it."""

    def __init__(self, api: ThreadedLocalBotAPI, folder: Path, **env: str) -> None:
        self.api = api
        self.db_path = folder / "triage.db"
        self.log_path = folder / "bot.log"
        self.env = {**os.environ, **bot_env(api, folder, **env)}
        self.env.pop("TRIAGE_CONFIG", None)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The running bot's process id."""
        assert self.proc is not None, "the bot is not running"
        return self.proc.pid

    def start(self, timeout: float = 15.0) -> None:
        """Start the bot; returns once it has begun polling (its deleteWebhook call is in)."""
        assert self.proc is None, "the bot is already running"
        since = self.api.mark()
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while not self.api.calls("deleteWebhook", since=since):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start; its log:\n{self.log()}")
            time.sleep(0.02)

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut or the OOM killer would."""
        proc, self.proc = self.proc, None
        assert proc is not None, "the bot is not running"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self) -> int:
        """SIGTERM, as a service manager stops it; returns the exit status."""
        proc, self.proc = self.proc, None
        if proc is None:
            return 0
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
            raise

    def restart_after_kill(self) -> None:
        """SIGKILL, then start again over the same database."""
        self.kill()
        self.start()

    def log(self) -> str:
        """Everything the bot wrote to stdout and stderr so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Person:
    """Someone in a chat with the bot: says things, presses buttons, reads replies."""

    def __init__(self, api: ThreadedLocalBotAPI, user_id: int, chat_id: int | None = None) -> None:
        self.api = api
        self.user_id = user_id
        self.chat_id = chat_id if chat_id is not None else user_id

    def say(self, text: str, expect: str | None = None, timeout: float = 8.0) -> Msg:
        """Send text; return the bot's next message (a new one containing `expect`, if given)."""
        since = self.api.mark()
        update = self.api.send_text(self.user_id, text, self.chat_id)
        return self._reply(update["message"]["message_id"], since, expect, timeout)

    def press(
        self, label: str, expect: str | None = None, timeout: float = 8.0, *, edited: bool = False
    ) -> Msg:
        """Press the button labelled `label`; return the bot's next message: with `expect`, the
        check's message once it shows it (the pressed message edited in place after the press,
        or a new message), or with `edited` only the pressed message once edited to contain
        it; else any change."""
        since = self.api.mark()
        update = self.api.press_button(self.user_id, self.chat_id, label)
        pressed = update["callback_query"]["message"]["message_id"]
        if expect is None:
            return self._reply(pressed, since, expect, timeout)
        wanted = expect

        def shown() -> Msg | None:
            message = self.api.message(self.chat_id, pressed)
            if message is not None and message.seq > since and wanted in message.reads:
                return message
            return None if edited else self._newer(pressed, wanted)

        return self.api.wait_for(shown, timeout, what=f"the check showing {expect!r}")

    def _newer(self, after_id: int, expect: str) -> Msg | None:
        found = [
            m
            for m in self.api.bot_messages(self.chat_id)
            if m.message_id > after_id and expect in m.reads
        ]
        return found[-1] if found else None

    def _reply(self, after_id: int, since: int, expect: str | None, timeout: float) -> Msg:
        if expect is None:
            return self.api.wait_for_message(self.chat_id, since=since, timeout=timeout)

        wanted = expect
        return self.api.wait_for(
            lambda: self._newer(after_id, wanted), timeout, what=f"a new message with {expect!r}"
        )

    def texts(self) -> list[str]:
        """Every bot message in this chat, as it reads now."""
        return self.api.bot_texts(self.chat_id)


def invite(db_path: Path, agency: str = "Health") -> str:
    """A one-time code, as `triage-bot invite` issues it."""
    db = open_db(db_path)
    try:
        return practitioners.create_invite(db, agency, "test", dt.datetime.now(dt.UTC))
    finally:
        db.conn.close()


def register(pat: Person, db_path: Path) -> None:
    """Register with a fresh invite; the check's first question follows."""
    pat.say(f"/start {invite(db_path)}", expect="no names")


def walk_to_summary(pat: Person, db_path: Path, description: str = DESCRIPTION) -> Msg:
    """Answer a whole catastrophic check, up to the summary with its Submit button; returns
    once the bot has finished with the last answer (the summary is saved as the prompt)."""
    for label, next_phrase in CATASTROPHIC_PATH:
        pat.press(label, expect=next_phrase)
    pat.press("Health")
    pat.press("Police")
    pat.press("Done", expect="describe")
    pat.say(description, expect="case reference")
    summary = pat.press("Skip", expect="submit")
    wait_until(
        lambda: prompt_message(db_path, pat.user_id) == summary.message_id,
        10,
        "the bot to record the summary as the question shown",
    )
    return summary


def prompt_message(db_path: Path, user_id: int) -> int | None:
    """The message id of the question the bot last showed `user_id`, from the database."""
    db = open_db(db_path)
    try:
        return drafts.prompt_message(db, user_id)
    finally:
        db.conn.close()


def delivered(api: ThreadedLocalBotAPI, chat_id: int, ref: str) -> list[str]:
    """Texts of every sendMessage to `chat_id` naming `ref` that the server accepted."""
    return [
        str(call.params.get("text", ""))
        for call in api.calls("sendMessage", chat_id=chat_id)
        if call.ok and ref in str(call.params.get("text", ""))
    ]


def wait_delivered(
    api: ThreadedLocalBotAPI, chat_id: int, ref: str, count: int = 1, timeout: float = 15.0
) -> list[str]:
    """Wait until `count` messages naming `ref` reached `chat_id`; their texts."""
    return api.wait_for(
        lambda: found if len(found := delivered(api, chat_id, ref)) >= count else None,
        timeout,
        what=f"{count} message(s) naming {ref} in chat {chat_id}",
    )


def referral_refs(db_path: Path) -> list[str]:
    """Every filed reference, read through a separate connection."""
    db = open_db(db_path)
    try:
        return [r.ref for r in referrals.list_referrals(db)]
    finally:
        db.conn.close()


def outbox_rows(db_path: Path, ref: str) -> list[outbox.OutboxRow]:
    """Every notification row of one referral."""
    db = open_db(db_path)
    try:
        return outbox.rows_for(db, ref)
    finally:
        db.conn.close()


def settle(seconds: float = 0.7) -> None:
    """Give the bot time in which a duplicate send, if there were one, would show."""
    time.sleep(seconds)


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Another connection holding `BEGIN EXCLUSIVE` (a stuck tool, a long maintenance job)."""
    conn = sqlite3.connect(str(db_path), isolation_level=None, timeout=10)
    try:
        conn.execute("BEGIN EXCLUSIVE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def lock_for(db_path: Path, seconds: float) -> threading.Thread:
    """Hold the write lock for `seconds` on a thread; returns once the lock is held."""
    held = threading.Event()

    def hold() -> None:
        with write_lock(db_path):
            held.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, name="write-lock", daemon=True)
    thread.start()
    assert held.wait(10), "could not take the write lock"
    return thread


def wait_until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll `predicate` (a database read, say) every 10 ms until it is truthy."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def faults_taken(api: ThreadedLocalBotAPI) -> bool:
    """Whether every queued fault has been taken by a request, i.e. the request the fault
    holds is now in the server's hands. (The server records a call only once it answers.)"""
    return api.pending_faults() == 0


def wait_held_answered(api: ThreadedLocalBotAPI, timeout: float = 10.0) -> None:
    """Wait until the server has answered every request a delay held: after a kill, what the
    dead bot's request did at Telegram is done before the bot starts again (else the restarted
    bot can be quicker than the hold, and its resend lands before the original)."""
    wait_until(lambda: api.held_requests() == 0, timeout, "the server to answer what it held")


def _writable(path: Path) -> bool:
    try:
        with path.open("r+b"):
            return True
    except PermissionError:
        return False


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make the database file read-only (a mistaken permission change, a read-only mount);
    as root, whom file modes do not stop, with the immutable attribute."""
    path.chmod(0o444)
    immutable = False
    if _writable(path):
        subprocess.run(["chattr", "+i", str(path)], check=True)
        immutable = True
    try:
        assert not _writable(path), "the database could not be made read-only"
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)

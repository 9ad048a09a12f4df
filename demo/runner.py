"""`Demo`: the whole system in one process: the local Bot API server, the bot and the page.

`start()` brings up, on 127.0.0.1, a `LocalBotAPI` (free port unless one is asked for) with
the demo's people and the board group, the page's routes on the same server, and the bot
built by `build_app` exactly as `triage-bot run` builds it, run the same way
(`bot.serving.lifecycle.running`) and polling with the same loop
(`bot.serving.polling.start_polling`), pointed at that server with a throwaway database in a
temporary folder; then it issues a one-time invite for the practitioner. The page's scripted scenes
(`demo.scenes`) play through that same server, `scene_pace` seconds between steps.
`wait(stop)` runs until asked to stop; `stop()` stops a scene being played, the bot, the server
and removes the temporary folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import secrets
import shutil
import socket
import tempfile
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from bot.app import build_app
from bot.context import App
from bot.serving.lifecycle import running
from bot.serving.polling import start_polling
from bot.settings import Settings, load_settings
from demo.cast import (
    BOARD_CHAT_ID,
    BOARD_TITLE,
    CHAIR_ID,
    INVITE_AGENCY,
    OFFICER_ID,
    PARTNER_USER_IDS,
    seats_for,
)
from demo.page import DemoPage
from demo.scenes import ScenePlayer
from localapi import LocalBotAPI
from storage.db import open_db
from storage.practitioners import create_invite

log = logging.getLogger(__name__)

BOT_USERNAME = "lir_triage_demo_bot"
BOT_NAME = "LIR Triage Bot"
URGENT_CONTACTS = (
    "Children's social care / MASH (demo number): 020 7946 0000\n"
    "Emergency duty team, out of hours (demo number): 020 7946 0999"
)


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on now (the dashboard's)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def demo_token() -> str:
    """A fresh random token of Telegram's shape, known only to this process."""
    return f"{secrets.randbelow(9 * 10**9) + 10**9}:{secrets.token_urlsafe(27)}"


class Demo:
    """The server, the bot and the page; `async with Demo() as demo:` runs them."""

    def __init__(
        self,
        *,
        port: int = 0,
        log_level: str = "WARNING",
        temp_parent: Path | None = None,
        profile: str = "2013",
        scene_pace: float = 0.8,
    ) -> None:
        self.api = LocalBotAPI(
            token=demo_token(), port=port, bot_username=BOT_USERNAME, bot_name=BOT_NAME
        )
        self.profile = profile
        self.seats = seats_for(profile)
        self.player = ScenePlayer(
            self.api,
            {s.slug: s for s in self.seats},
            db_path=lambda: None if self.settings is None else self.settings.db_path,
            invite=lambda: self.page.invite_code,
            pace=scene_pace,
        )
        self.page = DemoPage(self.api, self.seats, self.player)
        self.page.add_routes(self.api.app)
        self.log_level = log_level
        self.temp_parent = temp_parent
        self.workdir: Path | None = None
        self.settings: Settings | None = None
        self.app: App | None = None
        self._stop_polling = asyncio.Event()
        self._polling: asyncio.Task[None] | None = None
        self._running = contextlib.AsyncExitStack()

    @property
    def url(self) -> str:
        """The page's address."""
        return self.api.url + "/"

    @property
    def invite_code(self) -> str:
        """The practitioner's one-time invite code (after `start`)."""
        if self.page.invite_code is None:
            raise RuntimeError("the demo is not started")
        return self.page.invite_code

    def _settings(self, db_path: Path) -> Settings:
        port = free_port()
        page = urlsplit(self.api.url).port
        return load_settings(
            {
                "TELEGRAM_BOT_TOKEN": self.api.token,
                "TELEGRAM_BASE_URL": self.api.base_url,
                "TRIAGE_DB": str(db_path),
                "BOARD_CHAT_ID": str(BOARD_CHAT_ID),
                "CHAIR_USER_IDS": str(CHAIR_ID),
                "OFFICER_USER_IDS": str(OFFICER_ID),
                "URGENT_CONTACTS": URGENT_CONTACTS,
                "LOG_LEVEL": self.log_level,
                # The dashboard on a port of its own, framed by the page (both addresses).
                "WEBAPP_URL": f"http://127.0.0.1:{port}/",
                "WEBAPP_PORT": str(port),
                "WEBAPP_FRAME_ANCESTORS": f"http://127.0.0.1:{page},http://localhost:{page}",
                **self._profile_settings(),
            }
        )

    def _profile_settings(self) -> dict[str, str]:
        """Under wt2023: its matrix and the three partners' leads, who decide jointly."""
        if self.profile == "2013":
            return {}
        return {"MATRIX": self.profile, "PARTNER_USER_IDS": PARTNER_USER_IDS}

    async def start(self) -> None:
        """Start the server, the bot (polling) and issue the practitioner's invite."""
        self.workdir = Path(tempfile.mkdtemp(prefix="triage-demo-", dir=self.temp_parent))
        try:
            for seat in self.seats:
                self.api.add_user(seat.user_id, seat.first_name, last_name=seat.last_name)
            self.api.add_chat(BOARD_CHAT_ID, "supergroup", BOARD_TITLE)
            await self.api.start()
            self.settings = self._settings(self.workdir / "demo.db")
            self.page.dashboard_url = self.settings.webapp_url
            await self._start_bot(self.settings)
            self._issue_invite(self.settings)
        except BaseException:
            await self.stop()
            raise

    async def _start_bot(self, settings: Settings) -> None:
        """As `bot.serving.polling.run_polling` does for `triage-bot run`, minus its signal
        handlers (the demo owns Ctrl-C): the application running, then polling."""
        app = build_app(settings)
        self.app = app
        await self._running.enter_async_context(running(app))
        self._polling = await start_polling(app, self._stop_polling)

    async def wait(self, stop: asyncio.Event) -> bool:
        """Run until `stop` is set (True) or the bot's polling ends on its own (False)."""
        if self._polling is None:
            raise RuntimeError("the demo is not started")
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({self._polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        return stop.is_set()

    def _issue_invite(self, settings: Settings) -> None:
        db = open_db(settings.db_path)
        try:
            now = dt.datetime.now(dt.UTC)
            self.page.invite_code = create_invite(db, INVITE_AGENCY, "demo", now)
            self.page.invite_agency = INVITE_AGENCY
        finally:
            db.conn.close()

    async def stop(self) -> None:
        """Stop the bot, then the server; remove the temporary folder and its database."""
        self.app = None
        polling, self._polling = self._polling, None
        try:
            await self.player.close()
            if polling is not None:
                self._stop_polling.set()
                try:
                    await polling
                except Exception:
                    log.exception("the demo bot's polling failed")
            await self._running.aclose()  # the application stopped, if it was started
        finally:
            self.page.close()
            await self.api.stop()
            workdir, self.workdir = self.workdir, None
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)

    async def __aenter__(self) -> Demo:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

"""The bot as `triage-bot run` builds it, polling a local Bot API server, with people to drive it.

Tests read like transcripts: `await pat.say("/start")`, `await pat.press("Yes")`, then assert
on what the bot showed. Nothing of ours is mocked: real SQLite in a temporary folder, real
HTTP to a real (local) Bot API server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

from bot.app import build_app
from bot.context import App, utc_now
from bot.serving.lifecycle import running
from bot.serving.polling import start_polling
from bot.settings import Settings, load_settings
from localapi import CallbackAnswer, LocalBotAPI, Msg

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstuvwxyz"
PRACTITIONER = 1001
OTHER_PRACTITIONER = 1002
CHAIR = 2001
SECOND_CHAIR = 2002
OFFICER = 3001
STRANGER = 4001
LA_LEAD = 5001  # Working Together 2023: the three safeguarding partners' leads
ICB_LEAD = 5002
POLICE_LEAD = 5003
PARTNERS = f"la:{LA_LEAD},icb:{ICB_LEAD},police:{POLICE_LEAD}"
PROBE = 9001  # a bystander whose /help reply proves every earlier update was handled
BOARD = -100500
AGENCIES = "Children's social care,Health,Police,Education,Voluntary sector"


def make_settings(api: LocalBotAPI, tmp_path: Path, **extra: str) -> Settings:
    """Settings exactly as the environment would give them to `triage-bot run`."""
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "TRIAGE_DB": str(tmp_path / "triage.db"),
        "BOARD_CHAT_ID": str(BOARD),
        "CHAIR_USER_IDS": str(CHAIR),
        "OFFICER_USER_IDS": str(OFFICER),
        "AGENCIES": AGENCIES,
        "URGENT_CONTACTS": "MASH duty desk: 020 7946 0000",
        **extra,
    }
    return load_settings(env)


class Running:
    """A running bot: build, start polling, stop, and start again over the same database.

    It runs as `triage-bot run` does (`bot.serving.polling.run_polling`): `build_app`, the
    application running (`bot.serving.lifecycle.running`), then `start_polling`, which
    confirms each update only once it has been handled; stopping is what SIGTERM does.
    """

    def __init__(self, settings: Settings, clock: Callable[[], dt.datetime] = utc_now) -> None:
        self.settings = settings
        self.clock = clock
        self.app: App | None = None
        self._stop = asyncio.Event()
        self._polling: asyncio.Task[None] | None = None
        self._running = AsyncExitStack()

    async def start(self) -> App:
        """Build the application as production does and start long polling."""
        app = build_app(self.settings, clock=self.clock)
        async with AsyncExitStack() as starting:
            await starting.enter_async_context(running(app))
            self._stop = asyncio.Event()
            self._polling = await start_polling(app, self._stop)
            self._running = starting.pop_all()  # up: stopped by `stop`, not here
        self.app = app
        return app

    async def stop(self) -> None:
        """Stop polling after the update in hand, then the application, as SIGTERM would."""
        app, self.app = self.app, None
        if app is None:
            return
        self._stop.set()
        try:
            if self._polling is not None:
                await self._polling
                self._polling = None
        finally:
            await self._running.aclose()


class Bots:
    """Bots started by a test with their own settings; all stopped when the test ends."""

    def __init__(self, api: LocalBotAPI, tmp_path: Path) -> None:
        self.api = api
        self.tmp_path = tmp_path
        self.running: list[Running] = []

    def settings(self, **extra: str) -> Settings:
        """Settings as in production, with `extra` environment variables."""
        return make_settings(self.api, self.tmp_path, **extra)

    async def start(
        self, settings: Settings, clock: Callable[[], dt.datetime] = utc_now
    ) -> Running:
        """Build and start a bot over `settings`."""
        bot = Running(settings, clock)
        await bot.start()
        self.running.append(bot)
        return bot

    async def stop_all(self) -> None:
        """Stop every bot still running."""
        for bot in self.running:
            await bot.stop()


class Person:
    """Someone in a chat with the bot: says things, presses buttons, reads replies."""

    def __init__(self, api: LocalBotAPI, user_id: int, chat_id: int | None = None) -> None:
        self.api = api
        self.user_id = user_id
        self.chat_id = chat_id if chat_id is not None else user_id

    async def say(self, text: str, expect: str | None = None, timeout: float = 8.0) -> Msg:
        """Send text; return the bot's next message (containing `expect`, if given)."""
        since = self.api.mark()
        self.api.send_text(self.user_id, text, self.chat_id)
        return await self.api.wait_for_message(self.chat_id, expect, since=since, timeout=timeout)

    async def press(self, label: str, expect: str | None = None, timeout: float = 8.0) -> Msg:
        """Press the button labelled `label`; return the bot's next message."""
        since = self.api.mark()
        self.api.press_button(self.user_id, self.chat_id, label)
        return await self.api.wait_for_message(self.chat_id, expect, since=since, timeout=timeout)

    async def answer(self, label: str, phrase: str, timeout: float = 8.0) -> Msg:
        """Press `label`; return the check's message once it shows the next question, naming
        `phrase`: the pressed message edited in place, or a new one (after the urgent notice,
        for the summary)."""
        since = self.api.mark()
        self.api.press_button(self.user_id, self.chat_id, label)
        return await self.question(phrase, since, timeout)

    async def question(
        self, phrase: str, since: int, timeout: float = 8.0, besides: int | None = None
    ) -> Msg:
        """The bot's newest message containing `phrase` sent or edited after `since`, other
        than message `besides`."""

        def find() -> Msg | None:
            for message in reversed(self.api.bot_messages(self.chat_id)):
                if (
                    message.seq > since
                    and message.message_id != besides
                    and phrase in message.reads
                ):
                    return message
            return None

        return await self.api.wait_for(find, timeout, what=f"a question about {phrase!r}")

    async def press_on(self, message_id: int, label: str, timeout: float = 8.0) -> str:
        """Press a button on a given message; return the callback answer's text."""
        since = self.api.mark()
        update = self.api.press_button(self.user_id, self.chat_id, label, message_id=message_id)
        return await self.answer_text(update, since, timeout)

    async def send_media(self, kind: str, expect: str | None = None, timeout: float = 8.0) -> Msg:
        """Send a non-text message (photo, sticker, location…); return the bot's next message."""
        since = self.api.mark()
        self.api.send_media(self.user_id, kind, self.chat_id)
        return await self.api.wait_for_message(self.chat_id, expect, since=since, timeout=timeout)

    async def reply(
        self, message_id: int, text: str, expect: str | None = None, timeout: float = 8.0
    ) -> Msg:
        """Reply to message `message_id` with text; return the bot's next message."""
        since = self.api.mark()
        self.api.send_text(self.user_id, text, self.chat_id, reply_to=message_id)
        return await self.api.wait_for_message(self.chat_id, expect, since=since, timeout=timeout)

    async def edit(
        self, message_id: int, text: str, expect: str | None = None, timeout: float = 8.0
    ) -> Msg:
        """Edit one's own earlier message; return the bot's next message."""
        since = self.api.mark()
        self.api.edit_user_message(self.user_id, self.chat_id, message_id, text)
        return await self.api.wait_for_message(self.chat_id, expect, since=since, timeout=timeout)

    async def press_data(self, message_id: int, data: str, timeout: float = 8.0) -> str:
        """Press with arbitrary callback data (a forged button); return the answer's text."""
        since = self.api.mark()
        update = self.api.press(self.user_id, self.chat_id, message_id, data)
        return await self.answer_text(update, since, timeout)

    async def answer_text(self, update: dict, since: int, timeout: float) -> str:  # type: ignore[type-arg]
        """Wait for the bot to answer the callback query of `update`; its text."""
        return (await self.answer_of(update, timeout)).reads

    async def answer_of(self, update: dict, timeout: float = 8.0) -> CallbackAnswer:  # type: ignore[type-arg]
        """Wait for the bot to answer the callback query of `update`; the answer."""
        query_id = update["callback_query"]["id"]
        return await self.api.wait_for(
            lambda: self.api.callback_answer(query_id), timeout, what="a callback answer"
        )

    async def alert(self, message_id: int, data: str, timeout: float = 8.0) -> CallbackAnswer:
        """Press with arbitrary callback data on a message; how the bot answered the press."""
        update = self.api.press(self.user_id, self.chat_id, message_id, data)
        return await self.answer_of(update, timeout)

    def sent_last(self) -> Msg:
        """This person's own newest message in the chat."""
        mine = [m for m in self.api.messages(self.chat_id) if m.sender_id == self.user_id]
        assert mine, "this person has said nothing here"
        return mine[-1]

    def last(self) -> Msg:
        """The bot's newest message in this chat."""
        message = self.api.last_bot_message(self.chat_id)
        assert message is not None, "the bot has said nothing here"
        return message

    def texts(self) -> list[str]:
        """Every bot message in this chat, as it reads now."""
        return self.api.bot_texts(self.chat_id)


async def settle(api: LocalBotAPI, timeout: float = 8.0) -> None:
    """Wait until the bot has handled every update injected so far.

    The bot handles a batch of updates (different chats concurrently) before it confirms the
    batch to Telegram, and confirms an update only with every one before it; so once a
    bystander's `/help` sent now is answered and confirmed, everything sent before is handled.
    """
    since = api.mark()
    probe = api.send_text(PROBE, "/help")
    await api.wait_for_message(PROBE, "How this works", since=since, timeout=timeout)
    await api.wait_for(
        lambda: all(u["update_id"] != probe["update_id"] for u in api.pending_updates()),
        timeout,
        what="the bot to confirm the updates it handled",
    )

"""`ThreadedLocalBotAPI`: the local Bot API server on its own thread and event loop, for
synchronous callers (a bot running as a subprocess, the benchmark, a sync test).

It exposes the same injection, inspection and fault methods as `LocalBotAPI` (they are
thread-safe) and blocking versions of the waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

from localapi.controls import BotApiControls
from localapi.models import Call, Event, Msg
from localapi.server import DEFAULT_TOKEN, LocalBotAPI

T = TypeVar("T")


class ThreadedLocalBotAPI(BotApiControls):
    """`with ThreadedLocalBotAPI() as api:` serves on a background thread until the block ends."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "lir_triage_bot",
        *,
        bot_name: str = "LIR Triage Bot",
        callback_ttl: float = 300.0,
    ) -> None:
        self.server = LocalBotAPI(
            token, host, port, bot_username, bot_name=bot_name, callback_ttl=callback_ttl
        )
        self._state = self.server._state
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start the server thread; returns once the port is bound (or raises its error)."""
        if self._thread is not None:
            raise RuntimeError("ThreadedLocalBotAPI is already started")
        self._thread = threading.Thread(target=self._run, name="local-bot-api", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError("the local Bot API server did not start")
        if self._error is not None:
            self._thread.join()
            self._thread = None
            raise self._error

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.server.start()
        except BaseException as err:  # handed to the starting thread
            self._error = err
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self.server.stop()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server and join its thread."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._loop is not None and self._stop is not None:
            with contextlib.suppress(RuntimeError):  # the loop is already gone
                self._loop.call_soon_threadsafe(self._stop.set)
        thread.join(timeout)

    def __enter__(self) -> ThreadedLocalBotAPI:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        return self.server.port

    @property
    def url(self) -> str:
        """The server's root URL."""
        return self.server.url

    @property
    def base_url(self) -> str:
        """What to pass as `base_url` (or TELEGRAM_BASE_URL) to the bot."""
        return self.server.base_url

    @property
    def base_file_url(self) -> str:
        """What to pass as `base_file_url` to the bot."""
        return self.server.base_file_url

    # -- blocking waits ------------------------------------------------------------------
    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        """Block until `predicate()` is truthy (re-checked on every change); TimeoutError."""
        value = self._state.wait_sync(predicate, timeout)
        if not value:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what or predicate}")
        return value

    def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        *,
        timeout: float = 5.0,
        since: int | None = None,
        from_bot: bool = True,
    ) -> Msg:
        """Like `LocalBotAPI.wait_for_message`, blocking."""
        try:
            return self.wait_for(
                lambda: self._match_message(chat_id, contains, since, from_bot),
                timeout,
                what=f"a message containing {contains!r} in chat {chat_id}",
            )
        except TimeoutError as err:
            raise TimeoutError(f"{err}; {self._describe(chat_id)}") from None

    def wait_for_call(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        since: int | None = None,
        ok: bool | None = None,
        timeout: float = 5.0,
    ) -> Call:
        """Like `LocalBotAPI.wait_for_call`, blocking."""
        try:
            return self.wait_for(
                lambda: self._match_call(method, chat_id, since, ok),
                timeout,
                what=f"a {method} call" + (f" to chat {chat_id}" if chat_id is not None else ""),
            )
        except TimeoutError as err:
            raise TimeoutError(f"{err}; {self._describe(None)}") from None

    def next_events(self, since: int, timeout: float = 25.0) -> list[Event]:
        """Events after `since`, waiting up to `timeout` (empty on timeout)."""
        return self._state.wait_sync(lambda: self.events(since), timeout) or []

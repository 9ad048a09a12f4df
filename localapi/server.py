"""`LocalBotAPI`: a Telegram-compatible Bot API server on 127.0.0.1, built on aiohttp.

It answers `/bot<token>/<method>` (any case, GET or POST; query string, form, JSON or
multipart) and serves files under `/file/bot<token>/<file_path>`. Every call is recorded;
faults queued with `fail`/`fail_for`/`delay` are applied before a call has any effect. A
request a `delay` holds is counted (`held_requests`) until it is answered, which it is even
when its caller has gone (killed mid-request), as Telegram's servers would.
getUpdates long-polls: it answers as soon as an update is queued or its timeout passes, and
a newer getUpdates ends an older one with 409 as Telegram does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from aiohttp import web

from localapi.controls import BotApiControls
from localapi.faults import FaultRule
from localapi.methods import HANDLERS, canonical
from localapi.models import JSON, ApiError, Call, Event, Msg
from localapi.params import read_params
from localapi.state import ApiState

T = TypeVar("T")
_LOG = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:TEST-TOKEN"
MAX_BODY = 64 * 1024 * 1024
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class LocalBotAPI(BotApiControls):
    """The local Bot API server, driven from the asyncio loop that started it."""

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
        self._state = ApiState(token, bot_username, bot_name, callback_ttl)
        self.app = web.Application(client_max_size=MAX_BODY)
        """The aiohttp application; more routes (a web view) may be added before `start`."""
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._host = host
        self._wanted_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._change = asyncio.Event()
        self._closing = asyncio.Event()
        self._wake_pending = False
        self._poll_generation = 0

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Bind (port 0: a free port) and serve until `stop`."""
        if self._runner is not None:
            raise RuntimeError("LocalBotAPI is already started")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._change = asyncio.Event()
        self._closing = asyncio.Event()
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=1.0
        )
        await runner.setup()
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self._host, self._wanted_port))
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._port = int(sock.getsockname()[1])
        self._runner = runner
        self._state.add_listener(self._on_change)

    async def stop(self) -> None:
        """End long polls and slow answers at once, close connections, free the port."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._closing.set()
        self._wake()
        self._state.remove_listener(self._on_change)
        await runner.cleanup()

    async def __aenter__(self) -> LocalBotAPI:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound port (after `start`)."""
        if self._port is None:
            raise RuntimeError("LocalBotAPI is not started")
        return self._port

    @property
    def url(self) -> str:
        """The server's root URL."""
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to pass as `base_url` to python-telegram-bot (the token is appended)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """What to pass as `base_file_url` to python-telegram-bot."""
        return f"{self.url}/file/bot"

    # -- change notification -------------------------------------------------------------
    def _wake(self) -> None:
        self._wake_pending = False
        event, self._change = self._change, asyncio.Event()
        event.set()

    def _on_change(self) -> None:
        if threading.get_ident() == self._loop_thread:
            self._wake()
        elif not self._wake_pending and self._loop is not None:
            self._wake_pending = True
            try:
                self._loop.call_soon_threadsafe(self._wake)
            except RuntimeError:  # the loop has closed
                self._wake_pending = False

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    # -- HTTP ----------------------------------------------------------------------------
    def _answer(self, method: str, params: JSON, status: int, body: JSON) -> web.Response:
        self._state.record_call(method, params, status, body)
        return web.json_response(body, status=status)

    async def _handle(self, request: web.Request) -> web.Response:
        raw_method = request.match_info["method"]
        method = canonical(raw_method) or raw_method
        try:
            params = await read_params(request)
        except ApiError as err:
            return self._answer(method, {}, err.code, err.body())
        if request.match_info["token"] != self._state.token:
            return self._answer(method, params, 401, ApiError(401, "Unauthorized").body())
        if canonical(raw_method) is None:
            missing = ApiError(404, "Not Found: method not found")
            return self._answer(method, params, 404, missing.body())
        rule = self._state.faults.take(method, params.get("chat_id"))
        if rule is None or rule.delay <= 0:
            return await self._respond(method, params, rule)
        self._state.hold(+1)
        try:
            await self._sleep(rule.delay)
            return await self._respond(method, params, rule)
        finally:  # answered (or the server stopped): no longer held
            self._state.hold(-1)

    async def _respond(self, method: str, params: JSON, rule: FaultRule | None) -> web.Response:
        failure = None if rule is None else rule.error()
        if failure is not None:
            return self._answer(method, params, failure.code, failure.body())
        try:
            if method == "getUpdates":
                result: Any = await self._get_updates(params)
            else:
                with self._state.lock:
                    result = HANDLERS[method](self._state, params)
        except ApiError as err:
            return self._answer(method, params, err.code, err.body())
        except (TypeError, ValueError, KeyError) as err:  # a malformed parameter value
            bad = ApiError(400, f"Bad Request: wrong parameter value: {err}")
            return self._answer(method, params, 400, bad.body())
        except Exception:
            _LOG.exception("local Bot API: %s failed", method)
            return self._answer(method, params, 500, ApiError(500, "Internal Server Error").body())
        return self._answer(method, params, 200, {"ok": True, "result": result})

    async def _get_updates(self, p: JSON) -> list[JSON]:
        if self._state.webhook_url:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset = int(p.get("offset") or 0)
        limit = int(p.get("limit") or 100)
        timeout = max(0.0, min(float(p.get("timeout") or 0), 50.0))
        allowed = p.get("allowed_updates")
        allowed = [str(a) for a in allowed] if isinstance(allowed, list) else None
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            change = self._change
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT_POLL)
            updates = self._state.take_updates(offset, limit, allowed)
            remaining = deadline - loop.time()
            if updates or remaining <= 0 or self._closing.is_set():
                return updates
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(change.wait(), remaining)

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self._state.token:
            return web.json_response(ApiError(401, "Unauthorized").body(), status=401)
        path = request.match_info["path"]
        with self._state.lock:
            stored = next((f for f in self._state.files.values() if f.file_path == path), None)
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").body(), status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type)

    # -- async waits ---------------------------------------------------------------------
    async def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, *, what: str = ""
    ) -> T:
        """Wait until `predicate()` is truthy and return its value; it is re-checked after
        every change. TimeoutError (naming `what`) after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            change = self._change
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {timeout} s waiting for {what or predicate}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(change.wait(), remaining)

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        *,
        timeout: float = 5.0,
        since: int | None = None,
        from_bot: bool = True,
    ) -> Msg:
        """The newest bot message in `chat_id` sent or edited after `since` (default: after
        the last injected update) whose text/caption contains `contains`."""
        try:
            return await self.wait_for(
                lambda: self._match_message(chat_id, contains, since, from_bot),
                timeout,
                what=f"a message containing {contains!r} in chat {chat_id}",
            )
        except TimeoutError as err:
            raise TimeoutError(f"{err}; {self._describe(chat_id)}") from None

    async def wait_for_call(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        since: int | None = None,
        ok: bool | None = None,
        timeout: float = 5.0,
    ) -> Call:
        """The first call of `method` after `since` (default: after the last injected update)."""
        try:
            return await self.wait_for(
                lambda: self._match_call(method, chat_id, since, ok),
                timeout,
                what=f"a {method} call" + (f" to chat {chat_id}" if chat_id is not None else ""),
            )
        except TimeoutError as err:
            raise TimeoutError(f"{err}; {self._describe(None)}") from None

    async def next_events(self, since: int, timeout: float = 25.0) -> list[Event]:
        """Long-poll the change stream: events after `since`, waiting up to `timeout`."""
        try:
            return await self.wait_for(lambda: self.events(since), timeout)
        except TimeoutError:
            return []

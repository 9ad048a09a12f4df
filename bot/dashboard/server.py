"""The dashboard's HTTP server (aiohttp), in the bot's own process, behind the board's TLS proxy.

`/` is the page (`templates/dashboard/index.html.j2`, rendered once: it holds no data), with its
script and style under `/static/`; the data comes from `GET /api/<view>` (`views.VIEWS`). Each
API request must carry `Authorization: tma <initData>` (`initdata.Checker`): without a valid one,
401 and no data; a valid one of a person who is not an officer, chair or partner, 403. Each
person's requests are rate-limited (429). Any other path or method gets 404 or 405 and no body.

Every answer says `Cache-Control: no-store` and carries a Content-Security-Policy: scripts and
styles from this server only (and Telegram's `telegram-web-app.js`, which the page can do
without), and `frame-ancestors` naming Telegram's web clients and `WEBAPP_FRAME_ANCESTORS` (the
demo's page). There is no access log: the only line a request can leave is its refusal (the
status and a reason word; never the init data, a header or the token).

A person refused as not on the board (someone taken off it, whose menu button was set while
they were on it) has the button set back to Telegram's default (`menu.reset_menu_button`).

`serving(app)` runs the server while the application runs (`bot.serving.lifecycle.running`),
when `WEBAPP_URL` is set; otherwise it does nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

from bot.context import App, Services, utc_now
from bot.dashboard import menu, views
from bot.dashboard.initdata import Checker, Unauthenticated
from bot.flood import FloodGuard
from templates import render

log = logging.getLogger(__name__)


class _OnlyTheRefusal(logging.Filter):
    """aiohttp's own line for a request it could not read (a header or request line too long,
    a malformed request) quotes the start of what was sent, which may be init data: the line is
    replaced by the refusal alone, without its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = "dashboard request refused: 400 unreadable", ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


# The server's own logger (aiohttp's `logger`), whose every line is a refusal.
http_log = logging.getLogger(f"{__name__}.http")
http_log.addFilter(_OnlyTheRefusal())

STATIC = Path(__file__).resolve().parent / "static"
FILES = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
# Telegram's web clients, which show a Mini App in a frame.
TELEGRAM_WEB = (
    "https://web.telegram.org",
    "https://webk.telegram.org",
    "https://webz.telegram.org",
)
BURST, RATE = 30.0, 1.0  # a person's requests: 30 at once, then one a second
MAX_LINE = 2048  # the request line; the Authorization header is checked by `initdata`
MAX_FIELD = 8192  # any header's length: longer is refused with 400 before a handler runs

SERVICES = web.AppKey("services", Services)
CHECKER = web.AppKey("checker", Checker)
LIMITS = web.AppKey("limits", FloodGuard)
PAGE = web.AppKey("page", str)
Former = Callable[[int], None]
FORMER: web.AppKey[Former] = web.AppKey("former")
POLICY = web.AppKey("policy", str)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def policy(frame_ancestors: tuple[str, ...]) -> str:
    """The Content-Security-Policy of every answer."""
    ancestors = " ".join((*TELEGRAM_WEB, *frame_ancestors))
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {TELEGRAM_SCRIPT}",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {ancestors}",
        )
    )


def _refuse(status: int, reason: str) -> web.Response:
    """An answer with no data; its one log line."""
    log.info("dashboard request refused: %d %s", status, reason)
    return web.Response(status=status)


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every answer (a refusal too) uncached, framed only where allowed, never sniffed."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # aiohttp's own 404 and 405: nothing but the status
        response = _refuse(exc.status, "no_such_page")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = request.app[POLICY]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def page(request: web.Request) -> web.Response:
    """The page: words and markup only."""
    return web.Response(text=request.app[PAGE], content_type="text/html")


async def static(request: web.Request) -> web.StreamResponse:
    """The page's script or style."""
    name = request.match_info["name"]
    if name not in FILES:
        return _refuse(404, "no_such_file")
    body = (STATIC / name).read_bytes()
    return web.Response(body=body, content_type=FILES[name], charset="utf-8")


async def api(request: web.Request) -> web.Response:
    """`GET /api/<view>`: checked, limited, then the view's JSON."""
    view = views.VIEWS.get(request.match_info["view"])
    if view is None:
        return _refuse(404, "no_such_view")
    s = request.app[SERVICES]
    try:
        # The init data's age is the world's time, whatever clock the board's days run on.
        visitor = request.app[CHECKER].visitor(request.headers.get("Authorization"), utc_now())
    except Unauthenticated as exc:
        return _refuse(401, exc.reason)
    if not request.app[LIMITS].allow(visitor.user_id):
        return _refuse(429, "too_fast")
    if not s.settings.is_officer(visitor.user_id):
        request.app[FORMER](visitor.user_id)
        return _refuse(403, "not_on_the_board")
    body = json.dumps(view(s, visitor.user_id), separators=(",", ":"), ensure_ascii=False)
    return web.Response(text=body, content_type="application/json")


def build(s: Services, former: Former, limits: FloodGuard | None = None) -> web.Application:
    """The dashboard's aiohttp application over the bot's services; `former(user_id)` is
    told of each person refused as not on the board (once each)."""
    web_app = web.Application(middlewares=[headers], client_max_size=1024)
    web_app[SERVICES] = s
    web_app[CHECKER] = Checker(s.settings.token)
    web_app[LIMITS] = limits or FloodGuard(burst=BURST, rate=RATE)
    web_app[FORMER] = former
    web_app[POLICY] = policy(s.settings.webapp_frame_ancestors)
    web_app[PAGE] = render("dashboard/index.html.j2", telegram_script=TELEGRAM_SCRIPT)
    web_app.router.add_get("/", page)
    web_app.router.add_get("/static/{name}", static)
    web_app.router.add_get("/api/{view}", api)
    return web_app


@asynccontextmanager
async def serving(app: App) -> AsyncIterator[web.AppRunner | None]:
    """The dashboard served on `WEBAPP_LISTEN`:`WEBAPP_PORT` while inside, when `WEBAPP_URL` is
    set (None otherwise)."""
    s = app.bot_data.services
    settings = s.settings
    if not settings.webapp_url:
        yield None
        return
    told: set[int] = set()
    tasks: set[asyncio.Task[None]] = set()

    def former(user_id: int) -> None:
        if user_id in told:
            return
        told.add(user_id)
        task = asyncio.create_task(menu.reset_menu_button(app, user_id))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    runner = web.AppRunner(
        build(s, former),
        access_log=None,
        logger=http_log,
        max_line_size=MAX_LINE,
        max_field_size=MAX_FIELD,
    )
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.webapp_listen, settings.webapp_port)
        await site.start()
        yield runner
    finally:
        await runner.cleanup()
        for task in tasks:
            task.cancel()

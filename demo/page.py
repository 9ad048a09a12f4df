"""The demo page's HTTP side: the page itself, its static files and its small JSON API.

Routes (added to the local Bot API server's aiohttp application before it starts):

- `GET /` the page; `GET /static/...` its CSS, JS and icon (also at `/favicon.ico`).
- `GET /api/state` the seats with every message, the invite code, the scenes the page offers
  and the change counter to poll from.
- `GET /api/events?since=N&scene=V` long-polls the server's change stream and answers with
  what changed in the chats since N: messages (new or edited, as they now are), deletions,
  the bot's answers to button presses (toasts) and "typing" actions; and the scene's status
  (at once when its version is not V).
- `POST /api/send` `{seat, text}` sends text as the seat's person in the seat's chat.
- `POST /api/press` `{seat, message_id, data}` presses an inline button as that person.
- `POST /api/scene` `{name}` starts playing a scripted scene (`demo.scenes`), one at a time.
- `GET /api/file/{seat}/{message_id}` downloads the document a message carries.
- `GET /api/dashboard/{seat}` the address that opens the dashboard (SPEC §10) as that seat's
  person, with init data signed now with the demo's token (`#tgWebAppData=`, as Telegram
  passes it): the bot checks it as it checks Telegram's. Only the board members' seats.

The page plays the chair, so its API is guarded against other web pages: every request must
name this machine in its `Host` header (127.0.0.1, localhost or [::1]: DNS rebinding gives an
attacker's name), every API request must carry the per-run token the page was served with
(`X-Demo-Token`, or `?token=` on a file link), a browser's `Origin`, when sent, must be the
page's own, and a POST must be JSON (`Content-Type: application/json`), which a cross-site
form or a "simple" request cannot send without the browser asking first. No other site may
frame the page (clickjacking: a frame could lure a press on the chair's buttons): every answer
to the page's paths carries `X-Frame-Options: DENY` and a `Content-Security-Policy` with
`frame-ancestors 'none'` (`PAGE_HEADERS`).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.dashboard.initdata import sign
from demo.cast import DASHBOARD_SEATS, SEATS, Seat
from demo.render import message_view
from demo.scenes import ScenePlayer, available
from localapi import Event, LocalBotAPI, Msg
from templates import render

STATIC_DIR = Path(__file__).parent / "static"
MAX_TEXT = 4096
POLL_SECONDS = 25.0
NO_CACHE = {"Cache-Control": "no-store"}
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TOKEN_PLACEHOLDER = "%%DEMO_TOKEN%%"
TAGLINE_PLACEHOLDER = "%%TAGLINE%%"  # who the visitor plays, from the seats of the profile
PAGE_PATHS = ("/api/", "/static/")
PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; object-src 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class _Refused(Exception):
    """A request the page API refuses with 400; the message says why."""


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status, headers=NO_CACHE)


class DemoPage:
    """The page over one `LocalBotAPI`: who sits where, the invite to show, the routes."""

    def __init__(
        self,
        api: LocalBotAPI,
        seats: Sequence[Seat] = SEATS,
        player: ScenePlayer | None = None,
    ) -> None:
        self.api = api
        self.seats = {s.slug: s for s in seats}
        self.invite_code: str | None = None
        self.invite_agency: str | None = None
        self.player = player
        self._closing = asyncio.Event()
        self._scene_changed = asyncio.Event()
        if player is not None:
            player.listeners.append(self._on_scene)
        self.token = secrets.token_urlsafe(24)
        self.dashboard_url = ""  # the bot's WEBAPP_URL, once the demo has started it

    def add_routes(self, app: web.Application) -> None:
        """Register the page's routes on `app` (before it starts)."""
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC_DIR, append_version=False)
        app.router.add_get("/favicon.ico", self._favicon)
        app.router.add_get("/api/state", self._state)
        app.router.add_get("/api/events", self._events)
        app.router.add_post("/api/send", self._send)
        app.router.add_post("/api/press", self._press)
        app.router.add_post("/api/scene", self._scene)
        app.router.add_get("/api/file/{seat}/{message_id}", self._file)
        app.router.add_get("/api/dashboard/{seat}", self._dashboard)
        app.middlewares.append(self._guard)

    async def _favicon(self, request: web.Request) -> web.StreamResponse:
        """The page's icon where browsers look for one by default (no 404 on each load)."""
        return web.FileResponse(
            STATIC_DIR / "favicon.svg", headers={"Content-Type": "image/svg+xml", **PAGE_HEADERS}
        )

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse requests to the page that another web page could have made (see above)."""
        if request.path != "/" and not request.path.startswith(PAGE_PATHS):
            return await handler(request)  # the Bot API itself: the bot's own requests
        refusal = self._refusal(request)
        try:
            response = _error(403, refusal) if refusal else await handler(request)
        except web.HTTPException as exc:  # a 404 of the static files, say
            exc.headers.update(PAGE_HEADERS)
            raise
        response.headers.update(PAGE_HEADERS)
        return response

    def _refusal(self, request: web.Request) -> str:
        host = urlsplit(f"//{request.host}").hostname or ""
        if host.lower() not in LOCAL_HOSTS:
            return "the demo answers only on this computer's own address"
        origin = request.headers.get("Origin")
        if origin is not None and urlsplit(origin).netloc != request.host:
            return "requests from other web pages are refused"
        if not request.path.startswith("/api/"):
            return ""
        given = request.headers.get("X-Demo-Token") or request.query.get("token", "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return "this request does not come from the demo page; reload it"
        if request.method == "POST" and request.content_type != "application/json":
            return "the body must be JSON (Content-Type: application/json)"
        return ""

    def close(self) -> None:
        """Answer every waiting long poll now (the demo is stopping)."""
        self._closing.set()

    def _on_scene(self) -> None:
        """Wake the waiting long polls: the scene's status changed."""
        self._scene_changed.set()
        self._scene_changed = asyncio.Event()

    def _scene_status(self) -> dict[str, Any]:
        if self.player is None:
            return {"available": [], "name": "", "state": "idle", "caption": "", "version": 0}
        return self.player.status()

    # -- views ---------------------------------------------------------------------------
    def _seat_by_chat(self, chat_id: int | None) -> Seat | None:
        return next((s for s in self.seats.values() if s.chat_id == chat_id), None)

    def _view(self, seat: Seat, message: Msg) -> dict[str, Any]:
        sender = message.data.get("from") or {}
        name = " ".join(
            str(sender[k]) for k in ("first_name", "last_name") if sender.get(k)
        ).strip()
        return message_view(message, seat.slug, name or "Unknown")

    def _changes(self, events: list[Event]) -> list[dict[str, Any]]:
        changes: dict[tuple[str, int | str], dict[str, Any]] = {}
        for n, event in enumerate(events):
            seat = self._seat_by_chat(event.chat_id)
            if seat is None:
                continue
            if event.kind in ("message", "edit", "delete") and event.message_id is not None:
                key: tuple[str, int | str] = (seat.slug, event.message_id)
                changes.pop(key, None)  # keep the newest, in the order it happened
                current = self.api.message(seat.chat_id, event.message_id)
                if current is None:
                    changes[key] = {"type": "delete", "seat": seat.slug, "id": event.message_id}
                else:
                    changes[key] = {
                        "type": "message",
                        "seat": seat.slug,
                        "message": self._view(seat, current),
                    }
            elif event.kind == "callback_answer" and event.data.get("text"):
                changes[(seat.slug, f"toast{n}")] = {
                    "type": "toast",
                    "seat": seat.slug,
                    "text": str(event.data["text"]),
                    "alert": bool(event.data.get("show_alert")),
                }
            elif event.kind == "chat_action":
                changes[(seat.slug, "typing")] = {"type": "typing", "seat": seat.slug}
        return list(changes.values())

    # -- handlers ------------------------------------------------------------------------
    async def _index(self, request: web.Request) -> web.StreamResponse:
        plays = [seat.plays for seat in self.seats.values()]
        tagline = render("demo/tagline.j2", plays=plays)
        html = (STATIC_DIR / "index.html").read_text().replace(TOKEN_PLACEHOLDER, self.token)
        html = html.replace(TAGLINE_PLACEHOLDER, tagline)
        return web.Response(text=html, content_type="text/html", headers=NO_CACHE)

    async def _state(self, request: web.Request) -> web.Response:
        seq = self.api.mark()  # before the snapshot: nothing between is missed
        seats = []
        for seat in self.seats.values():
            messages = [self._view(seat, m) for m in self.api.messages(seat.chat_id)]
            seats.append({**seat.to_dict(), "messages": messages})
        bot = self.api.bot_user
        body = {
            "seq": seq,
            "bot": {"name": bot["first_name"], "username": bot["username"]},
            "invite": {"code": self.invite_code, "agency": self.invite_agency},
            "seats": seats,
            "scene": self._scene_status(),
        }
        return web.json_response(body, headers=NO_CACHE)

    async def _events(self, request: web.Request) -> web.Response:
        try:
            since = int(request.query.get("since", "0"))
            timeout = float(request.query.get("timeout", str(POLL_SECONDS)))
            version = int(request.query.get("scene", "-1"))
        except ValueError:
            return _error(400, "since, timeout and scene must be numbers")
        if since < 0:
            return _error(400, "since must not be negative")
        timeout = max(0.0, min(timeout, POLL_SECONDS))
        events = await self._wait(since, timeout, version)
        seq = events[-1].seq if events else since
        body = {"seq": seq, "changes": self._changes(events), "scene": self._scene_status()}
        return web.json_response(body, headers=NO_CACHE)

    async def _wait(self, since: int, timeout: float, version: int) -> list[Event]:
        """The events after `since`, waiting up to `timeout` for one, or for the demo to stop
        or the scene's status to change (no wait when its version is already not `version`)."""
        if self._closing.is_set() or version not in (-1, self._scene_status()["version"]):
            return self.api.events(since)
        waiter = asyncio.ensure_future(self.api.next_events(since, timeout))
        closing = asyncio.ensure_future(self._closing.wait())
        scene = asyncio.ensure_future(self._scene_changed.wait())
        try:
            await asyncio.wait({waiter, closing, scene}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waiter, closing, scene):
                task.cancel()
        if waiter.done() and not waiter.cancelled():
            return waiter.result()
        return self.api.events(since)

    async def _body(self, request: web.Request) -> tuple[Seat, dict[str, Any]]:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _Refused("the body must be JSON") from None
        if not isinstance(body, dict):
            raise _Refused("the body must be a JSON object")
        seat = self.seats.get(str(body.get("seat")))
        if seat is None:
            raise _Refused(f"seat must be one of {', '.join(self.seats)}")
        return seat, body

    async def _send(self, request: web.Request) -> web.Response:
        try:
            seat, body = await self._body(request)
        except _Refused as err:
            return _error(400, str(err))
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            return _error(400, "text must not be empty")
        if len(text) > MAX_TEXT:
            return _error(400, f"text must be at most {MAX_TEXT} characters")
        update = self.api.send_text(seat.user_id, text, seat.chat_id)
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def _press(self, request: web.Request) -> web.Response:
        try:
            seat, body = await self._body(request)
        except _Refused as err:
            return _error(400, str(err))
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            return _error(400, "message_id must be a number and data a string")
        message = self.api.message(seat.chat_id, message_id)
        if message is None or data not in {b.callback_data for b in message.buttons}:
            return _error(409, "That button is no longer there.")
        update = self.api.press(seat.user_id, seat.chat_id, message_id, data)
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def _scene(self, request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "the body must be JSON")
        name = body.get("name") if isinstance(body, dict) else None
        offered = available(self.seats) if self.player is not None else []
        if self.player is None or name not in offered:
            return _error(400, f"name must be one of: {', '.join(offered) or 'none here'}")
        if self.player.playing:
            return _error(409, "A scene is already playing; wait for its end.")
        self.player.play(str(name))
        return web.json_response({"ok": True, "scene": self._scene_status()})

    async def _file(self, request: web.Request) -> web.Response:
        seat = self.seats.get(request.match_info["seat"])
        try:
            message_id = int(request.match_info["message_id"])
        except ValueError:
            return _error(404, "no such message")
        message = None if seat is None else self.api.message(seat.chat_id, message_id)
        document = None if message is None else message.data.get("document")
        if message is None or message.file_id is None or not isinstance(document, dict):
            return _error(404, "no document in that message")
        name = str(document.get("file_name") or "document")
        ascii_name = name.encode("ascii", "replace").decode().replace('"', "'")
        disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
        return web.Response(
            body=self.api.file_bytes(message.file_id),
            content_type=str(document.get("mime_type") or "application/octet-stream"),
            headers={"Content-Disposition": disposition, **NO_CACHE},
        )

    async def _dashboard(self, request: web.Request) -> web.Response:
        seat = self.seats.get(request.match_info["seat"])
        if seat is None or seat.slug not in DASHBOARD_SEATS or not self.dashboard_url:
            return _error(404, "no dashboard for that column")
        now = dt.datetime.now(dt.UTC)
        init = sign(self.api.token, seat.user_id, seat.first_name, now)
        address = f"{self.dashboard_url}#tgWebAppData={quote(init, safe='')}"
        return web.json_response(
            {"ok": True, "url": address + "&tgWebAppVersion=8.0&tgWebAppPlatform=web"},
            headers=NO_CACHE,
        )

"""The webhook: Telegram's POST is answered only once the bot has handled the update in it.

python-telegram-bot's own webhook server puts each update on a queue and answers Telegram
at once, so an update being handled when the process is killed is gone for good, as with its
`Updater`'s polling (see `bot.serving.polling`). Here the request handler runs the update
through the application and only then answers 200: if the process dies first, Telegram gets
no answer and delivers the update again, so the guarantee of long polling (handled at least
once, never dropped) holds for the webhook too.

It listens on `WEBHOOK_LISTEN` (127.0.0.1 by default) over plain HTTP: put it behind a
reverse proxy that terminates TLS (Telegram only calls https URLs) and forwards `WEBHOOK_URL`'s
path to `WEBHOOK_PORT`. Every request must carry the secret token Telegram was given
(`X-Telegram-Bot-Api-Secret-Token`); anything else is refused with 403 and not read.

Telegram POSTs an update again whenever its answer is slow, and may POST one chat's updates at
once: `bot.serving.once.Once` handles each update id once (a copy waits for the first and is
answered 200 without acting, also after a restart: the ids are kept in SQLite for Telegram's
retry window) and each chat's updates in the order they came, other chats meanwhile.

A connection must send its request's headers within `READ_TIMEOUT_SECONDS` of opening (and an
idle kept-alive one is closed after as long), and its body within as long again; a request
that dawdles is dropped, so half-sent connections cannot pile up. A body over `MAX_BODY` is
refused (413).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.context import App
from bot.logs import reason
from bot.serving.lifecycle import running, stop_on_signals
from bot.serving.once import Once
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; anything larger is not Telegram's
# Telegram sends a whole update at once; a client slower than this is not Telegram.
READ_TIMEOUT_SECONDS = 10.0


def webhook_app(
    app: App, secret: str, path: str, read_timeout: float = READ_TIMEOUT_SECONDS
) -> web.Application:
    """The aiohttp application that takes Telegram's POSTs at `path` for `app`."""
    s = app.bot_data.services
    once = Once(s.db, s.clock)

    async def take_update(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("a webhook request without the secret token was refused")
            return web.Response(status=403)
        try:
            async with asyncio.timeout(read_timeout):
                body = await request.read()
        except TimeoutError:
            log.warning("a webhook request did not send its body in time; dropped")
            raise web.HTTPRequestTimeout(headers={"Connection": "close"}) from None
        try:
            update = Update.de_json(json.loads(body), app.bot)
        except Exception as exc:  # answered, so Telegram does not send it again and again
            log.error("a webhook update could not be read (%s); skipped", reason(exc))
            return web.Response(status=200)
        if update is None:
            return web.Response(status=200)
        # Errors go to the error handler, as when polling; a copy is answered without acting.
        if not await once.handle(update.update_id, update, lambda: app.process_update(update)):
            log.info("update %s was already handled; answered again", update.update_id)
        return web.Response(status=200)

    server = web.Application(client_max_size=MAX_BODY)
    server.router.add_post(path, take_update)
    return server


async def serve_webhook(
    app: App,
    settings: Settings,
    stop: asyncio.Event | None = None,
    read_timeout: float = READ_TIMEOUT_SECONDS,
) -> None:
    """Set the webhook, serve it until SIGINT/SIGTERM (or `stop`), then shut down cleanly;
    a connection that does not send its request within `read_timeout` is closed."""
    if stop is None:
        stop = stop_on_signals()
    path = urlsplit(settings.webhook_url).path or "/"
    server = webhook_app(app, settings.webhook_secret, path, read_timeout)
    # aiohttp closes a connection still waiting for a whole request's headers (from its
    # opening, or after the last answer) once the keep-alive timeout is up.
    runner = web.AppRunner(
        server, access_log=None, keepalive_timeout=read_timeout, lingering_time=0
    )
    async with running(app):
        try:
            await runner.setup()
            await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
            await app.bot.set_webhook(
                settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            log.info("serving the webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
            await stop.wait()
        finally:
            await runner.cleanup()

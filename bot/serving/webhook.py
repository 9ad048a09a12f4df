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
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; anything larger is not Telegram's


def webhook_app(app: App, secret: str, path: str) -> web.Application:
    """The aiohttp application that takes Telegram's POSTs at `path` for `app`."""

    async def take_update(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("a webhook request without the secret token was refused")
            return web.Response(status=403)
        try:
            update = Update.de_json(json.loads(await request.read()), app.bot)
        except Exception as exc:  # answered, so Telegram does not send it again and again
            log.error("a webhook update could not be read (%s); skipped", reason(exc))
            return web.Response(status=200)
        if update is not None:
            await app.process_update(update)  # errors go to the error handler, as when polling
        return web.Response(status=200)

    server = web.Application(client_max_size=MAX_BODY)
    server.router.add_post(path, take_update)
    return server


async def serve_webhook(app: App, settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Set the webhook, serve it until SIGINT/SIGTERM (or `stop`), then shut down cleanly."""
    if stop is None:
        stop = stop_on_signals()
    path = urlsplit(settings.webhook_url).path or "/"
    runner = web.AppRunner(webhook_app(app, settings.webhook_secret, path), access_log=None)
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

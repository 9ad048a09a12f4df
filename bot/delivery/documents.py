"""Documents sent to many chats (a learning brief's HTML to every practitioner): uploaded to
Telegram once, then sent by the file id Telegram gave it, so a broadcast to thousands uploads the
file once rather than once a person.

The ids are kept in memory by the content they stand for (a restart uploads once more). An id
Telegram refuses is forgotten and the file uploaded again in the same send.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from telegram import Message
from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.serving.limits import OWN_RETRY

log = logging.getLogger(__name__)


def content_key(name: str, data: bytes) -> str:
    """What identifies a document's content: its file name and a digest of its bytes."""
    return f"{name}:{hashlib.sha256(data).hexdigest()}"


async def send_document(
    bot: ExtBot[Any],
    uploaded: dict[str, str],
    chat_id: int,
    name: str,
    data: bytes,
    caption: str,
    retries: int = OWN_RETRY,
) -> Message:
    """Send `data` as the document `name`: by its file id once uploaded, else uploaded (and its
    id kept in `uploaded`). `retries`: the rate limiter's for a 429 (`bot.serving.limits`): none
    for the outbox, which retries itself; `DIRECT_RETRIES` for a reply to a press."""
    key = content_key(name, data)
    file_id = uploaded.get(key)
    if file_id is not None:
        try:
            return await bot.send_document(
                chat_id, file_id, caption=caption, rate_limit_args=retries
            )
        except BadRequest as exc:
            if "file" not in exc.message.lower():  # the chat refuses it, not the file id
                raise
            uploaded.pop(key, None)  # Telegram no longer knows the id: upload it again
            log.info("document %s: sent by upload again", name)
    message = await bot.send_document(
        chat_id, data, filename=name, caption=caption, rate_limit_args=retries
    )
    if message.document is not None:
        uploaded[key] = message.document.file_id
    return message

"""Decoding Bot API request parameters as clients send them.

Telegram accepts the same parameters as a query string, a form-urlencoded body, a JSON body
or multipart/form-data (with file parts). python-telegram-bot sends every value as a string:
plain strings unchanged, numbers and booleans and objects JSON-encoded. Values are typed here
by parameter name, as the Bot API documents them.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from localapi.models import JSON, ApiError, Upload, bad_request

JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "menu_button",
        "media",
        "message_ids",
        "rights",
        "reaction",
        "options",
    }
)
INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "user_id",
        "message_id",
        "message_thread_id",
        "reply_to_message_id",
        "offset",
        "limit",
        "cache_time",
        "max_connections",
        "until_date",
        "duration",
        "width",
        "height",
    }
)
FLOAT_PARAMS = frozenset({"timeout", "latitude", "longitude"})
BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "revoke",
        "only_if_banned",
        "allow_paid_broadcast",
        "for_channels",
        "is_personal",
    }
)


def _coerce(name: str, value: Any) -> Any:
    if isinstance(value, Upload):
        return value
    if name in JSON_PARAMS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            if name == "reply_markup":
                raise bad_request("can't parse reply keyboard markup JSON object") from None
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in INT_PARAMS and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            if name in ("chat_id", "from_chat_id"):
                return value  # "@channelusername"
            raise bad_request(f"wrong parameter {name} specified") from None
    if name in FLOAT_PARAMS and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise bad_request(f"wrong parameter {name} specified") from None
    if name in BOOL_PARAMS and isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return value


def coerce_all(raw: dict[str, Any]) -> JSON:
    """Type every value of a raw parameter mapping; ApiError 400 on undecodable JSON."""
    return {name: _coerce(name, value) for name, value in raw.items()}


async def read_params(request: web.Request) -> JSON:
    """Read the query string and body of `request` into one typed parameter dict."""
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON request body must be an object")
            raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = Upload(
                        filename=value.filename,
                        content_type=value.content_type,
                        data=value.file.read(),
                    )
                else:
                    raw[key] = value
    return coerce_all(raw)

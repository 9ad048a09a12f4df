"""A local, Telegram-compatible Bot API server (the fake Telegram of the tests and the demo).

`LocalBotAPI` serves the Bot API wire protocol on 127.0.0.1 from an asyncio loop;
`ThreadedLocalBotAPI` runs it on a background thread for synchronous callers. Both let a
caller act as any user in any chat, inspect every call and message, and inject faults.
This package never imports `telegram`: it speaks the protocol.
"""

from localapi.controls import BotApiControls
from localapi.injection import MEDIA_KINDS
from localapi.models import (
    ApiError,
    Button,
    ButtonNotFound,
    Call,
    CallbackAnswer,
    Event,
    Msg,
    StoredFile,
    UnknownMessage,
    Upload,
)
from localapi.server import DEFAULT_TOKEN, LocalBotAPI
from localapi.threaded import ThreadedLocalBotAPI

__all__ = [
    "DEFAULT_TOKEN",
    "MEDIA_KINDS",
    "ApiError",
    "BotApiControls",
    "Button",
    "ButtonNotFound",
    "Call",
    "CallbackAnswer",
    "Event",
    "LocalBotAPI",
    "Msg",
    "StoredFile",
    "ThreadedLocalBotAPI",
    "UnknownMessage",
    "Upload",
]

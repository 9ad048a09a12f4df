"""Value objects of the local Bot API server: recorded calls, message snapshots, events, errors.

Everything here is immutable (or a fresh copy) so it can be handed to tests and to other
threads without locking. A message and a callback answer `reads` as a person sees them
(`Msg.text` and `CallbackAnswer.text` are None where Telegram sends no text).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description and optional parameters."""

    def __init__(self, code: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        """The JSON body Telegram sends for this error."""
        out: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        return out


def bad_request(what: str) -> ApiError:
    """A 400 answer with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {what}")


class ButtonNotFound(LookupError):
    """No bot message in the chat carries a callback button with that text."""


class UnknownMessage(LookupError):
    """An injection referred to a message the server does not hold."""


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request (e.g. the `document` of sendDocument)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    def describe(self) -> JSON:
        """A JSON-friendly summary (no bytes)."""
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": len(self.data),
        }


@dataclass(frozen=True)
class StoredFile:
    """A file known to the server (sent by the bot or injected as a user's attachment)."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Call:
    """One request to the Bot API as the server answered it."""

    method: str
    params: JSON
    at: float
    status: int
    response: JSON
    seq: int = 0

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (and therefore had its effect)."""
        return self.status == 200

    @property
    def result(self) -> Any:
        """The `result` of a successful answer, else None."""
        return self.response.get("result")


@dataclass(frozen=True)
class Button:
    """An inline keyboard button as the bot sent it, with its position."""

    text: str
    callback_data: str | None
    url: str | None
    row: int
    column: int


@dataclass(frozen=True)
class Msg:
    """A snapshot of a message in a chat as it currently is (edits applied)."""

    chat_id: int
    message_id: int
    from_bot: bool
    sender_id: int
    date: int
    kind: str
    text: str | None
    source: str | None
    parse_mode: str | None
    reply_markup: JSON | None
    edit_date: int | None
    file_id: str | None
    seq: int
    data: JSON = field(repr=False)

    @property
    def reads(self) -> str:
        """The message as a person reads it: its text, or a file's caption ("" for neither)."""
        return self.text or ""

    @property
    def buttons(self) -> list[Button]:
        """The inline keyboard buttons, row by row (empty without an inline keyboard)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            Button(
                text=str(b.get("text", "")),
                callback_data=b.get("callback_data"),
                url=b.get("url"),
                row=r,
                column=c,
            )
            for r, row in enumerate(rows)
            for c, b in enumerate(row)
        ]

    @property
    def button_texts(self) -> list[str]:
        """The texts of the inline buttons, row by row."""
        return [b.text for b in self.buttons]

    @property
    def file_name(self) -> str | None:
        """The document's file name, if this message carries a document."""
        doc = self.data.get("document")
        return str(doc["file_name"]) if isinstance(doc, dict) and "file_name" in doc else None


@dataclass(frozen=True)
class Event:
    """One entry of the server's change stream (for a live web view).

    Kinds: `user`, `chat`, `message`, `edit`, `delete`, `callback_answer`, `chat_action`,
    `update` (an update queued for the bot).
    """

    seq: int
    kind: str
    chat_id: int | None
    message_id: int | None
    data: JSON = field(repr=False)

    def to_dict(self) -> JSON:
        """A JSON-friendly copy."""
        return {
            "seq": self.seq,
            "kind": self.kind,
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "data": copy.deepcopy(self.data),
        }


@dataclass(frozen=True)
class CallbackAnswer:
    """How the bot answered one callback query."""

    query_id: str
    text: str | None
    show_alert: bool
    url: str | None

    @property
    def reads(self) -> str:
        """The answer as the person reads it (a toast or an alert; "" when it said nothing)."""
        return self.text or ""

"""The server's world: users, chats, messages per chat, the update queue, files, commands,
callback queries, the call log, the requests held by a delay fault and the change stream.

One re-entrant lock guards everything, so the aiohttp handlers (on the server's loop) and
test code (on any thread) may read and change it. Every change bumps `seq`, wakes threads
waiting in `wait_sync` and calls the registered listeners (the async server wakes its
waiters through one).
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from localapi.faults import FaultBook
from localapi.models import (
    JSON,
    Call,
    CallbackAnswer,
    Event,
    Msg,
    StoredFile,
    bad_request,
)

T = TypeVar("T")

UPDATE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "callback_query",
    "inline_query",
    "chosen_inline_result",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "poll",
    "poll_answer",
    "message_reaction",
    "message_reaction_count",
)
DEFAULT_ALLOWED = frozenset(UPDATE_KINDS) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}


@dataclass
class Record:
    """A message as stored (mutable; tests get `Msg` snapshots)."""

    data: JSON
    from_bot: bool
    sender_id: int
    kind: str
    source: str | None = None
    parse_mode: str | None = None
    markup: JSON | None = None
    file_id: str | None = None
    seq: int = 0


@dataclass
class Query:
    """A callback query handed to the bot."""

    query_id: str
    chat_id: int
    message_id: int
    user_id: int
    created: float = field(default_factory=time.monotonic)
    answered: bool = False


def now_unix() -> int:
    """Telegram's `date`: whole seconds since the epoch."""
    return int(time.time())


class ApiState:
    """Everything the server knows; every method may be called from any thread."""

    def __init__(self, token: str, bot_username: str, bot_name: str, callback_ttl: float) -> None:
        head = token.split(":", 1)[0]
        if ":" not in token or not head.isdigit():
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        self.bot_id = int(head)
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.callback_ttl = callback_ttl
        self.lock = threading.RLock()
        self._cond = threading.Condition(self.lock)
        self.seq = 0
        self.users: dict[int, JSON] = {}
        self.chats: dict[int, JSON] = {}
        self.members: dict[int, set[int]] = {}
        self.blocked: set[int] = set()  # users who blocked the bot, groups that removed it
        self.msgs: dict[int, dict[int, Record]] = {}
        self._next_mid: dict[int, int] = {}
        self.updates: list[JSON] = []
        self._next_update_id = 1
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED
        self.queries: dict[str, Query] = {}
        self.answers: dict[str, CallbackAnswer] = {}
        self._next_query = 1
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}  # by private chat; None: the default
        self.webhook_url = ""
        self.calls: list[Call] = []
        self.events: list[Event] = []
        self.faults = FaultBook()
        self.held = 0  # requests a delay fault holds, not answered yet
        self.last_injection = 0
        self._listeners: list[Callable[[], None]] = []

    # -- change notification -------------------------------------------------------------
    def add_listener(self, listener: Callable[[], None]) -> None:
        """Call `listener()` (under the lock) after every change."""
        with self.lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[], None]) -> None:
        """Stop calling `listener`."""
        with self.lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def touch(self) -> int:
        """Record that something changed; returns the new sequence number."""
        with self.lock:
            self.seq += 1
            self._cond.notify_all()
            for listener in list(self._listeners):
                listener()
            return self.seq

    def hold(self, change: int) -> None:
        """Count a request the server starts (+1) or stops (-1) holding for a delay fault."""
        with self.lock:
            self.held += change
            self.touch()

    def event(self, kind: str, chat_id: int | None, message_id: int | None, data: JSON) -> Event:
        """Append to the change stream."""
        with self.lock:
            ev = Event(self.touch(), kind, chat_id, message_id, copy.deepcopy(data))
            self.events.append(ev)
            return ev

    def record_call(self, method: str, params: JSON, status: int, response: JSON) -> Call:
        """Append to the call log."""
        with self.lock:
            call = Call(method, params, time.monotonic(), status, response, self.seq + 1)
            self.calls.append(call)
            self.touch()
            return call

    def wait_sync(self, predicate: Callable[[], T], timeout: float) -> T | None:
        """Block this thread until `predicate()` is truthy (returned) or `timeout` (None)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    # -- people and chats ----------------------------------------------------------------
    @property
    def bot_user(self) -> JSON:
        """The bot as a Telegram User."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> JSON:
        """Register (or update) a user and their private chat with the bot."""
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (
            ("last_name", last_name),
            ("username", username),
            ("language_code", language_code),
        ):
            if value is not None:
                user[key] = value
        with self.lock:
            self.users[user_id] = user
            chat = {
                k: v for k, v in user.items() if k in ("id", "first_name", "last_name", "username")
            }
            chat["type"] = "private"
            self.chats[user_id] = chat
            self.members.setdefault(user_id, set()).add(user_id)
            self.event("user", user_id, None, {"user": user, "chat": chat})
            return dict(user)

    def user(self, user_id: int) -> JSON:
        """The user's dict, registering a synthetic one on first use."""
        with self.lock:
            if user_id not in self.users:
                self.add_user(user_id, f"User {user_id}")
            return dict(self.users[user_id])

    def add_chat(
        self,
        chat_id: int,
        chat_type: str = "group",
        title: str | None = None,
        username: str | None = None,
    ) -> JSON:
        """Register (or update) a chat the bot can see."""
        if chat_type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"unknown chat type {chat_type!r}")
        with self.lock:
            if chat_type == "private":
                self.user(chat_id)
                return dict(self.chats[chat_id])
            chat: JSON = {"id": chat_id, "type": chat_type, "title": title or f"Group {chat_id}"}
            if username:
                chat["username"] = username
            self.chats[chat_id] = chat
            self.members.setdefault(chat_id, set())
            self.event("chat", chat_id, None, {"chat": chat})
            return dict(chat)

    def chat_for(self, user_id: int, chat_id: int | None) -> JSON:
        """The chat an injected message from `user_id` goes to (created if need be)."""
        with self.lock:
            self.user(user_id)
            if chat_id is None or chat_id == user_id:
                return dict(self.chats[user_id])
            if chat_id not in self.chats:
                if chat_id > 0:
                    raise ValueError(f"chat {chat_id} is unknown: add_chat() it first")
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                self.add_chat(chat_id, kind)
            self.members.setdefault(chat_id, set()).add(user_id)
            return dict(self.chats[chat_id])

    def resolve_chat(self, value: Any) -> int:
        """A `chat_id` parameter to a known chat id, or 400 chat not found."""
        with self.lock:
            if value is None or value == "":
                raise bad_request("chat_id is empty")
            if isinstance(value, str) and value.startswith("@"):
                for cid, chat in self.chats.items():
                    if chat.get("username", "").lower() == value[1:].lower():
                        return cid
                raise bad_request("chat not found")
            if isinstance(value, int) and value in self.chats:
                return value
            raise bad_request("chat not found")

    # -- messages ------------------------------------------------------------------------
    def new_message_id(self, chat_id: int) -> int:
        """The next message id of a chat (ids are per chat, shared by bot and users)."""
        with self.lock:
            mid = self._next_mid.get(chat_id, 1)
            self._next_mid[chat_id] = mid + 1
            return mid

    def store(self, chat_id: int, rec: Record) -> Record:
        """Keep a new message and announce it."""
        with self.lock:
            self.msgs.setdefault(chat_id, {})[rec.data["message_id"]] = rec
            rec.seq = self.event("message", chat_id, rec.data["message_id"], rec.data).seq
            return rec

    def changed(self, chat_id: int, rec: Record) -> None:
        """Announce an edit of a stored message."""
        with self.lock:
            rec.seq = self.event("edit", chat_id, rec.data["message_id"], rec.data).seq

    def delete(self, chat_id: int, message_id: int) -> bool:
        """Forget a message; False when there was none."""
        with self.lock:
            if self.msgs.get(chat_id, {}).pop(message_id, None) is None:
                return False
            self.event("delete", chat_id, message_id, {})
            return True

    def record(self, chat_id: int, message_id: int) -> Record | None:
        """The stored message, if any."""
        with self.lock:
            return self.msgs.get(chat_id, {}).get(message_id)

    def snapshot(self, chat_id: int, rec: Record) -> Msg:
        """An immutable copy of a stored message."""
        text = rec.data.get("text", rec.data.get("caption"))
        return Msg(
            chat_id=chat_id,
            message_id=rec.data["message_id"],
            from_bot=rec.from_bot,
            sender_id=rec.sender_id,
            date=rec.data["date"],
            kind=rec.kind,
            text=text,
            source=rec.source,
            parse_mode=rec.parse_mode,
            reply_markup=copy.deepcopy(rec.markup),
            edit_date=rec.data.get("edit_date"),
            file_id=rec.file_id,
            seq=rec.seq,
            data=copy.deepcopy(rec.data),
        )

    def messages(self, chat_id: int) -> list[Msg]:
        """Snapshots of a chat's messages, oldest first."""
        with self.lock:
            return [self.snapshot(chat_id, r) for r in self.msgs.get(chat_id, {}).values()]

    # -- updates -------------------------------------------------------------------------
    def enqueue(self, kind: str, payload: JSON) -> JSON:
        """Queue an update for the bot; returns it (with its update_id)."""
        with self.lock:
            update = {"update_id": self._next_update_id, kind: copy.deepcopy(payload)}
            self._next_update_id += 1
            self.updates.append(update)
            chat = payload.get("chat") or (payload.get("message") or {}).get("chat") or {}
            self.last_injection = self.event("update", chat.get("id"), None, update).seq
            return copy.deepcopy(update)

    def take_updates(self, offset: int, limit: int, allowed: list[str] | None) -> list[JSON]:
        """getUpdates without waiting: confirm below `offset`, filter, return up to `limit`."""
        with self.lock:
            if allowed is not None:
                self.allowed_updates = frozenset(allowed) if allowed else DEFAULT_ALLOWED
            if offset < 0:
                self.updates = self.updates[offset:]
            elif offset > 0:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            self.updates = [u for u in self.updates if _kind(u) in self.allowed_updates]
            return copy.deepcopy(self.updates[: max(1, min(limit, 100))])

    # -- files and callback queries ------------------------------------------------------
    def store_file(self, file_name: str, mime_type: str, data: bytes, folder: str) -> StoredFile:
        """Keep file bytes under a fresh file_id."""
        with self.lock:
            n = len(self.files) + 1
            suffix = file_name.rsplit(".", 1)[1] if "." in file_name else "bin"
            stored = StoredFile(
                file_id=f"BQACAgQAAx{n:08d}",
                file_unique_id=f"AgAD{n:06d}",
                file_path=f"{folder}/file_{n}.{suffix}",
                file_name=file_name,
                mime_type=mime_type,
                data=data,
            )
            self.files[stored.file_id] = stored
            return stored

    def new_query(self, chat_id: int, message_id: int, user_id: int) -> Query:
        """A fresh callback query id."""
        with self.lock:
            query = Query(str(4_000_000_000_000 + self._next_query), chat_id, message_id, user_id)
            self._next_query += 1
            self.queries[query.query_id] = query
            return query


def _kind(update: JSON) -> str:
    return next((k for k in update if k != "update_id"), "")

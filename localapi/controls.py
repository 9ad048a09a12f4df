"""The test/demo side of the server: injecting what users do, inspecting what the bot did,
queueing faults. Shared by `LocalBotAPI` (async) and `ThreadedLocalBotAPI` (sync); every
method is thread-safe (the state lock guards it).
"""

from __future__ import annotations

import bisect
import json
from typing import Any

from localapi import injection
from localapi.models import JSON, Call, CallbackAnswer, Event, Msg
from localapi.state import ApiState


class BotApiControls:
    """Injection, inspection and fault methods over an `ApiState`."""

    _state: ApiState

    # -- identity ------------------------------------------------------------------------
    @property
    def token(self) -> str:
        """The one token the server accepts."""
        return self._state.token

    @property
    def bot_user(self) -> JSON:
        """The bot as a Telegram User dict."""
        return self._state.bot_user

    @property
    def seq(self) -> int:
        """The change counter: bumped by every call, message, edit and injected update."""
        return self._state.seq

    def mark(self) -> int:
        """The current change counter, to pass as `since=` to the waits."""
        return self._state.seq

    # -- users and chats -----------------------------------------------------------------
    def add_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = "en",
    ) -> JSON:
        """Register a user (and their private chat with the bot)."""
        return self._state.add_user(user_id, first_name, username, last_name, language_code)

    def add_chat(
        self,
        chat_id: int,
        type: str = "group",
        title: str | None = None,
        *,
        username: str | None = None,
    ) -> JSON:
        """Register a chat (`private`, `group`, `supergroup` or `channel`)."""
        return self._state.add_chat(chat_id, type, title, username)

    # -- injection -----------------------------------------------------------------------
    def send_text(
        self, user_id: int, text: str, chat_id: int | None = None, *, reply_to: int | None = None
    ) -> JSON:
        """A user's text message (private chat by default); returns the queued Update."""
        return injection.send_text(self._state, user_id, text, chat_id, reply_to)

    def send_message(self, user_id: int, chat_id: int | None = None, **fields: Any) -> JSON:
        """A user's message with arbitrary Message fields; returns the queued Update."""
        return injection.send_message(self._state, user_id, chat_id, fields)

    def send_media(
        self,
        user_id: int,
        kind: str,
        chat_id: int | None = None,
        *,
        caption: str | None = None,
        file_name: str | None = None,
        data: bytes | None = None,
    ) -> JSON:
        """A user's photo/document/sticker/voice/audio/video/video_note/animation/location/
        contact/venue/poll/dice message (files downloadable); returns the queued Update."""
        return injection.send_media(self._state, user_id, kind, chat_id, caption, file_name, data)

    def edit_user_message(self, user_id: int, chat_id: int, message_id: int, text: str) -> JSON:
        """The user edits their message; returns the queued `edited_message` Update."""
        return injection.edit_user_message(self._state, user_id, chat_id, message_id, text)

    def press(self, user_id: int, chat_id: int, message_id: int, data: str) -> JSON:
        """A press with any callback data on a message; returns the `callback_query` Update."""
        return injection.press(self._state, user_id, chat_id, message_id, data)

    def press_button(
        self, user_id: int, chat_id: int, text: str, *, message_id: int | None = None
    ) -> JSON:
        """Press the button labelled `text` on the newest bot message carrying it."""
        with self._state.lock:
            mid, data = injection.find_button(self._state, chat_id, text, message_id)
            return injection.press(self._state, user_id, chat_id, mid, data)

    def add_bot_to_group(
        self, chat_id: int, by_user_id: int, *, title: str | None = None, type: str = "group"
    ) -> JSON:
        """A user adds the bot to a group; returns the `my_chat_member` Update."""
        return injection.add_bot_to_group(self._state, chat_id, by_user_id, title, type)

    def remove_bot_from_group(self, chat_id: int, by_user_id: int) -> JSON:
        """A user removes the bot from a group; returns the `my_chat_member` Update."""
        return injection.remove_bot_from_group(self._state, chat_id, by_user_id)

    def block_bot(self, user_id: int) -> JSON:
        """The user blocks the bot: sends to them fail with 403 until `unblock_bot`."""
        return injection.set_blocked(self._state, user_id, True)

    def unblock_bot(self, user_id: int) -> JSON:
        """The user unblocks the bot."""
        return injection.set_blocked(self._state, user_id, False)

    def inject_update(self, kind: str, payload: JSON) -> JSON:
        """Queue a raw update of `kind` (e.g. `"poll_answer"`); returns it with its id."""
        return self._state.enqueue(kind, payload)

    # -- inspection ----------------------------------------------------------------------
    def calls(
        self, method: str | None = None, *, chat_id: int | None = None, since: int = 0
    ) -> list[Call]:
        """Recorded calls (failed ones included), oldest first, optionally filtered."""
        with self._state.lock:
            found = self._state.calls
            if since:
                found = found[bisect.bisect_right(found, since, key=lambda c: c.seq) :]
            return [
                c
                for c in found
                if (method is None or c.method.lower() == method.lower())
                and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def messages(self, chat_id: int) -> list[Msg]:
        """The chat's current messages (bot's and users'), oldest first."""
        return self._state.messages(chat_id)

    def bot_messages(self, chat_id: int) -> list[Msg]:
        """The bot's current messages in the chat, oldest first."""
        return [m for m in self._state.messages(chat_id) if m.from_bot]

    def bot_texts(self, chat_id: int) -> list[str]:
        """The bot's current messages in the chat as a person reads them, oldest first."""
        return [m.reads for m in self.bot_messages(chat_id)]

    def message(self, chat_id: int, message_id: int) -> Msg | None:
        """One message as it now is (None if never sent or deleted)."""
        with self._state.lock:
            rec = self._state.record(chat_id, message_id)
            return None if rec is None else self._state.snapshot(chat_id, rec)

    def last_bot_message(self, chat_id: int) -> Msg | None:
        """The bot's newest message in the chat."""
        with self._state.lock:
            for rec in reversed(self._state.msgs.get(chat_id, {}).values()):
                if rec.from_bot:
                    return self._state.snapshot(chat_id, rec)
            return None

    def find_button(
        self, chat_id: int, text: str, message_id: int | None = None
    ) -> tuple[int, str]:
        """(message_id, callback_data) of button `text` on the newest bot message having it;
        raises `ButtonNotFound` listing the available buttons."""
        return injection.find_button(self._state, chat_id, text, message_id)

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        """How the bot answered a callback query (None: not answered)."""
        with self._state.lock:
            return self._state.answers.get(query_id)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Commands set with setMyCommands for a scope (default scope when None)."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self._state.lock:
            return [dict(c) for c in self._state.commands.get(key, [])]

    def menu_button(self, chat_id: int | None = None) -> JSON:
        """The menu button set with setChatMenuButton for a private chat (its own, else the
        default; Telegram's default when none was set)."""
        with self._state.lock:
            found = self._state.menu_buttons.get(chat_id) or self._state.menu_buttons.get(None)
            return dict(found or {"type": "default"})

    def file_bytes(self, file_id: str) -> bytes:
        """The bytes of a file the server holds (KeyError if unknown)."""
        with self._state.lock:
            return self._state.files[file_id].data

    def pending_updates(self) -> list[JSON]:
        """Updates queued and not yet confirmed by the bot."""
        with self._state.lock:
            return [dict(u) for u in self._state.updates]

    def events(self, since: int = 0) -> list[Event]:
        """The change stream after sequence number `since`."""
        with self._state.lock:
            evs = self._state.events
            return evs[bisect.bisect_right(evs, since, key=lambda e: e.seq) :]

    # -- faults --------------------------------------------------------------------------
    def fail(
        self,
        method: str,
        status: int = 500,
        times: int = 1,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*": any) fail with `status` (429 carries
        `retry_after`, default 1); optionally only calls for `chat_id`."""
        self._state.faults.add(
            method,
            status=status,
            times=times,
            retry_after=retry_after,
            description=description,
            chat_id=chat_id,
        )

    def fail_for(
        self,
        method: str,
        seconds: float,
        status: int = 500,
        *,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Every call of `method` fails with `status` for the next `seconds`."""
        self._state.faults.add(
            method,
            status=status,
            duration=seconds,
            retry_after=retry_after,
            description=description,
            chat_id=chat_id,
        )

    def fail_some(
        self,
        method: str,
        fraction: float,
        status: int = 429,
        *,
        seconds: float = 86_400.0,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """A random `fraction` of the calls of `method` ("*": any) fail with `status` (429
        carries `retry_after`, default 1) for the next `seconds`; the draw is seeded, so a run
        meets the same faults at the same calls."""
        self._state.faults.add(
            method,
            status=status,
            duration=seconds,
            retry_after=retry_after,
            chat_id=chat_id,
            fraction=fraction,
        )

    def delay(
        self,
        method: str,
        seconds: float,
        times: int = 1,
        *,
        duration: float | None = None,
        status: int | None = None,
        chat_id: int | str | None = None,
    ) -> None:
        """Answer the next `times` calls (or all calls for `duration` s) `seconds` late. The
        call still takes effect, as on Telegram, unless `status` makes it fail."""
        self._state.faults.add(
            method, status=status, delay=seconds, times=times, duration=duration, chat_id=chat_id
        )

    def clear_faults(self) -> None:
        """Drop every queued fault."""
        self._state.faults.clear()

    def pending_faults(self) -> int:
        """How many queued faults no call has taken yet (0: each has met its request)."""
        return self._state.faults.pending()

    def held_requests(self) -> int:
        """How many requests the server holds now for a `delay` and has not yet answered; a
        held request is answered (and takes effect) even when its caller has gone."""
        with self._state.lock:
            return self._state.held

    # -- matching for the waits ----------------------------------------------------------
    def _match_message(
        self, chat_id: int, contains: str | None, since: int | None, from_bot: bool
    ) -> Msg | None:
        with self._state.lock:
            after = self._state.last_injection if since is None else since
            best = None
            for rec in self._state.msgs.get(chat_id, {}).values():
                if rec.from_bot != from_bot or rec.seq <= after:
                    continue
                text = rec.data.get("text", rec.data.get("caption")) or ""
                if (contains is None or contains in text) and (best is None or rec.seq > best.seq):
                    best = rec
            return None if best is None else self._state.snapshot(chat_id, best)

    def _match_call(
        self, method: str, chat_id: int | None, since: int | None, ok: bool | None
    ) -> Call | None:
        with self._state.lock:
            after = self._state.last_injection if since is None else since
            for call in self.calls(method, chat_id=chat_id, since=after):
                if ok is None or call.ok == ok:
                    return call
            return None

    def _describe(self, chat_id: int | None) -> str:
        if chat_id is None:
            recent = self._state.calls[-5:]
            return "recent calls: " + "; ".join(f"{c.method} {c.status}" for c in recent)
        texts = [f"{m.message_id}: {m.text!r}" for m in self.bot_messages(chat_id)[-5:]]
        return f"bot messages in chat {chat_id}: " + ("; ".join(texts) or "none")

"""What users do, turned into updates for the bot: messages of every kind, edits, button
presses, the bot being added to a group or blocked.

Every function stores what the user did (so `messages()` shows both sides of a chat) and
queues the matching update with the next update_id.
"""

from __future__ import annotations

import copy
from typing import Any

from localapi.entities import command_entities
from localapi.models import JSON, ButtonNotFound, UnknownMessage
from localapi.state import ApiState, Record, now_unix

MEDIA_KINDS = (
    "photo",
    "document",
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "location",
    "contact",
    "venue",
    "poll",
    "dice",
)
_FILE_KINDS = {
    "photo": ("photo.jpg", "image/jpeg"),
    "document": ("notes.pdf", "application/pdf"),
    "sticker": ("sticker.webp", "image/webp"),
    "voice": ("voice.ogg", "audio/ogg"),
    "audio": ("audio.mp3", "audio/mpeg"),
    "video": ("video.mp4", "video/mp4"),
    "video_note": ("note.mp4", "video/mp4"),
    "animation": ("animation.mp4", "video/mp4"),
}
_CONTENT_KEYS = (*MEDIA_KINDS, "text", "new_chat_members", "left_chat_member")


def _store_user_message(
    state: ApiState,
    user_id: int,
    chat: JSON,
    fields: JSON,
    kind: str,
    *,
    file_id: str | None = None,
    reply_to: int | None = None,
) -> JSON:
    cid = int(chat["id"])
    data: JSON = {
        "message_id": state.new_message_id(cid),
        "from": state.user(user_id),
        "chat": chat,
        "date": now_unix(),
        **copy.deepcopy(fields),
    }
    if reply_to is not None:
        target = state.record(cid, reply_to)
        if target is None:
            raise UnknownMessage(f"no message {reply_to} in chat {cid} to reply to")
        data["reply_to_message"] = {k: v for k, v in target.data.items() if k != "reply_to_message"}
    source = fields.get("text", fields.get("caption"))
    rec = Record(
        data=data,
        from_bot=False,
        sender_id=user_id,
        kind=kind,
        source=source if isinstance(source, str) else None,
        file_id=file_id,
    )
    state.store(cid, rec)
    return state.enqueue("message", data)


def send_text(
    state: ApiState,
    user_id: int,
    text: str,
    chat_id: int | None = None,
    reply_to: int | None = None,
) -> JSON:
    """A text message from a user; `/commands` get `bot_command` entities."""
    with state.lock:
        chat = state.chat_for(user_id, chat_id)
        fields: JSON = {"text": text}
        entities = command_entities(text)
        if entities:
            fields["entities"] = entities
        return _store_user_message(state, user_id, chat, fields, "text", reply_to=reply_to)


def send_message(state: ApiState, user_id: int, chat_id: int | None, fields: JSON) -> JSON:
    """A message with arbitrary Telegram Message fields (e.g. `photo=[...]`, `sticker={...}`)."""
    with state.lock:
        chat = state.chat_for(user_id, chat_id)
        kind = next((k for k in _CONTENT_KEYS if k in fields), "other")
        return _store_user_message(state, user_id, chat, fields, kind)


def _media_fields(
    state: ApiState, kind: str, user_id: int, file_name: str | None, data: bytes | None
) -> tuple[JSON, str | None]:
    if kind in _FILE_KINDS:
        default_name, mime = _FILE_KINDS[kind]
        name = file_name or default_name
        stored = state.store_file(name, mime, data or b"synthetic " + kind.encode(), kind + "s")
        base: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
        }
        shapes: dict[str, Any] = {
            "photo": [{**base, "width": 90, "height": 90}, {**base, "width": 320, "height": 320}],
            "document": {**base, "file_name": name, "mime_type": mime},
            "sticker": {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "\U0001f642",
            },
            "voice": {**base, "duration": 2, "mime_type": mime},
            "audio": {**base, "duration": 3, "mime_type": mime, "file_name": name},
            "video": {**base, "width": 320, "height": 240, "duration": 2, "mime_type": mime},
            "video_note": {**base, "length": 240, "duration": 2},
            "animation": {**base, "width": 320, "height": 240, "duration": 1, "file_name": name},
        }
        fields: JSON = {kind: shapes[kind]}
        if kind == "animation":
            fields["document"] = {**base, "file_name": name, "mime_type": mime}
        return fields, stored.file_id
    location = {"latitude": 51.5007, "longitude": -0.1246}
    user = state.user(user_id)
    others: dict[str, Any] = {
        "location": location,
        "contact": {
            "phone_number": "+447700900000",
            "first_name": user["first_name"],
            "user_id": user_id,
        },
        "venue": {"location": location, "title": "Example Hall", "address": "1 Example Street"},
        "poll": {
            "id": "5000000001",
            "question": "Which option?",
            "options": [
                {"text": "One", "voter_count": 0, "persistent_id": "1"},
                {"text": "Two", "voter_count": 0, "persistent_id": "2"},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        },
        "dice": {"emoji": "\U0001f3b2", "value": 3},
    }
    if kind not in others:
        raise ValueError(f"unknown media kind {kind!r}; known: {', '.join(MEDIA_KINDS)}")
    return {kind: others[kind]}, None


def send_media(
    state: ApiState,
    user_id: int,
    kind: str,
    chat_id: int | None = None,
    caption: str | None = None,
    file_name: str | None = None,
    data: bytes | None = None,
) -> JSON:
    """A realistic minimal non-text message (photo, sticker, voice, location, ...)."""
    with state.lock:
        chat = state.chat_for(user_id, chat_id)
        fields, file_id = _media_fields(state, kind, user_id, file_name, data)
        if caption is not None:
            fields["caption"] = caption
        return _store_user_message(state, user_id, chat, fields, kind, file_id=file_id)


def edit_user_message(
    state: ApiState, user_id: int, chat_id: int, message_id: int, text: str
) -> JSON:
    """The user edits their text message: an `edited_message` update."""
    with state.lock:
        rec = state.record(chat_id, message_id)
        if rec is None or rec.from_bot or rec.sender_id != user_id:
            raise UnknownMessage(f"user {user_id} has no message {message_id} in chat {chat_id}")
        rec.data["text"] = text
        entities = command_entities(text)
        if entities:
            rec.data["entities"] = entities
        else:
            rec.data.pop("entities", None)
        rec.data["edit_date"] = now_unix()
        rec.source = text
        state.changed(chat_id, rec)
        return state.enqueue("edited_message", rec.data)


def press(state: ApiState, user_id: int, chat_id: int, message_id: int, data: str) -> JSON:
    """A press on an inline button of a message (any data: forged data is allowed)."""
    with state.lock:
        rec = state.record(chat_id, message_id)
        if rec is None:
            raise UnknownMessage(f"no message {message_id} in chat {chat_id}")
        query = state.new_query(chat_id, message_id, user_id)
        payload: JSON = {
            "id": query.query_id,
            "from": state.user(user_id),
            "message": copy.deepcopy(rec.data),
            "chat_instance": str(abs(chat_id) * 7 + 1000003),
            "data": data,
        }
        return state.enqueue("callback_query", payload)


def find_button(
    state: ApiState, chat_id: int, text: str, message_id: int | None = None
) -> tuple[int, str]:
    """(message_id, callback_data) of the newest bot message with a callback button `text`."""

    def norm(s: str) -> str:
        return " ".join(s.split()).casefold()

    with state.lock:
        recs = [r for r in reversed(state.msgs.get(chat_id, {}).values()) if r.from_bot]
        if message_id is not None:
            recs = [r for r in recs if r.data["message_id"] == message_id]
        available: list[str] = []
        for exact in (True, False):
            for rec in recs:
                for row in (rec.markup or {}).get("inline_keyboard") or []:
                    for button in row:
                        label = str(button.get("text", ""))
                        data = button.get("callback_data")
                        if exact and data is not None:
                            available.append(f"{label!r} (message {rec.data['message_id']})")
                        hit = label == text if exact else norm(label) == norm(text)
                        if hit and data is not None:
                            return int(rec.data["message_id"]), str(data)
    where = f"message {message_id} of chat {chat_id}" if message_id else f"chat {chat_id}"
    raise ButtonNotFound(
        f"no button {text!r} in {where}; available: {', '.join(available) or 'none'}"
    )


def _member_update(state: ApiState, chat_id: int, by_user_id: int, old: str, new: str) -> JSON:
    def member(status: str) -> JSON:
        out: JSON = {"user": state.bot_user, "status": status}
        if status == "kicked":
            out["until_date"] = 0
        return out

    payload: JSON = {
        "chat": dict(state.chats[chat_id]),
        "from": state.user(by_user_id),
        "date": now_unix(),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }
    return state.enqueue("my_chat_member", payload)


def add_bot_to_group(
    state: ApiState,
    chat_id: int,
    by_user_id: int,
    title: str | None = None,
    chat_type: str = "group",
) -> JSON:
    """A user adds the bot to a group: `my_chat_member` then the service message."""
    with state.lock:
        if chat_id not in state.chats:
            state.add_chat(chat_id, chat_type, title)
        state.blocked.discard(chat_id)
        chat = state.chat_for(by_user_id, chat_id)
        update = _member_update(state, chat_id, by_user_id, "left", "member")
        _store_user_message(
            state, by_user_id, chat, {"new_chat_members": [state.bot_user]}, "new_chat_members"
        )
        return update


def remove_bot_from_group(state: ApiState, chat_id: int, by_user_id: int) -> JSON:
    """A user removes the bot from a group: `my_chat_member` member -> left; sends to the
    group then answer 403 until the bot is added again."""
    with state.lock:
        state.chat_for(by_user_id, chat_id)
        state.blocked.add(chat_id)
        return _member_update(state, chat_id, by_user_id, "member", "left")


def set_blocked(state: ApiState, user_id: int, blocked: bool) -> JSON:
    """The user blocks (or unblocks) the bot; sends to them answer 403 while blocked."""
    with state.lock:
        state.user(user_id)
        if blocked:
            state.blocked.add(user_id)
            return _member_update(state, user_id, user_id, "member", "kicked")
        state.blocked.discard(user_id)
        return _member_update(state, user_id, user_id, "kicked", "member")

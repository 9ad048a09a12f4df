"""Bot API methods that send, edit and delete messages and documents, with Telegram's checks.

Each handler takes the state and the decoded parameters, returns the `result` of the answer
or raises `ApiError`; it runs under the state lock, so a failed call changes nothing.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from localapi.entities import format_text
from localapi.models import JSON, ApiError, Upload, bad_request
from localapi.state import ApiState, Record, now_unix

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def int_param(p: JSON, name: str) -> int:
    """A required integer parameter, or 400 naming it."""
    value = p.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        if name == "message_id":
            raise bad_request("message identifier is not specified")
        raise bad_request(f"{name} is empty" if value is None else f"wrong parameter {name}")
    return value


def validate_markup(value: Any) -> JSON | None:
    """Check a reply_markup as Telegram does (BUTTON_DATA_INVALID for bad callback data)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in value:
        if any(k in value for k in ("keyboard", "remove_keyboard", "force_reply")):
            return value
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = value["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif "url" in button:
                if not re.match(r"^(https?|tg)://\S+$", str(button["url"])):
                    raise bad_request("BUTTON_URL_INVALID")
            elif not any(k in button for k in _BUTTON_ACTIONS):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are "
                    "unallowed in the inline keyboard"
                )
    return value


def _inline(markup: JSON | None) -> JSON | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


def _target_chat(state: ApiState, p: JSON) -> int:
    chat_id = state.resolve_chat(p.get("chat_id"))
    if chat_id in state.blocked:
        kind = state.chats[chat_id]["type"]
        if kind == "private":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise ApiError(403, f"Forbidden: bot was kicked from the {kind} chat")
    return chat_id


def _reply_to(state: ApiState, chat_id: int, p: JSON) -> JSON | None:
    params = p.get("reply_parameters")
    mid = p.get("reply_to_message_id")
    lenient = bool(p.get("allow_sending_without_reply"))
    if isinstance(params, dict):
        mid = params.get("message_id")
        lenient = lenient or bool(params.get("allow_sending_without_reply"))
    if mid is None:
        return None
    rec = state.record(chat_id, int(mid))
    if rec is None:
        if lenient:
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in rec.data.items() if k != "reply_to_message"}


def _send(
    state: ApiState,
    chat_id: int,
    p: JSON,
    kind: str,
    fields: JSON,
    *,
    file_id: str | None = None,
    source_key: str = "text",
) -> JSON:
    markup = validate_markup(p.get("reply_markup"))
    reply = _reply_to(state, chat_id, p)
    data: JSON = {
        "message_id": state.new_message_id(chat_id),
        "from": state.bot_user,
        "chat": dict(state.chats[chat_id]),
        "date": now_unix(),
        **fields,
    }
    if reply is not None:
        data["reply_to_message"] = reply
    if _inline(markup) is not None:
        data["reply_markup"] = markup
    source = p.get(source_key)
    rec = Record(
        data=data,
        from_bot=True,
        sender_id=state.bot_id,
        kind=kind,
        source=source if isinstance(source, str) else None,
        parse_mode=p.get("parse_mode"),
        markup=markup,
        file_id=file_id,
    )
    return copy.deepcopy(state.store(chat_id, rec).data)


def send_message(state: ApiState, p: JSON) -> JSON:
    """sendMessage."""
    chat_id = _target_chat(state, p)
    text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    fields: JSON = {"text": text}
    if entities:
        fields["entities"] = entities
    return _send(state, chat_id, p, "text", fields)


def send_document(state: ApiState, p: JSON) -> JSON:
    """sendDocument: an uploaded file or a file_id already known to the server."""
    chat_id = _target_chat(state, p)
    caption, entities = format_text(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
    )
    validate_markup(p.get("reply_markup"))
    _reply_to(state, chat_id, p)
    doc = p.get("document")
    if isinstance(doc, Upload):
        if not doc.data:
            raise bad_request("file must be non-empty")
        name = doc.filename or "document"
        stored = state.store_file(name, doc.content_type, doc.data, "documents")
    elif isinstance(doc, str) and doc in state.files:
        stored = state.files[doc]
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    fields: JSON = {
        "document": {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": len(stored.data),
        }
    }
    if caption:
        fields["caption"] = caption
    if entities:
        fields["caption_entities"] = entities
    return _send(
        state, chat_id, p, "document", fields, file_id=stored.file_id, source_key="caption"
    )


def _own_message(state: ApiState, p: JSON) -> tuple[int, Record]:
    if p.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat_id = state.resolve_chat(p.get("chat_id"))
    rec = state.record(chat_id, int_param(p, "message_id"))
    if rec is None:
        raise bad_request("message to edit not found")
    if not rec.from_bot:
        raise bad_request("message can't be edited")
    return chat_id, rec


def _apply_edit(
    state: ApiState,
    chat_id: int,
    rec: Record,
    fields: JSON,
    markup: JSON | None,
    *,
    source: str | None,
    parse_mode: str | None,
    text_edit: bool,
) -> JSON:
    unchanged = all((rec.data.get(k) or None) == (v or None) for k, v in fields.items())
    if unchanged and _inline(markup) == _inline(rec.markup):
        raise bad_request(NOT_MODIFIED)
    for key, value in fields.items():
        if value:
            rec.data[key] = value
        else:
            rec.data.pop(key, None)
    rec.markup = markup
    if _inline(markup) is not None:
        rec.data["reply_markup"] = markup
    else:
        rec.data.pop("reply_markup", None)
    if text_edit:
        rec.data["edit_date"] = now_unix()
        rec.source = source
        rec.parse_mode = parse_mode
    state.changed(chat_id, rec)
    return copy.deepcopy(rec.data)


def edit_message_text(state: ApiState, p: JSON) -> JSON:
    """editMessageText (no reply_markup: the inline keyboard goes, as on Telegram)."""
    chat_id, rec = _own_message(state, p)
    if "text" not in rec.data:
        raise bad_request("there is no text in the message to edit")
    text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    markup = validate_markup(p.get("reply_markup"))
    source = p.get("text")
    return _apply_edit(
        state,
        chat_id,
        rec,
        {"text": text, "entities": entities},
        markup,
        source=source if isinstance(source, str) else None,
        parse_mode=p.get("parse_mode"),
        text_edit=True,
    )


def edit_message_caption(state: ApiState, p: JSON) -> JSON:
    """editMessageCaption."""
    chat_id, rec = _own_message(state, p)
    if "text" in rec.data:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = format_text(
        p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True
    )
    markup = validate_markup(p.get("reply_markup"))
    source = p.get("caption")
    return _apply_edit(
        state,
        chat_id,
        rec,
        {"caption": caption, "caption_entities": entities},
        markup,
        source=source if isinstance(source, str) else None,
        parse_mode=p.get("parse_mode"),
        text_edit=True,
    )


def edit_message_reply_markup(state: ApiState, p: JSON) -> JSON:
    """editMessageReplyMarkup (no reply_markup: the keyboard is removed)."""
    chat_id, rec = _own_message(state, p)
    markup = validate_markup(p.get("reply_markup"))
    return _apply_edit(
        state,
        chat_id,
        rec,
        {},
        markup,
        source=rec.source,
        parse_mode=rec.parse_mode,
        text_edit=False,
    )


def delete_message(state: ApiState, p: JSON) -> bool:
    """deleteMessage."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    if not state.delete(chat_id, int_param(p, "message_id")):
        raise bad_request("message to delete not found")
    return True


def delete_messages(state: ApiState, p: JSON) -> bool:
    """deleteMessages: missing ones are skipped, as on Telegram."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    ids = p.get("message_ids")
    if not isinstance(ids, list) or not ids:
        raise bad_request("message_ids is empty")
    for mid in ids:
        state.delete(chat_id, int(mid))
    return True


def get_file(state: ApiState, p: JSON) -> JSON:
    """getFile: file_path is served under the file URL."""
    stored = state.files.get(str(p.get("file_id", "")))
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


HANDLERS = {
    "sendMessage": send_message,
    "sendDocument": send_document,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "getFile": get_file,
}

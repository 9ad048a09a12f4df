"""The Bot API method table: identity, webhook, commands, chats, callback answers, no-ops.

`HANDLERS` maps each canonical method name (as Telegram spells it) to a handler; names are
looked up case-insensitively through `canonical`. getUpdates is not here: it waits, so the
server runs it itself on top of `ApiState.take_updates`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

from localapi import messages
from localapi.messages import int_param
from localapi.models import JSON, CallbackAnswer, bad_request
from localapi.state import ApiState

Handler = Callable[[ApiState, JSON], Any]

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOOP_TRUE = (
    "setMyDescription",
    "setMyShortDescription",
    "setMyName",
    "setMyDefaultAdministratorRights",
    "leaveChat",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "setMessageReaction",
)


def get_me(state: ApiState, p: JSON) -> JSON:
    """getMe."""
    return {
        **state.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def set_webhook(state: ApiState, p: JSON) -> bool:
    """setWebhook: stored only (while set, getUpdates answers 409 as on Telegram)."""
    state.webhook_url = str(p.get("url") or "")
    if p.get("drop_pending_updates"):
        state.updates.clear()
    return True


def delete_webhook(state: ApiState, p: JSON) -> bool:
    """deleteWebhook."""
    state.webhook_url = ""
    if p.get("drop_pending_updates"):
        state.updates.clear()
    return True


def get_webhook_info(state: ApiState, p: JSON) -> JSON:
    """getWebhookInfo."""
    return {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }


def _scope_key(state: ApiState, p: JSON) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("wrong bot command scope type specified")
    if "chat_id" in scope:
        state.resolve_chat(scope["chat_id"])
    return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")


def set_my_commands(state: ApiState, p: JSON) -> bool:
    """setMyCommands, kept per scope and language."""
    commands = p.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for cmd in commands:
        if not isinstance(cmd, dict) or not _COMMAND.match(str(cmd.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = _scope_key(state, p)
    state.commands[key] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    state.touch()
    return True


def get_my_commands(state: ApiState, p: JSON) -> list[JSON]:
    """getMyCommands."""
    return [dict(c) for c in state.commands.get(_scope_key(state, p), [])]


def delete_my_commands(state: ApiState, p: JSON) -> bool:
    """deleteMyCommands."""
    state.commands.pop(_scope_key(state, p), None)
    state.touch()
    return True


def answer_callback_query(state: ApiState, p: JSON) -> bool:
    """answerCallbackQuery: once per query, within the server's callback_ttl."""
    qid = str(p.get("callback_query_id", ""))
    query = state.queries.get(qid)
    if query is None or query.answered or time.monotonic() - query.created > state.callback_ttl:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.get("text")
    if text is not None and len(str(text)) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    answer = CallbackAnswer(
        query_id=qid,
        text=None if text is None else str(text),
        show_alert=bool(p.get("show_alert")),
        url=p.get("url"),
    )
    state.answers[qid] = answer
    state.event(
        "callback_answer",
        query.chat_id,
        query.message_id,
        {"user_id": query.user_id, "text": answer.text, "show_alert": answer.show_alert},
    )
    return True


def send_chat_action(state: ApiState, p: JSON) -> bool:
    """sendChatAction."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    if p.get("action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.event("chat_action", chat_id, None, {"action": p["action"]})
    return True


def get_chat(state: ApiState, p: JSON) -> JSON:
    """getChat: a ChatFullInfo."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    return {
        **state.chats[chat_id],
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def get_chat_member(state: ApiState, p: JSON) -> JSON:
    """getChatMember: the bot and users seen in the chat are members, others have left."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    user_id = int_param(p, "user_id")
    if user_id == state.bot_id:
        return {"status": "member", "user": state.bot_user}
    if user_id not in state.users:
        raise bad_request("user not found")
    present = user_id in state.members.get(chat_id, set())
    return {"status": "member" if present else "left", "user": dict(state.users[user_id])}


def get_chat_member_count(state: ApiState, p: JSON) -> int:
    """getChatMemberCount (the bot included)."""
    chat_id = state.resolve_chat(p.get("chat_id"))
    return len(state.members.get(chat_id, set()) - {chat_id}) + 1


_MENU_TYPES = frozenset({"default", "commands", "web_app"})
# An http address is taken for a Web App only on this machine (the demo, tests); Telegram
# itself takes https only.
_LOCAL_HOSTS = ("http://127.0.0.1", "http://localhost", "http://[::1]")


def _menu_chat(state: ApiState, p: JSON) -> int | None:
    """The private chat a menu button is for (None: the default of every private chat)."""
    if p.get("chat_id") in (None, ""):
        return None
    chat_id = state.resolve_chat(p.get("chat_id"))
    if state.chats[chat_id].get("type") != "private":
        raise bad_request("chat is not private")
    return chat_id


def set_chat_menu_button(state: ApiState, p: JSON) -> bool:
    """setChatMenuButton: kept per private chat (or as the default), checked as Telegram does."""
    button = p.get("menu_button") or {"type": "default"}
    if isinstance(button, str):
        try:
            button = json.loads(button)
        except ValueError:
            raise bad_request("can't parse menu button JSON object") from None
    if not isinstance(button, dict) or button.get("type") not in _MENU_TYPES:
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        text = str(button.get("text", ""))
        url = str((button.get("web_app") or {}).get("url", ""))
        if not 1 <= len(text.strip()) <= 64:
            raise bad_request("BUTTON_TEXT_INVALID")
        if not (url.startswith("https://") or url.startswith(_LOCAL_HOSTS)):
            raise bad_request("BUTTON_URL_INVALID")
        button = {"type": "web_app", "text": text, "web_app": {"url": url}}
    else:
        button = {"type": button["type"]}
    chat_id = _menu_chat(state, p)
    with state.lock:
        state.menu_buttons[chat_id] = button
    state.touch()
    return True


def get_chat_menu_button(state: ApiState, p: JSON) -> JSON:
    """getChatMenuButton: the chat's own button, else the default one."""
    chat_id = _menu_chat(state, p)
    with state.lock:
        found = state.menu_buttons.get(chat_id) or state.menu_buttons.get(None)
        return dict(found or {"type": "default"})


def _true(state: ApiState, p: JSON) -> bool:
    return True


HANDLERS: dict[str, Handler] = {
    "getMe": get_me,
    "logOut": _true,
    "close": _true,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "answerCallbackQuery": answer_callback_query,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatMemberCount": get_chat_member_count,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    **{name: _true for name in NOOP_TRUE},
    **messages.HANDLERS,
}
_BY_LOWER = {name.lower(): name for name in [*HANDLERS, "getUpdates"]}


def canonical(method: str) -> str | None:
    """Telegram's spelling of a method name given in any case; None when unknown."""
    return _BY_LOWER.get(method.lower())

"""Which handler takes which update: the routing table's order, pinned update by update.

Each sample update (a command, a typed text, an edit, an attachment or a press, in the private
chat or the board group) is offered to the handlers as python-telegram-bot offers it: group by
group, the first handler of a group whose check passes takes it. The expected handler of every
sample is what the bot answered with before the table was gathered into one module, so a
reordering that changes who answers what fails here by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from harness import BOARD, OFFICER, PRACTITIONER
from telegram import Update

from bot.app import build_app
from bot.context import App
from bot.settings import Settings
from storage import inputs
from storage.inputs import InputKind

PRIVATE_USER = PRACTITIONER
OTHER_GROUP = -100900
NOW = 1_700_000_000


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    """The application as `triage-bot run` builds it; only its bot is initialized (a command
    is matched against the bot's username), and no update is handled."""
    built = build_app(settings)
    async with built.bot:
        yield built
    built.bot_data.services.db.conn.close()


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Pat"}
    return {"id": chat_id, "type": "supergroup", "title": "Board"}


def _message(chat_id: int, user_id: int, text: str | None = None, **extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 7,
        "date": NOW,
        "chat": _chat(chat_id),
        "from": {"id": user_id, "is_bot": False, "first_name": "Pat"},
        **extra,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return message


def message(chat_id: int, text: str | None = None, **extra: Any) -> dict[str, Any]:
    user = PRIVATE_USER if chat_id > 0 else OFFICER
    return {"update_id": 1, "message": _message(chat_id, user, text, **extra)}


def edited(chat_id: int, text: str) -> dict[str, Any]:
    user = PRIVATE_USER if chat_id > 0 else OFFICER
    return {"update_id": 1, "edited_message": _message(chat_id, user, text, edit_date=NOW)}


def press(data: str, chat_id: int = PRIVATE_USER) -> dict[str, Any]:
    user = {"id": PRIVATE_USER, "is_bot": False, "first_name": "Pat"}
    return {
        "update_id": 1,
        "callback_query": {
            "id": "9",
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": _message(chat_id, PRIVATE_USER, "card"),
        },
    }


def joined(chat_id: int) -> dict[str, Any]:
    bot = {"id": 123456, "is_bot": True, "first_name": "Bot"}
    user = {"id": PRIVATE_USER, "is_bot": False, "first_name": "Pat"}
    return {
        "update_id": 1,
        "my_chat_member": {
            "chat": _chat(chat_id),
            "from": user,
            "date": NOW,
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        },
    }


def taker(app: App, data: dict[str, Any]) -> list[str]:
    """The callback of the handler that takes the update in each group, in group order."""
    update = Update.de_json(data, app.bot)
    taken = []
    for group in sorted(app.handlers):
        for handler in app.handlers[group]:
            check = handler.check_update(update)
            if check is not None and check is not False:
                taken.append(handler.callback.__name__)
                break
    return taken


PRIVATE_COMMANDS = {
    "/start": "start_check",
    "/start CODE": "start_check",
    "/back": "go_back",
    "/cancel": "cancel_check",
    "/help": "show_help",
    "/privacy": "show_privacy",
    "/mydata": "show_my_data",
    "/forget": "ask_forget",
    "/briefs on": "set_briefs",
    "/done 3": "close_action",
    "/drop 3": "drop_action",
    "/queue": "unknown_command",
    "/plan LIR-2026-0001": "unknown_command",
    "/nonsense": "unknown_command",
}

GROUP_COMMANDS = {
    "/help": "group_help",
    "/queue": "show_queue",
    "/stats": "show_stats",
    "/case LIR-2026-0001": "show_case",
    "/note LIR-2026-0001 words": "add_note",
    "/ask LIR-2026-0001 words": "ask_practitioner",
    "/status LIR-2026-0001 closed": "move_status",
    "/invite Health": "invite",
    "/plan LIR-2026-0001": "start_plan",
    "/tor LIR-2026-0001": "send_tor",
    "/finding LIR-2026-0001 words": "add_finding",
    "/action LIR-2026-0001 Health 2030-01-01 words": "add_action",
    "/actions": "list_actions",
    "/done 3": "close_action",
    "/drop 3": "drop_action",
    "/notified LIR-2026-0001": "record_notified",
    "/rapidreview LIR-2026-0001 lcspr": "record_rapid_review",
    "/brief LIR-2026-0001": "start_brief",
    "/reach LIR-2026-0001": "show_reach",
}

PRESSES = {
    "q:1:x:y": "press_answer",
    "c:LIR-2026-0001:approve": "press_decision",
    "p:LIR-2026-0001:x:y": "press_plan",
    "g:2": "turn_page",
    "f:1001:go": "press_forget",
    "a:3:done": "press_action",
    "b:LIR-2026-0001:ok": "press_brief",
    "r:LIR-2026-0001": "press_read",
    "w:0123abcd:info": "press_which",
    "zz:garbage": "refuse_button",
}


@pytest.mark.parametrize(("text", "callback"), PRIVATE_COMMANDS.items())
async def test_private_commands(app: App, text: str, callback: str) -> None:
    assert taker(app, message(PRIVATE_USER, text)) == ["guard_flood", callback]


@pytest.mark.parametrize(("text", "callback"), GROUP_COMMANDS.items())
async def test_board_group_commands(app: App, text: str, callback: str) -> None:
    assert taker(app, message(BOARD, text)) == ["guard_flood", callback]


@pytest.mark.parametrize(("data", "callback"), PRESSES.items())
async def test_presses_go_by_their_prefix(app: App, data: str, callback: str) -> None:
    assert taker(app, press(data)) == ["guard_flood", callback]
    assert taker(app, press(data, BOARD)) == ["guard_flood", callback]


async def test_typed_texts_edits_and_attachments(app: App) -> None:
    assert taker(app, message(PRIVATE_USER, "words")) == ["guard_flood", "receive_text"]
    assert taker(app, edited(PRIVATE_USER, "words")) == ["guard_flood", "refuse_edit"]
    assert taker(app, edited(PRIVATE_USER, "/start")) == ["guard_flood", "refuse_edit"]
    photo = [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]
    assert taker(app, message(PRIVATE_USER, photo=photo)) == ["guard_flood", "refuse_attachment"]
    # In the board group a text nobody awaits, an edit and a command edited pass by untouched.
    assert taker(app, message(BOARD, "chatting")) == ["guard_flood"]
    assert taker(app, edited(BOARD, "chatting")) == ["guard_flood"]
    assert taker(app, edited(BOARD, "/note LIR-2026-0001 x")) == ["guard_flood"]
    assert taker(app, message(BOARD, "/start")) == ["guard_flood"]


async def test_awaited_texts_in_the_board_group(app: App) -> None:
    db = app.bot_data.services.db
    now = dt.datetime.now(dt.UTC)
    inputs.expect(db, OFFICER, InputKind.PLAN, None, {}, now)
    assert taker(app, message(BOARD, "an answer")) == ["guard_flood", "receive_plan_text"]
    assert taker(app, message(BOARD, "/queue")) == ["guard_flood", "show_queue"]
    inputs.expect(db, OFFICER, InputKind.BRIEF, None, {}, now)
    assert taker(app, message(BOARD, "a section")) == ["guard_flood", "receive_brief_text"]
    # Awaited in the group, the officer's private chat still goes to the private handlers.
    private = {"update_id": 1, "message": _message(OFFICER, OFFICER, "words")}
    assert taker(app, private) == ["guard_flood", "receive_text"]
    other = {"update_id": 1, "message": _message(OTHER_GROUP, OFFICER, "words")}
    assert taker(app, other) == ["guard_flood"]


async def test_the_bot_added_to_a_chat(app: App) -> None:
    assert taker(app, joined(OTHER_GROUP)) == ["guard_flood", "bot_added"]
    assert taker(app, joined(BOARD)) == ["guard_flood", "bot_added"]

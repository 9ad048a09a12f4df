"""Sending, editing and deleting messages and documents through a real python-telegram-bot."""

from __future__ import annotations

import pytest
from localapi_helpers import ALICE, BOARD, BOB
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity

from localapi import ButtonNotFound, LocalBotAPI


def keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=f"d:{t}")] for t in labels])


async def test_get_me_is_the_bot_user(api: LocalBotAPI, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "lir_triage_bot"
    assert bot.username == "lir_triage_bot"
    assert api.calls("getMe")[0].ok


async def test_send_message_returns_a_telegram_message(api: LocalBotAPI, bot: Bot) -> None:
    first = await bot.send_message(ALICE, "Hello", reply_markup=keyboard("Yes", "No"))
    second = await bot.send_message(ALICE, "Again")
    assert second.message_id == first.message_id + 1
    assert first.chat.id == ALICE and first.chat.type == "private"
    assert first.chat.first_name == "Alice"
    assert first.from_user is not None and first.from_user.id == 123456
    assert first.from_user.is_bot
    assert first.reply_markup is not None
    assert first.reply_markup.inline_keyboard[1][0].callback_data == "d:No"
    stored = api.messages(ALICE)
    assert [m.text for m in stored] == ["Hello", "Again"]
    assert stored[0].button_texts == ["Yes", "No"]
    assert api.last_bot_message(ALICE) == stored[1]


async def test_message_ids_are_per_chat(api: LocalBotAPI, bot: Bot) -> None:
    a = await bot.send_message(ALICE, "to Alice")
    g = await bot.send_message(BOARD, "to the board")
    assert a.message_id == 1 and g.message_id == 1
    assert g.chat.title == "Board officers" and g.chat.type == "supergroup"


async def test_html_becomes_plain_text_with_entities(api: LocalBotAPI, bot: Bot) -> None:
    msg = await bot.send_message(
        ALICE,
        '  <b>Ref</b> <code>LIR-2025-0001</code> &amp; <a href="https://example.org/?a=1&amp;b=2">'
        "link</a> \U0001f600 <i>it</i>  ",
        parse_mode="HTML",
    )
    assert msg.text == "Ref LIR-2025-0001 & link \U0001f600 it"
    kinds = [(e.type, e.offset, e.length) for e in msg.entities]
    assert kinds == [
        (MessageEntity.BOLD, 0, 3),
        (MessageEntity.CODE, 4, 13),
        (MessageEntity.TEXT_LINK, 20, 4),
        (MessageEntity.ITALIC, 28, 2),  # the emoji counts two UTF-16 units
    ]
    assert msg.entities[2].url == "https://example.org/?a=1&b=2"
    stored = api.last_bot_message(ALICE)
    assert stored is not None and stored.parse_mode == "HTML"
    assert stored.source is not None and stored.source.startswith("  <b>Ref</b>")


async def test_edit_text_replaces_text_and_keyboard(api: LocalBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ALICE, "Question 1", reply_markup=keyboard("A", "B"))
    edited = await bot.edit_message_text("Question 1: A", chat_id=ALICE, message_id=sent.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "Question 1: A"
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # no reply_markup: the keyboard goes, as on Telegram
    now = api.message(ALICE, sent.message_id)
    assert now is not None and now.text == "Question 1: A" and now.buttons == []
    assert now.edit_date is not None


async def test_edit_reply_markup_only(api: LocalBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(BOARD, "Card", reply_markup=keyboard("Approve", "No review"))
    assert api.find_button(BOARD, "Approve") == (sent.message_id, "d:Approve")
    edited = await bot.edit_message_reply_markup(BOARD, sent.message_id, reply_markup=None)
    assert not isinstance(edited, bool) and edited.reply_markup is None
    with pytest.raises(ButtonNotFound, match="no button 'Approve'"):
        api.find_button(BOARD, "Approve")
    msg = api.message(BOARD, sent.message_id)
    assert msg is not None and msg.text == "Card"


async def test_delete_message_removes_it(api: LocalBotAPI, bot: Bot) -> None:
    a = await bot.send_message(ALICE, "one")
    await bot.send_message(ALICE, "two")
    assert await bot.delete_message(ALICE, a.message_id) is True
    assert [m.text for m in api.messages(ALICE)] == ["two"]
    assert api.message(ALICE, a.message_id) is None


async def test_reply_to_message(api: LocalBotAPI, bot: Bot) -> None:
    update = api.send_text(ALICE, "my question")
    mid = update["message"]["message_id"]
    answer = await bot.send_message(ALICE, "my answer", reply_to_message_id=mid)
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "my question"


async def test_document_round_trip(api: LocalBotAPI, bot: Bot) -> None:
    content = "Terms of Reference\n£ synthetic ✓\n".encode()
    msg = await bot.send_document(
        BOARD,
        content,
        filename="tor-LIR-2025-0001.md",
        caption="<b>ToR</b> attached",
        parse_mode="HTML",
    )
    assert msg.document is not None
    assert msg.document.file_name == "tor-LIR-2025-0001.md"
    assert msg.document.file_size == len(content)
    assert msg.caption == "ToR attached"
    assert msg.caption_entities[0].type == MessageEntity.BOLD
    stored = api.last_bot_message(BOARD)
    assert stored is not None and stored.kind == "document"
    assert stored.file_name == "tor-LIR-2025-0001.md" and stored.text == "ToR attached"
    assert stored.file_id is not None and api.file_bytes(stored.file_id) == content
    file = await bot.get_file(msg.document.file_id)
    assert file.file_path is not None and file.file_path.startswith(api.base_file_url)
    assert bytes(await file.download_as_bytearray()) == content
    again = await bot.send_document(ALICE, msg.document.file_id)  # resend by file_id
    assert again.document is not None and again.document.file_id == msg.document.file_id


async def test_commands_are_kept_per_scope_and_language(api: LocalBotAPI, bot: Bot) -> None:
    from telegram import BotCommandScopeAllPrivateChats, BotCommandScopeChat

    private = BotCommandScopeAllPrivateChats()
    board = BotCommandScopeChat(BOARD)
    await bot.set_my_commands([("start", "Start"), ("check", "Check a case")], scope=private)
    await bot.set_my_commands([("queue", "Open referrals")], scope=board)
    await bot.set_my_commands([("start", "Dechrau")], scope=private, language_code="cy")
    assert [c.command for c in await bot.get_my_commands(scope=private)] == ["start", "check"]
    assert [c.command for c in await bot.get_my_commands(scope=board)] == ["queue"]
    assert [
        c.description for c in await bot.get_my_commands(scope=private, language_code="cy")
    ] == ["Dechrau"]
    assert await bot.get_my_commands() == ()
    assert api.commands({"type": "chat", "chat_id": BOARD})[0]["command"] == "queue"
    await bot.delete_my_commands(scope=board)
    assert api.commands({"type": "chat", "chat_id": BOARD}) == []


async def test_chat_lookups_and_no_ops(api: LocalBotAPI, bot: Bot) -> None:
    chat = await bot.get_chat(BOARD)
    assert chat.title == "Board officers"
    api.send_text(ALICE, "hello board", chat_id=BOARD)
    member = await bot.get_chat_member(BOARD, ALICE)
    assert member.status == "member" and member.user.first_name == "Alice"
    assert (await bot.get_chat_member(BOARD, BOB)).status == "left"
    assert await bot.send_chat_action(ALICE, "typing") is True
    assert await bot.set_chat_menu_button() is True
    assert await bot.delete_webhook() is True
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.log_out() is True
    assert [e.kind for e in api.events() if e.kind == "chat_action"] == ["chat_action"]


async def test_messages_read_as_a_person_sees_them(api: LocalBotAPI, bot: Bot) -> None:
    """`reads` is a message's text, or a file's caption, or "" for a bare file; `bot_texts`
    is the chat's bot messages read so, oldest first."""
    await bot.send_message(ALICE, "<b>Hello</b>", parse_mode="HTML")
    await bot.send_document(ALICE, b"x", filename="tor.txt", caption="ToR attached")
    await bot.send_document(ALICE, b"y", filename="bare.txt")
    bare = api.last_bot_message(ALICE)
    assert bare is not None and bare.text is None and bare.reads == ""
    assert api.bot_texts(ALICE) == ["Hello", "ToR attached", ""]
    assert api.bot_texts(BOB) == []

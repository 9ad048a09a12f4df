"""Updates: long polling, offsets, filtering, and a real PTB Application handling injected
messages, commands, button presses and membership changes."""

from __future__ import annotations

import asyncio
import time

import pytest
from localapi_helpers import ALICE, BOARD, BOB, build_application, polling
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import Conflict
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from localapi import MEDIA_KINDS, ButtonNotFound, LocalBotAPI, UnknownMessage


async def test_long_poll_returns_as_soon_as_an_update_arrives(api: LocalBotAPI, bot: Bot) -> None:
    async def inject_later() -> None:
        await asyncio.sleep(0.2)
        api.send_text(ALICE, "hello")

    task = asyncio.create_task(inject_later())
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    await task
    assert 0.15 < elapsed < 1.0
    assert [u.message.text for u in updates if u.message] == ["hello"]


async def test_long_poll_waits_out_its_timeout(api: LocalBotAPI, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 1.8


async def test_offset_confirms_and_limit_caps(api: LocalBotAPI, bot: Bot) -> None:
    ids = [api.send_text(ALICE, f"m{i}")["update_id"] for i in range(5)]
    assert ids == sorted(ids) and len(set(ids)) == 5
    first = await bot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    again = await bot.get_updates(limit=2)  # nothing confirmed yet
    assert [u.update_id for u in again] == ids[:2]
    rest = await bot.get_updates(offset=ids[1] + 1)
    assert [u.update_id for u in rest] == ids[2:]
    assert [u["update_id"] for u in api.pending_updates()] == ids[2:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert api.pending_updates() == []
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_negative_offset_keeps_the_last_ones(api: LocalBotAPI, bot: Bot) -> None:
    ids = [api.send_text(ALICE, f"m{i}")["update_id"] for i in range(4)]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[-1:]


async def test_allowed_updates_filter_and_persist(api: LocalBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(
        ALICE,
        "x",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("k", callback_data="k")]]),
    )
    api.send_text(ALICE, "text")
    api.press(ALICE, ALICE, sent.message_id, "k")
    got = await bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in got if u.callback_query] == ["k"] and len(got) == 1
    after = got[0].update_id + 1
    api.send_text(ALICE, "dropped as well")
    assert await bot.get_updates(offset=after) == ()  # the previous allowed_updates still apply
    api.send_text(ALICE, "now wanted")
    got = await bot.get_updates(
        offset=after, allowed_updates=[]
    )  # empty list: back to the default set
    assert [u.message.text for u in got if u.message] == ["now wanted"]


async def test_a_newer_poll_ends_the_older_one(api: LocalBotAPI, bot: Bot) -> None:
    older = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(api.token, base_url=api.base_url) as second_instance:
        newer = asyncio.create_task(second_instance.get_updates(timeout=1))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(older, 2)
        api.send_text(ALICE, "for the newer one")
        assert [u.message.text for u in await newer if u.message] == ["for the newer one"]


async def test_webhook_blocks_get_updates(api: LocalBotAPI, bot: Bot) -> None:
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    api.send_text(ALICE, "x")
    await bot.delete_webhook(drop_pending_updates=True)
    assert api.pending_updates() == []


async def test_echo_application(api: LocalBotAPI) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text
        await update.effective_message.reply_text(
            f"echo: {update.effective_message.text}", do_quote=True
        )

    app = build_application(api)
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        for word in ("one", "two"):
            api.send_text(ALICE, word)
            msg = await api.wait_for_message(ALICE, f"echo: {word}", timeout=3)
            assert msg.from_bot and msg.data["reply_to_message"]["text"] == word
    texts = [m.text for m in api.messages(ALICE)]
    assert texts == ["one", "echo: one", "two", "echo: two"]


async def test_commands_in_private_and_in_groups(api: LocalBotAPI) -> None:
    seen: list[tuple[int, list[str]]] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        seen.append((update.effective_chat.id, list(context.args or [])))
        await context.bot.send_message(update.effective_chat.id, "started")

    app = build_application(api)
    app.add_handler(CommandHandler("start", start))
    async with polling(app):
        api.send_text(ALICE, "/start INVITE42")
        await api.wait_for_message(ALICE, "started")
        api.send_text(BOB, "/start@lir_triage_bot", chat_id=BOARD)
        await api.wait_for_message(BOARD, "started")
        api.send_text(BOB, "/start@some_other_bot", chat_id=BOARD)
        api.send_text(BOB, "/start", chat_id=BOARD)
        await api.wait_for_message(BOARD, "started")
    assert seen == [(ALICE, ["INVITE42"]), (BOARD, []), (BOARD, [])]


async def test_press_button_reaches_a_callback_handler(api: LocalBotAPI) -> None:
    pressed: list[tuple[int, str | None, int]] = []

    async def show(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("Approve", callback_data="ap:7"),
                    InlineKeyboardButton("No review", callback_data="nr:7"),
                ]
            ]
        )
        await context.bot.send_message(
            update.effective_chat.id, "Decision card", reply_markup=markup
        )

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        pressed.append((query.from_user.id, query.data, query.message.message_id))
        await query.answer("Recorded")
        await query.edit_message_text(f"Decided: {query.data}")

    app = build_application(api)
    app.add_handler(CommandHandler("card", show))
    app.add_handler(CallbackQueryHandler(on_press))
    async with polling(app):
        api.send_text(BOB, "/card", chat_id=BOARD)
        card = await api.wait_for_message(BOARD, "Decision card")
        assert card.button_texts == ["Approve", "No review"]
        with pytest.raises(ButtonNotFound, match="'Approve' \\(message"):
            api.press_button(ALICE, BOARD, "Escalate")
        update = api.press_button(ALICE, BOARD, "Approve")
        assert update["callback_query"]["message"]["text"] == "Decision card"
        await api.wait_for_message(BOARD, "Decided: ap:7")
        qid = update["callback_query"]["id"]
        answer = await api.wait_for(lambda: api.callback_answer(qid))
        assert answer.text == "Recorded"
    assert pressed == [(ALICE, "ap:7", card.message_id)]
    with pytest.raises(UnknownMessage):
        api.press(ALICE, BOARD, 999, "ap:7")


async def test_other_update_kinds_parse_in_ptb(api: LocalBotAPI) -> None:
    got: list[str] = []

    async def media(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        got.append(type(update.message.effective_attachment).__name__)

    async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.edited_message is not None
        got.append(f"edited:{update.edited_message.text}")

    async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member is not None
        got.append(f"member:{update.my_chat_member.new_chat_member.status}")

    app = build_application(api)
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited))
    app.add_handler(
        MessageHandler(
            filters.ATTACHMENT
            | filters.LOCATION
            | filters.CONTACT
            | filters.VENUE
            | filters.POLL
            | filters.Dice.ALL,
            media,
        )
    )
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    async with polling(app):
        for kind in MEDIA_KINDS:
            api.send_media(ALICE, kind)
        mid = api.send_text(ALICE, "typo")["message"]["message_id"]
        api.edit_user_message(ALICE, ALICE, mid, "fixed")
        api.add_bot_to_group(-4001, BOB, title="Unknown group")
        api.block_bot(BOB)
        await api.wait_for(lambda: len(got) >= len(MEDIA_KINDS) + 3, timeout=3)
    assert len(got) == len(MEDIA_KINDS) + 3
    assert {
        "tuple",
        "Sticker",
        "Voice",
        "Location",
        "Contact",
        "Venue",
        "Poll",
        "Dice",
        "Animation",
        "Document",
        "Audio",
        "Video",
        "VideoNote",
    } <= set(got)
    assert "edited:fixed" in got and "member:member" in got and "member:kicked" in got
    assert api.message(ALICE, mid) is not None
    assert [m.text for m in api.messages(ALICE) if m.kind == "text"] == ["fixed"]


async def test_user_files_can_be_downloaded(api: LocalBotAPI, bot: Bot) -> None:
    update = api.send_media(ALICE, "document", file_name="case.pdf", data=b"%PDF synthetic")
    file_id = update["message"]["document"]["file_id"]
    file = await bot.get_file(file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF synthetic"

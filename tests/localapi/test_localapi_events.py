"""The change stream a live web view will follow, and the waits built on it."""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest
from aiohttp import web
from localapi_helpers import ALICE, BOARD
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError

from localapi import LocalBotAPI


async def test_events_follow_a_conversation(api: LocalBotAPI, bot: Bot) -> None:
    start = api.mark()
    api.send_text(ALICE, "/start")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="y")]])
    sent = await bot.send_message(ALICE, "Question?", reply_markup=markup)
    await bot.send_chat_action(ALICE, "typing")
    qid = api.press_button(ALICE, ALICE, "Yes")["callback_query"]["id"]
    await bot.answer_callback_query(qid, text="Noted")
    await bot.edit_message_text("Question? Yes", ALICE, sent.message_id)
    await bot.delete_message(ALICE, sent.message_id)
    events = api.events(start)
    kinds = [(e.kind, e.chat_id) for e in events]
    assert kinds == [
        ("message", ALICE),  # the user's /start, stored
        ("update", ALICE),  # ... and queued for the bot
        ("message", ALICE),
        ("chat_action", ALICE),
        ("update", ALICE),
        ("callback_answer", ALICE),
        ("edit", ALICE),
        ("delete", ALICE),
    ]
    seqs = [e.seq for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert events[5].data == {"user_id": ALICE, "text": "Noted", "show_alert": False}
    assert events[6].data["text"] == "Question? Yes"
    assert api.events(events[-2].seq) == [events[-1]]
    json.dumps([e.to_dict() for e in events])  # plain JSON for a web page


async def test_next_events_wakes_on_a_change(api: LocalBotAPI, bot: Bot) -> None:
    since = api.mark()
    waiting = asyncio.create_task(api.next_events(since, timeout=5))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    started = time.monotonic()
    await bot.send_message(BOARD, "notice")
    events = await waiting
    assert time.monotonic() - started < 1.0
    assert events[0].kind == "message" and events[0].data["text"] == "notice"
    assert await api.next_events(api.seq, timeout=0.05) == []


async def test_wait_for_message_matches_edits_after_the_last_injection(
    api: LocalBotAPI, bot: Bot
) -> None:
    sent = await bot.send_message(ALICE, "Step 1")
    api.send_text(ALICE, "answer")
    with pytest.raises(TimeoutError, match="Step 1"):  # sent before the injection
        await api.wait_for_message(ALICE, "Step", timeout=0.05)

    async def edit_later() -> None:
        await asyncio.sleep(0.05)
        await bot.edit_message_text("Step 2", ALICE, sent.message_id)

    task = asyncio.create_task(edit_later())
    msg = await api.wait_for_message(ALICE, "Step", timeout=2)
    await task
    assert msg.message_id == sent.message_id and msg.text == "Step 2"
    user_msg = await api.wait_for_message(ALICE, "answer", since=0, from_bot=False)
    assert not user_msg.from_bot and user_msg.sender_id == ALICE


async def test_wait_for_call(api: LocalBotAPI, bot: Bot) -> None:
    api.fail("sendMessage", status=500)
    api.send_text(ALICE, "go")

    async def send_twice() -> None:
        for _ in range(2):
            try:
                await bot.send_message(BOARD, "notice")
            except NetworkError:  # the first one fails by design
                await asyncio.sleep(0.01)

    task = asyncio.create_task(send_twice())
    failed = await api.wait_for_call("sendMessage", chat_id=BOARD, ok=False)
    done = await api.wait_for_call("sendMessage", chat_id=BOARD, ok=True)
    await task
    assert failed.status == 500 and done.ok and done.result["text"] == "notice"
    assert failed.seq < done.seq
    with pytest.raises(TimeoutError, match="editMessageText"):
        await api.wait_for_call("editMessageText", timeout=0.05)


async def test_a_web_view_can_share_the_server() -> None:
    api = LocalBotAPI()

    async def ping(request: web.Request) -> web.Response:
        return web.json_response({"seq": api.seq})

    api.app.router.add_get("/demo/ping", ping)
    async with (
        api,
        aiohttp.ClientSession() as session,
        session.get(f"{api.url}/demo/ping") as resp,
    ):
        assert resp.status == 200 and (await resp.json())["seq"] == api.seq
    await api.start()  # a stopped server can start again
    try:
        async with Bot(api.token, base_url=api.base_url) as client:
            assert (await client.get_me()).is_bot
    finally:
        await api.stop()

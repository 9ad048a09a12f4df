"""The wire protocol itself: bodies in every encoding Telegram accepts, exact error bodies,
case-insensitive method names, and how PTB's string-encoded values are decoded."""

from __future__ import annotations

import json

import aiohttp
from localapi_helpers import ALICE, BOARD
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from localapi import LocalBotAPI, Upload


async def post(api: LocalBotAPI, method: str, **kwargs: object) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as session:
        url = f"{api.base_url}{api.token}/{method}"
        async with session.post(url, **kwargs) as resp:  # type: ignore[arg-type]
            return resp.status, await resp.json()


async def test_json_body(api: LocalBotAPI) -> None:
    status, body = await post(
        api,
        "sendMessage",
        json={
            "chat_id": ALICE,
            "text": "hi",
            "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        },
    )
    assert status == 200 and body["ok"] is True
    result = body["result"]
    assert isinstance(result, dict) and result["text"] == "hi"
    assert api.find_button(ALICE, "A")[1] == "a"


async def test_form_body_with_json_encoded_values(api: LocalBotAPI) -> None:
    markup = json.dumps({"inline_keyboard": [[{"text": "B", "callback_data": "b"}]]})
    status, body = await post(
        api,
        "SENDMESSAGE",
        data={
            "chat_id": str(BOARD),
            "text": "123",
            "reply_markup": markup,
            "disable_notification": "true",
        },
    )
    assert status == 200 and body["ok"] is True
    call = api.calls("sendMessage")[-1]
    assert call.method == "sendMessage"  # canonical spelling whatever the case sent
    assert call.params == {
        "chat_id": BOARD,
        "text": "123",  # text stays a string even when it looks like a number
        "reply_markup": {"inline_keyboard": [[{"text": "B", "callback_data": "b"}]]},
        "disable_notification": True,
    }


async def test_query_string_get(api: LocalBotAPI) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{api.base_url}{api.token}/getme"
        async with session.get(url) as resp:
            body = await resp.json()
    assert body["ok"] is True and body["result"]["username"] == "lir_triage_bot"


async def test_multipart_upload_is_recorded(api: LocalBotAPI, bot: Bot) -> None:
    await bot.send_document(ALICE, b"abc", filename="n.txt", caption="c")
    call = api.calls("sendDocument")[0]
    upload = call.params["document"]
    assert isinstance(upload, Upload)
    assert upload.filename == "n.txt" and upload.data == b"abc"
    assert call.params["chat_id"] == ALICE and call.params["caption"] == "c"


async def test_ptb_sends_complex_values_as_json_strings(api: LocalBotAPI, bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("X", callback_data="x:1")]])
    await bot.send_message(ALICE, "t", reply_markup=markup, disable_notification=True)
    await bot.get_updates(offset=5, limit=3, timeout=0, allowed_updates=["message"])
    send = api.calls("sendMessage")[0].params
    assert send["reply_markup"] == {"inline_keyboard": [[{"text": "X", "callback_data": "x:1"}]]}
    assert send["disable_notification"] is True and send["chat_id"] == ALICE
    poll = api.calls("getUpdates")[0].params
    assert poll == {"offset": 5, "limit": 3, "timeout": 0.0, "allowed_updates": ["message"]}


async def test_undecodable_json_parameter(api: LocalBotAPI) -> None:
    status, body = await post(
        api, "sendMessage", data={"chat_id": str(ALICE), "text": "t", "reply_markup": "{oops"}
    )
    assert status == 400
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: can't parse reply keyboard markup JSON object",
    }
    assert api.messages(ALICE) == []


async def test_error_bodies(api: LocalBotAPI) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{api.base_url}1:other/getMe") as resp:
            assert resp.status == 401
            assert await resp.json() == {
                "ok": False,
                "error_code": 401,
                "description": "Unauthorized",
            }
        async with session.post(f"{api.base_url}{api.token}/noSuchThing") as resp:
            assert resp.status == 404
            assert await resp.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with session.get(f"{api.base_file_url}{api.token}/documents/none.txt") as resp:
            assert resp.status == 404


async def test_chat_by_username(api: LocalBotAPI) -> None:
    api.add_chat(-1009, "supergroup", "Public", username="synthetic_public")
    status, body = await post(
        api, "sendMessage", data={"chat_id": "@synthetic_public", "text": "hi"}
    )
    assert status == 200 and body["ok"] is True
    status, body = await post(api, "sendMessage", data={"chat_id": "@nobody", "text": "hi"})
    assert status == 400 and body["description"] == "Bad Request: chat not found"


async def test_malformed_values_are_bad_requests(api: LocalBotAPI) -> None:
    status, body = await post(
        api,
        "sendMessage",
        json={"chat_id": ALICE, "text": "t", "reply_parameters": {"message_id": "x"}},
    )
    assert status == 400 and str(body["description"]).startswith("Bad Request: ")
    assert api.messages(ALICE) == []

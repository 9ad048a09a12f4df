"""What Telegram rejects, the local server rejects the same way; PTB raises BadRequest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from localapi_helpers import ALICE, BOARD
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, InvalidToken

from localapi import LocalBotAPI

Action = Callable[[Bot], Awaitable[object]]


def button(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])


SEND_CASES: list[tuple[str, Action, str]] = [
    ("empty text", lambda b: b.send_message(ALICE, " \n\t "), "Message text is empty"),
    (
        "empty after html",
        lambda b: b.send_message(ALICE, "<b> </b>", parse_mode="HTML"),
        "Message text is empty",
    ),
    ("4097 chars", lambda b: b.send_message(ALICE, "x" * 4097), "Message is too long"),
    (
        "2049 emoji = 4098 UTF-16 units",
        lambda b: b.send_message(ALICE, "\U0001f600" * 2049),
        "Message is too long",
    ),
    (
        "callback_data 65 bytes",
        lambda b: b.send_message(ALICE, "t", reply_markup=button("x" * 65)),
        "Button_data_invalid",
    ),
    (
        "callback_data 33 two-byte chars",
        lambda b: b.send_message(ALICE, "t", reply_markup=button("é" * 33)),
        "Button_data_invalid",
    ),
    (
        "unsupported tag",
        lambda b: b.send_message(ALICE, "a<br>b", parse_mode="HTML"),
        'Can\'t parse entities: unsupported start tag "br" at byte offset 1',
    ),
    (
        "unclosed tag",
        lambda b: b.send_message(ALICE, "<b>bold", parse_mode="HTML"),
        "Can't parse entities: can't find end tag corresponding to start tag \"b\"",
    ),
    (
        "crossed tags",
        lambda b: b.send_message(ALICE, "<b><i>x</b></i>", parse_mode="HTML"),
        'expected "</i>", found "</b>"',
    ),
    (
        "stray end tag",
        lambda b: b.send_message(ALICE, "x</b>", parse_mode="HTML"),
        "Can't parse entities: unexpected end tag",
    ),
    (
        "bare ampersand",
        lambda b: b.send_message(ALICE, "Tom & Jerry", parse_mode="HTML"),
        "Can't parse entities: character '&'",
    ),
    (
        "bare less-than",
        lambda b: b.send_message(ALICE, "1 < 2", parse_mode="HTML"),
        "Can't parse entities",
    ),
    (
        "span without spoiler class",
        lambda b: b.send_message(ALICE, "<span>x</span>", parse_mode="HTML"),
        'Tag "span"',
    ),
    ("unknown chat", lambda b: b.send_message(777, "hello"), "Chat not found"),
    (
        "caption too long",
        lambda b: b.send_document(ALICE, b"x", filename="a.txt", caption="c" * 1025),
        "Message caption is too long",
    ),
    (
        "empty document",
        lambda b: b.send_document(ALICE, b"", filename="a.txt"),
        "File must be non-empty",
    ),
    ("bad command name", lambda b: b.set_my_commands([("Start!", "x")]), "Bot_command_invalid"),
    ("unknown file", lambda b: b.get_file("nope"), "Invalid file_id"),
]


@pytest.mark.parametrize(
    ("action", "message"), [c[1:] for c in SEND_CASES], ids=[c[0] for c in SEND_CASES]
)
async def test_rejected_like_telegram(
    api: LocalBotAPI, bot: Bot, action: Action, message: str
) -> None:
    with pytest.raises(BadRequest) as err:
        await action(bot)
    assert message.lower() in err.value.message.lower()
    assert api.messages(ALICE) == []
    failed = api.calls()[-1]
    assert failed.status == 400 and not failed.ok
    assert failed.response["ok"] is False and failed.response["error_code"] == 400
    assert failed.response["description"].startswith("Bad Request: ")


async def test_limits_are_inclusive(api: LocalBotAPI, bot: Bot) -> None:
    await bot.send_message(ALICE, "x" * 4096)
    await bot.send_message(ALICE, "t", reply_markup=button("x" * 64))
    await bot.send_message(
        ALICE,
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><pre><code class="language-python">c</code></pre>'
        '<blockquote expandable>q</blockquote><tg-emoji emoji-id="5368324170671202286">'
        "\U0001f44d</tg-emoji> &lt;&gt;&quot;&#65;&#x42;",
        parse_mode="HTML",
    )
    last = api.last_bot_message(ALICE)
    assert last is not None and last.text is not None and last.text.endswith('<>"AB')
    types = {e["type"] for e in last.data["entities"]}
    assert {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "pre",
        "expandable_blockquote",
        "custom_emoji",
    } <= types
    pre = next(e for e in last.data["entities"] if e["type"] == "pre")
    assert pre["language"] == "python"
    assert len(api.messages(ALICE)) == 3


async def test_edit_with_identical_content_is_not_modified(api: LocalBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(ALICE, "Same", reply_markup=button("k"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Same", ALICE, sent.message_id, reply_markup=button("k"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=button("k"))
    # Same text but the keyboard dropped is a change.
    await bot.edit_message_text("Same", ALICE, sent.message_id)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Same", ALICE, sent.message_id)


async def test_edit_and_delete_of_missing_messages(api: LocalBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ALICE, 99)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_reply_markup(ALICE, 99, reply_markup=button("k"))
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(ALICE, 99)
    sent = await bot.send_message(ALICE, "gone soon")
    await bot.delete_message(ALICE, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", ALICE, sent.message_id)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.edit_message_text("x", 424242, 1)


async def test_user_messages_cannot_be_edited_by_the_bot(api: LocalBotAPI, bot: Bot) -> None:
    mid = api.send_text(ALICE, "mine")["message"]["message_id"]
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("yours", ALICE, mid)


async def test_callback_query_answers(api: LocalBotAPI, bot: Bot) -> None:
    sent = await bot.send_message(BOARD, "Card", reply_markup=button("approve:1"))
    qid = api.press_button(ALICE, BOARD, "Go")["callback_query"]["id"]
    assert sent.message_id == api.find_button(BOARD, "Go")[0]
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(qid, text="x" * 201)
    assert api.callback_answer(qid) is None  # the failed answer had no effect
    assert await bot.answer_callback_query(qid, text="Only chairs can decide", show_alert=True)
    answer = api.callback_answer(qid)
    assert answer is not None and answer.show_alert and answer.text == "Only chairs can decide"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(qid)  # answered already
    with pytest.raises(BadRequest, match="query id is invalid"):
        await bot.answer_callback_query("123")


async def test_expired_callback_query() -> None:
    async with LocalBotAPI(callback_ttl=0.0) as api:
        api.add_user(ALICE, "Alice")
        async with Bot(api.token, base_url=api.base_url) as client:
            sent = await client.send_message(ALICE, "x", reply_markup=button("k"))
            qid = api.press(ALICE, ALICE, sent.message_id, "k")["callback_query"]["id"]
            with pytest.raises(BadRequest, match="Query is too old"):
                await client.answer_callback_query(qid)


async def test_wrong_token_is_unauthorized(api: LocalBotAPI) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with Bot("999:WRONG", base_url=api.base_url):
            pass
    call = api.calls()[-1]
    assert call.status == 401
    assert call.response == {"ok": False, "error_code": 401, "description": "Unauthorized"}


async def test_unknown_method_is_not_found(api: LocalBotAPI, bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendHologram", api_kwargs={"chat_id": ALICE})
    call = api.calls("sendHologram")[0]
    assert call.response == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }


async def test_blocked_user_is_forbidden(api: LocalBotAPI, bot: Bot) -> None:
    from telegram.error import Forbidden

    api.block_bot(ALICE)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(ALICE, "hello")
    api.unblock_bot(ALICE)
    await bot.send_message(ALICE, "hello")
    await bot.send_message(BOARD, "board still fine")
    api.remove_bot_from_group(BOARD, ALICE)
    with pytest.raises(Forbidden, match="kicked from the supergroup chat"):
        await bot.send_message(BOARD, "gone")
    api.add_bot_to_group(BOARD, ALICE)
    await bot.send_message(BOARD, "back")

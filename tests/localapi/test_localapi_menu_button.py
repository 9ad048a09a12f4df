"""setChatMenuButton as Telegram checks it: kept per private chat (or as every private chat's
default), read back by getChatMenuButton; a Web App button needs a text and an https address
(http only on this machine, for the demo and tests); a group is refused."""

from __future__ import annotations

import pytest
from localapi_helpers import ALICE, BOARD
from telegram import Bot, MenuButtonCommands, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import BadRequest

from localapi import LocalBotAPI

URL = "https://board.example.org/dashboard/"


async def test_a_web_app_button_is_kept_per_chat_and_read_back(api: LocalBotAPI, bot: Bot) -> None:
    assert api.menu_button(ALICE) == {"type": "default"}
    await bot.set_chat_menu_button(ALICE, MenuButtonWebApp("Dashboard", WebAppInfo(URL)))
    expected = {"type": "web_app", "text": "Dashboard", "web_app": {"url": URL}}
    assert api.menu_button(ALICE) == expected
    read = await bot.get_chat_menu_button(ALICE)
    assert isinstance(read, MenuButtonWebApp) and read.web_app.url == URL
    await bot.set_chat_menu_button(menu_button=MenuButtonCommands())  # every chat's default
    assert api.menu_button(ALICE) == expected  # a chat's own button stands
    await bot.set_chat_menu_button(ALICE, MenuButtonDefault())
    assert api.menu_button(ALICE) == {"type": "default"}


@pytest.mark.parametrize(
    ("url", "text", "said"),
    [
        ("http://board.example.org/", "Dashboard", "BUTTON_URL_INVALID"),
        ("javascript:alert(1)", "Dashboard", "BUTTON_URL_INVALID"),
        (URL, " ", "BUTTON_TEXT_INVALID"),
    ],
)
async def test_a_bad_web_app_button_is_refused(
    api: LocalBotAPI, bot: Bot, url: str, text: str, said: str
) -> None:
    with pytest.raises(BadRequest, match=f"(?i){said}"):
        await bot.set_chat_menu_button(ALICE, MenuButtonWebApp(text, WebAppInfo(url)))
    assert api.menu_button(ALICE) == {"type": "default"}


async def test_a_group_has_no_menu_button(api: LocalBotAPI, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat is not private"):
        await bot.set_chat_menu_button(BOARD, MenuButtonWebApp("Dashboard", WebAppInfo(URL)))

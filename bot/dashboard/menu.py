"""The way in: the menu button of each board member's private chat.

At every start (`bot.app.post_init`, so whenever the settings changed) each officer, chair and
partner's lead gets, in their private chat with the bot, a menu button that opens the dashboard
at `WEBAPP_URL` (`setChatMenuButton` with a `web_app` button); without `WEBAPP_URL` their button
is set back to Telegram's default. A chat the bot cannot reach (someone who never started it)
is skipped and said in the log by its error's type only. Someone taken off the board keeps
the button Telegram shows them until they press it: the dashboard refuses them (403) and the
bot sets their button back to the default then (`reset_menu_button`). (`/dashboard` in the
board group, `bot.board.queue.show_dashboard`, says how to open it.)
"""

from __future__ import annotations

import logging

from telegram import MenuButton, MenuButtonDefault, MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.context import App
from templates import labels

log = logging.getLogger(__name__)


def menu_button(url: str) -> MenuButton:
    """The button that opens the dashboard at `url`, or Telegram's default without one."""
    if not url:
        return MenuButtonDefault()
    return MenuButtonWebApp(labels.button("dashboard"), WebAppInfo(url))


async def set_menu_buttons(app: App) -> int:
    """Each board member's menu button set; how many were set."""
    settings = app.bot_data.services.settings
    button = menu_button(settings.webapp_url)
    done = 0
    partners = {uid for _, uid in settings.partner_user_ids}
    for user_id in sorted(settings.officer_user_ids | settings.chair_user_ids | partners):
        try:
            await app.bot.set_chat_menu_button(chat_id=user_id, menu_button=button)
        except TelegramError as exc:  # a convenience: never a reason not to start
            log.warning("could not set a board member's menu button: %s", type(exc).__name__)
            continue
        done += 1
    return done


async def reset_menu_button(app: App, user_id: int) -> None:
    """Telegram's default menu button back in the private chat of `user_id`, someone who opened
    the dashboard with a button from when they were on the board (the settings changed)."""
    try:
        await app.bot.set_chat_menu_button(chat_id=user_id, menu_button=MenuButtonDefault())
    except TelegramError as exc:
        log.warning("could not reset a menu button: %s", type(exc).__name__)

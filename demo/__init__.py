"""`triage-bot demo`: the whole system offline, in one process, with a web page.

A local Telegram-compatible Bot API server (`localapi`), the bot exactly as
`triage-bot run` builds it, and a page on the same server where one person plays a
practitioner, a board officer, the independent chair and an agency lead side by side.
`runner.Demo` starts and stops it all; `page.DemoPage` serves the page and its JSON API;
`render` turns messages into safe HTML; `cast` names the people; `scenes` plays the page's
scripted scenes through the bot.
"""

from demo.cast import SEATS, Seat
from demo.page import DemoPage
from demo.runner import Demo

__all__ = ["SEATS", "Demo", "DemoPage", "Seat"]

"""The callback format of the officers' queue pages (`bot.board.queue`), beside the others of
`bot.delivery.keyboards` (whose prefixes it does not share):

- `g:<page>:n:<ref>` the page after referral `<ref>` (`Next »`), and `g:<page>:p:<ref>` the page
  before it (`« Previous`): a page starts at a referral's place in the queue's order, so it is
  read from an index whatever the history; `<page>` (from 0) is the number the page shows;
- `g:<page>` the buttons sent before pages carried a place: that page by its number, as then.

Callback data is never trusted: the handler looks the referral up (an unknown one is refused).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.delivery.keyboards import _REF, _checked, _data, buttons
from templates import labels

PAGE_PREFIX = "g"
PAGE_PATTERN = rf"^{PAGE_PREFIX}:"
NEXT, PREVIOUS = "n", "p"
_PAGE = _data(PAGE_PREFIX, rf"(\d{{1,6}})(?::([{NEXT}{PREVIOUS}]):{_REF})?")


@dataclass(frozen=True)
class PageData:
    """A parsed queue page button: the page it shows, and the side of which referral (both None
    on an older button, which names its page only)."""

    page: int
    way: str | None = None
    ref: str | None = None


def page_data(page: int, way: str | None = None, ref: str | None = None) -> str:
    """Callback data for the button to page `page` (from 0): after or before `ref` (`way`)."""
    return _checked(f"{PAGE_PREFIX}:{page}" + (f":{way}:{ref}" if way and ref else ""))


def parse_page(data: str) -> PageData | None:
    """The queue page a button asks for, or None if the data is not well formed."""
    match = _PAGE.match(data)
    return PageData(int(match[1]), match[2], match[3]) if match else None


def page_keyboard(page: int, first: str | None, last: str | None) -> InlineKeyboardMarkup | None:
    """`« Previous` (the page before referral `first`) and `Next »` (after `last`) around page
    `page` (from 0); either is absent when None, the keyboard when both are."""
    row = []
    if first is not None:
        row.append((labels.button("previous"), page_data(max(0, page - 1), PREVIOUS, first)))
    if last is not None:
        row.append((labels.button("next"), page_data(page + 1, NEXT, last)))
    return buttons([row]) if row else None

"""`bot.serving.polling.handle_batch`: the offset it confirms and the errors it passes on, for a
batch of one chat (handled without a task of its own) and of several chats (one task each)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import cast

import pytest
from telegram import Chat, Message, Update, User

from bot.context import App
from bot.serving.polling import handle_batch

WHEN = dt.datetime(2026, 12, 8, tzinfo=dt.UTC)


def update(update_id: int, chat_id: int) -> Update:
    """A private text of `chat_id`'s person."""
    user = User(chat_id, "Synthetic", is_bot=False)
    message = Message(update_id, WHEN, Chat(chat_id, "private"), from_user=user, text="hi")
    return Update(update_id, message=message)


class Handled:
    """An application's `process_update` that records the ids it was given and fails on one."""

    def __init__(self, failing: int | None = None) -> None:
        self.ids: list[int] = []
        self.failing = failing

    async def process_update(self, item: Update) -> None:
        await asyncio.sleep(0)
        if item.update_id == self.failing:
            raise RuntimeError("a handler failed")
        self.ids.append(item.update_id)


def app_of(handled: Handled) -> App:
    return cast(App, handled)


async def test_one_chats_batch_is_handled_in_order_and_confirmed_whole() -> None:
    handled = Handled()
    batch: list[tuple[int, Update | None]] = [(i, update(i, 7)) for i in (10, 11, 12)]
    offset = await handle_batch(app_of(handled), batch, asyncio.Event())
    assert handled.ids == [10, 11, 12]
    assert offset == 13


async def test_one_chats_failure_confirms_what_came_before_it_and_is_raised() -> None:
    handled = Handled(failing=11)
    batch: list[tuple[int, Update | None]] = [(i, update(i, 7)) for i in (10, 11, 12)]
    with pytest.raises(RuntimeError):
        await handle_batch(app_of(handled), batch, asyncio.Event())
    assert handled.ids == [10]  # the chat's lane stops at its failure: 12 is seen again


async def test_several_chats_each_in_order_and_the_offset_stops_at_the_first_unhandled() -> None:
    handled = Handled()
    batch: list[tuple[int, Update | None]] = [
        (10, update(10, 7)),
        (11, update(11, 8)),
        (12, update(12, 7)),
        (13, None),  # an update the library could not read: handled as done
    ]
    offset = await handle_batch(app_of(handled), batch, asyncio.Event())
    assert sorted(handled.ids) == [10, 11, 12]
    assert handled.ids.index(10) < handled.ids.index(12)
    assert offset == 14


async def test_a_stop_leaves_the_rest_of_one_chats_batch_to_be_seen_again() -> None:
    stop = asyncio.Event()

    class Stopping(Handled):
        async def process_update(self, item: Update) -> None:
            await super().process_update(item)
            stop.set()

    handled = Stopping()
    batch: list[tuple[int, Update | None]] = [(i, update(i, 7)) for i in (10, 11)]
    offset = await handle_batch(app_of(handled), batch, stop, offset=5)
    assert handled.ids == [10]
    assert offset == 11

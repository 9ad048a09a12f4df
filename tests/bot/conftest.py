"""Fixtures: a local Bot API server with the board's people, and the bot running against it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from harness import (
    BOARD,
    CHAIR,
    ICB_LEAD,
    LA_LEAD,
    OFFICER,
    OTHER_PRACTITIONER,
    PARTNERS,
    POLICE_LEAD,
    PRACTITIONER,
    PROBE,
    SECOND_CHAIR,
    STRANGER,
    TOKEN,
    Bots,
    Person,
    Running,
    make_settings,
)
from officers_support import Clock

from bot.settings import Settings
from localapi import LocalBotAPI


@pytest.fixture
async def api() -> AsyncIterator[LocalBotAPI]:
    """The local Bot API server with the board's people and group known to it."""
    async with LocalBotAPI(token=TOKEN) as server:
        server.add_user(PRACTITIONER, "Pat")
        server.add_user(OTHER_PRACTITIONER, "Sam")
        server.add_user(CHAIR, "Chris")
        server.add_user(SECOND_CHAIR, "Dana")
        server.add_user(OFFICER, "Olu")
        server.add_user(STRANGER, "Stevie")
        server.add_user(PROBE, "Probe")
        server.add_user(LA_LEAD, "Lara")
        server.add_user(ICB_LEAD, "Ines")
        server.add_user(POLICE_LEAD, "Paul")
        server.add_chat(BOARD, "supergroup", "Board officers")
        yield server


@pytest.fixture
def settings(api: LocalBotAPI, tmp_path: Path) -> Settings:
    """The settings `triage-bot run` would read, pointing at the local server."""
    return make_settings(api, tmp_path)


@pytest.fixture
def wt_settings(api: LocalBotAPI, tmp_path: Path) -> Settings:
    """The settings of a board under Working Together 2023, its three partners deciding."""
    return make_settings(api, tmp_path, MATRIX="wt2023", PARTNER_USER_IDS=PARTNERS)


@pytest.fixture
def clock() -> Clock:
    """A clock the test moves, at a Monday's 10:00 UTC (a module may set its own)."""
    return Clock(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
async def clocked(settings: Settings, clock: Clock) -> AsyncIterator[Running]:
    """The bot, polling, reading the time from `clock`."""
    bot = Running(settings, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
async def running(settings: Settings) -> AsyncIterator[Running]:
    """The bot, polling."""
    bot = Running(settings)
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
async def bots(api: LocalBotAPI, tmp_path: Path) -> AsyncIterator[Bots]:
    """Start bots with settings of the test's choosing; they are stopped afterwards."""
    started = Bots(api, tmp_path)
    yield started
    await started.stop_all()


@pytest.fixture
def pat(api: LocalBotAPI) -> Person:
    """A practitioner in their private chat."""
    return Person(api, PRACTITIONER)


@pytest.fixture
def chair(api: LocalBotAPI) -> Person:
    """The independent chair in their private chat."""
    return Person(api, CHAIR)


@pytest.fixture
def board(api: LocalBotAPI) -> Person:
    """An officer in the board group."""
    return Person(api, OFFICER, BOARD)


@pytest.fixture
def stranger(api: LocalBotAPI) -> Person:
    """Someone who is neither officer nor chair, in their private chat."""
    return Person(api, STRANGER)

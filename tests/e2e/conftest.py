"""Fixtures: a local Bot API server on its own thread, and the bot as a subprocess over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from botproc import PRACTITIONER, BotProcess, Person, server

from localapi import ThreadedLocalBotAPI


@pytest.fixture
def api() -> Iterator[ThreadedLocalBotAPI]:
    """The local Bot API server with the board's people and group known to it."""
    api = server()
    yield api
    api.stop()


@pytest.fixture
def bot(api: ThreadedLocalBotAPI, tmp_path: Path) -> Iterator[BotProcess]:
    """`python -m bot run`, started; stopped (or already killed) at the end."""
    process = BotProcess(api, tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def pat(api: ThreadedLocalBotAPI) -> Person:
    """A practitioner in their private chat."""
    return Person(api, PRACTITIONER)

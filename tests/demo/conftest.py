"""Fixtures: a running demo (server, bot, page) in this test's loop, a client for its page
API, and Debian's Chromium (installed by the set-up when missing)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from demo_cdp import ensure_chromium
from demo_helpers import PageClient

from demo import Demo


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[Demo]:
    """The whole demo, started as `triage-bot demo` starts it, its temp folder in tmp_path."""
    async with Demo(temp_parent=tmp_path) as running:
        yield running


@pytest.fixture
async def page(demo: Demo) -> AsyncIterator[PageClient]:
    """A client of the page's JSON API that keeps the three chats as the page would."""
    async with aiohttp.ClientSession(base_url=demo.url) as session:
        client = PageClient(session)
        await client.load()
        yield client


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's Chromium; installed with apt-get when missing (as root)."""
    return ensure_chromium()

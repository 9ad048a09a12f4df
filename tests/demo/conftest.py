"""Fixtures: a running demo (server, bot, page) in this test's loop, a client for its page
API, and the system's Chromium for the browser test (skipped when it is not installed; the
tests never install anything)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from demo_helpers import PageClient

from demo import Demo

INSTALL_HINT = "apt-get install chromium"


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
    """The path of the system's `chromium`; the test is skipped without it, or fails when a
    screenshot was asked for on purpose (DEMO_SCREENSHOT, `make screenshot`)."""
    found = shutil.which("chromium")
    if found is None:
        message = f"the browser test needs Chromium on the PATH: {INSTALL_HINT}"
        if os.environ.get("DEMO_SCREENSHOT"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return found

"""`Demo` in-process: the bot is the one `triage-bot run` builds, its database lives in a
temporary folder that `stop()` removes, and a bot that stops polling on its own is noticed."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from demo import Demo
from demo.cast import BOARD_CHAT_ID, CHAIR_ID, OFFICER_ID, PRACTITIONER_ID


async def test_settings_point_the_bot_at_the_local_server(tmp_path: Path) -> None:
    demo = Demo(temp_parent=tmp_path)
    await demo.start()
    try:
        settings = demo.settings
        assert settings is not None
        assert settings.token == demo.api.token and settings.base_url == demo.api.base_url
        assert settings.board_chat_id == BOARD_CHAT_ID
        assert settings.chair_user_ids == {CHAIR_ID} and settings.officer_user_ids == {OFFICER_ID}
        assert PRACTITIONER_ID not in settings.officer_user_ids | settings.chair_user_ids
        assert settings.db_path.parent.parent == tmp_path and settings.db_path.exists()
        port = demo.api.port
        commands = demo.api.commands({"type": "all_private_chats"})
        assert "start" in [c["command"] for c in commands]  # post_init ran
    finally:
        await demo.stop()
    assert list(tmp_path.iterdir()) == []
    with socket.socket() as sock:  # the port is free again
        sock.bind(("127.0.0.1", port))


async def test_a_bot_that_stops_polling_is_noticed(
    demo: Demo, caplog: pytest.LogCaptureFixture
) -> None:
    demo.api.fail("getUpdates", 401, times=1000)  # Telegram refusing the token
    demo.api.send_text(PRACTITIONER_ID, "/help")  # ends the poll in flight
    stop = asyncio.Event()
    assert await asyncio.wait_for(demo.wait(stop), 15) is False
    with caplog.at_level(logging.ERROR):
        await demo.stop()
    assert "polling failed" in caplog.text

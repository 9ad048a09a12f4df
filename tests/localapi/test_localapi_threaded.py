"""The threaded runner: the server on its own thread, driven from synchronous code, with a
python-telegram-bot echo bot running as a separate process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from localapi_helpers import ALICE

from localapi import ThreadedLocalBotAPI


def call(api: ThreadedLocalBotAPI, method: str, **params: Any) -> dict[str, Any]:
    body = json.dumps(params).encode()
    req = urllib.request.Request(
        f"{api.base_url}{api.token}/{method}",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        result: dict[str, Any] = json.loads(resp.read())
        return result


def test_sync_callers_inject_inspect_and_wait() -> None:
    with ThreadedLocalBotAPI() as api:
        api.add_user(ALICE, "Alice")
        assert api.base_url == f"http://127.0.0.1:{api.port}/bot"
        assert api.base_file_url == f"http://127.0.0.1:{api.port}/file/bot"
        api.send_text(ALICE, "hi")

        def answer_later() -> None:
            time.sleep(0.2)
            call(api, "sendMessage", chat_id=ALICE, text="<b>hello</b> back", parse_mode="HTML")

        worker = threading.Thread(target=answer_later)
        worker.start()
        msg = api.wait_for_message(ALICE, "hello back", timeout=3)
        worker.join()
        assert msg.from_bot and msg.text == "hello back"
        assert api.wait_for_call("sendMessage", chat_id=ALICE).ok
        with pytest.raises(TimeoutError, match=r"'nothing' in chat 1001.*hello back"):
            api.wait_for_message(ALICE, "nothing", timeout=0.1)


def test_long_poll_from_a_thread_wakes_on_injection() -> None:
    with ThreadedLocalBotAPI() as api:
        api.add_user(ALICE, "Alice")
        threading.Timer(0.2, lambda: api.send_text(ALICE, "wake up")).start()
        started = time.monotonic()
        body = call(api, "getUpdates", timeout=5)
        assert time.monotonic() - started < 1.5
        assert [u["message"]["text"] for u in body["result"]] == ["wake up"]


def test_faults_apply_across_threads() -> None:
    with ThreadedLocalBotAPI() as api:
        api.add_user(ALICE, "Alice")
        api.fail("sendMessage", status=429, retry_after=2)
        with pytest.raises(urllib.error.HTTPError) as err:
            call(api, "sendMessage", chat_id=ALICE, text="x")
        assert err.value.code == 429
        assert json.loads(err.value.read())["parameters"] == {"retry_after": 2}
        assert call(api, "sendMessage", chat_id=ALICE, text="x")["ok"] is True


def test_port_is_freed_and_a_busy_port_is_reported() -> None:
    with ThreadedLocalBotAPI() as first:
        port = first.port
        with pytest.raises(OSError):
            ThreadedLocalBotAPI(port=port).start()
    with ThreadedLocalBotAPI(port=port) as again:
        assert again.port == port
        assert call(again, "getMe")["result"]["is_bot"] is True


ECHO_BOT = textwrap.dedent(
    """
    import sys
    from telegram.ext import Application, MessageHandler, filters

    token, base_url, file_url = sys.argv[1:4]

    async def echo(update, context):
        await update.effective_message.reply_text("echo: " + update.effective_message.text)

    app = (Application.builder().token(token).base_url(base_url).base_file_url(file_url)
           .build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0, timeout=1)
    """
)


def test_a_bot_process_talks_to_the_threaded_server(tmp_path: Path) -> None:
    script = tmp_path / "echo_bot.py"
    script.write_text(ECHO_BOT)
    with ThreadedLocalBotAPI() as api:
        api.add_user(ALICE, "Alice")
        proc = subprocess.Popen(
            [sys.executable, str(script), api.token, api.base_url, api.base_file_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            api.wait_for_call("getUpdates", since=0, timeout=15)
            api.send_text(ALICE, "ping")
            assert api.wait_for_message(ALICE, "echo: ping", timeout=5).from_bot
        finally:
            proc.terminate()
            output = proc.communicate(timeout=10)[0].decode()
        assert proc.returncode == 0, output
        assert api.calls("deleteWebhook") and api.calls("getMe")

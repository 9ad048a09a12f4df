"""Settings and the token, checked before anything is on disk, run as an operator runs it.

`triage-bot run` (and every subcommand that reads settings) is started as a subprocess in an
empty folder with the default TRIAGE_DB (`data/triage.db`): a malformed setting, a malformed
token, a token the Bot API rejects (the in-repo local server, configured with another token,
answers 401) and a base URL where nothing listens (a 127.0.0.1 port just closed) each give one
line on stderr and exit status 2; no part of the token is on stdout or stderr, and the folder
stays empty. `run --check` reaches getMe, prints the bot's username and exits 0.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings
from localapi import ThreadedLocalBotAPI

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "987654321:AAH-synthetic_TOKEN-never-real-Zq81"
MALFORMED = "987654321:QX7 zz9-SECRET/kq Wv4"
SERVER_TOKEN = "111:the-server-knows-only-this-one"


def _env(**settings: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TRIAGE_", "WEBHOOK_", "WEBAPP_"))
        and k not in {"BOARD_CHAT_ID", "REMINDER_WORKING_DAYS", "BANK_HOLIDAYS", "LOG_LEVEL"}
    }
    return {**env, **settings}


def triage_bot(folder: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `folder` with these settings in its environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**_env(**settings), "PYTHONPATH": str(ROOT)},
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def token_pieces(token: str, width: int = 8) -> list[str]:
    """The token, its secret half, and every `width`-character piece of that half."""
    secret = token.split(":", 1)[1]
    return [token, secret] + [secret[i : i + width] for i in range(len(secret) - width + 1)]


def assert_one_line_refusal(
    done: subprocess.CompletedProcess[str], folder: Path, token: str
) -> str:
    """Exit 2, one line on stderr, nothing on stdout, no piece of the token, nothing on disk."""
    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "Traceback" not in output
    assert [piece for piece in token_pieces(token) if piece in output] == []
    assert list(folder.iterdir()) == [], "something was created before the settings were checked"
    return done.stderr


@pytest.fixture(scope="module")
def api() -> Iterator[ThreadedLocalBotAPI]:
    """A local Bot API server that knows only SERVER_TOKEN: any other token gets a 401."""
    server = ThreadedLocalBotAPI(token=SERVER_TOKEN, bot_username="board_triage_test_bot")
    server.start()
    yield server
    server.stop()


def unused_port() -> int:
    """A 127.0.0.1 port that was free a moment ago (bound, then closed): nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_a_token_the_bot_api_rejects_is_one_line_without_the_token(
    tmp_path: Path, api: ThreadedLocalBotAPI
) -> None:
    since = api.mark()
    done = triage_bot(tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=api.base_url)
    line = assert_one_line_refusal(done, tmp_path, TOKEN)
    assert "rejected the bot token" in line and "TELEGRAM_BOT_TOKEN" in line
    assert api.base_url in line
    # it really asked, and was refused
    assert [c.status for c in api.calls("getMe", since=since)] == [401]


def test_a_base_url_nothing_answers_is_one_line_without_the_token(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{unused_port()}/bot"
    for args in (["run"], ["run", "--check"]):
        done = triage_bot(tmp_path, *args, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_BASE_URL=base_url)
        line = assert_one_line_refusal(done, tmp_path, TOKEN)
        assert f"cannot reach the Bot API at {base_url}" in line
        assert "TELEGRAM_BASE_URL" in line


def test_a_malformed_token_is_refused_before_any_request(
    tmp_path: Path, api: ThreadedLocalBotAPI
) -> None:
    since = api.mark()
    done = triage_bot(tmp_path, "run", TELEGRAM_BOT_TOKEN=MALFORMED, TELEGRAM_BASE_URL=api.base_url)
    line = assert_one_line_refusal(done, tmp_path, MALFORMED)
    assert "TELEGRAM_BOT_TOKEN is not a bot token" in line
    assert api.calls(since=since) == []


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("BOARD_CHAT_ID", "abc", "BOARD_CHAT_ID must be a whole number"),
        ("REMINDER_WORKING_DAYS", "-1", "REMINDER_WORKING_DAYS must be positive"),
        ("BANK_HOLIDAYS", "2026-12-25,2026-02-30", "BANK_HOLIDAYS must list dates as YYYY-MM-DD"),
        ("TELEGRAM_BASE_URL", "api.telegram.org/bot", "TELEGRAM_BASE_URL must be a https or http"),
        ("WEBHOOK_SECRET", "has spaces", "WEBHOOK_SECRET must be"),
    ],
)
@pytest.mark.parametrize("command", [["run"], ["run", "--check"], ["invite", "--agency", "Health"]])
def test_a_bad_setting_is_one_line_and_nothing_is_created(
    tmp_path: Path, command: list[str], setting: str, value: str, said: str
) -> None:
    done = triage_bot(tmp_path, *command, TELEGRAM_BOT_TOKEN=TOKEN, **{setting: value})
    assert said in assert_one_line_refusal(done, tmp_path, TOKEN)


@pytest.mark.parametrize(
    "command",
    [["backup", "copy.db"], ["export", "--out", "out.csv"], ["report", "--year", "2026"]],
)
def test_every_command_reading_settings_refuses_a_bad_one_in_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    done = triage_bot(tmp_path, *command, TELEGRAM_BOT_TOKEN=TOKEN, BOARD_CHAT_ID="abc")
    line = assert_one_line_refusal(done, tmp_path, TOKEN)
    assert line.startswith(f"triage-bot {command[0]}: BOARD_CHAT_ID")


def test_a_config_file_with_a_bad_setting_and_the_token_is_one_line(tmp_path: Path) -> None:
    config = tmp_path.parent / f"{tmp_path.name}-settings.toml"
    config.write_text(f'TELEGRAM_BOT_TOKEN = "{MALFORMED}"\nDRAFT_TTL_HOURS = 0\n')
    done = triage_bot(tmp_path, "run", "--check", TRIAGE_CONFIG=str(config))
    assert "DRAFT_TTL_HOURS must be positive" in assert_one_line_refusal(done, tmp_path, MALFORMED)


def test_check_reaches_get_me_and_prints_the_username(
    tmp_path: Path, api: ThreadedLocalBotAPI
) -> None:
    since = api.mark()
    done = triage_bot(
        tmp_path,
        "run",
        "--check",
        TELEGRAM_BOT_TOKEN=SERVER_TOKEN,
        TELEGRAM_BASE_URL=api.base_url,
        LOG_LEVEL="DEBUG",
    )
    assert done.returncode == 0, done.stderr
    assert "@board_triage_test_bot" in done.stdout
    assert [c.ok for c in api.calls("getMe", since=since)] == [True]
    output = done.stdout + done.stderr
    assert [piece for piece in token_pieces(SERVER_TOKEN) if piece in output] == []
    assert list(tmp_path.iterdir()) == []  # a health check creates no database


def test_settings_never_show_the_secrets() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "s3cret-Value_42"})
    assert settings.token == TOKEN
    assert TOKEN.split(":")[1] not in repr(settings) and "s3cret" not in repr(settings)
    with pytest.raises(SettingsError) as refused:
        load_settings({"TELEGRAM_BOT_TOKEN": MALFORMED})
    assert [p for p in token_pieces(MALFORMED) if p in str(refused.value)] == []
    assert isinstance(load_settings({}), Settings)


def test_cp_procedures_has_a_default_and_may_not_be_empty(tmp_path: Path) -> None:
    assert load_settings({}).cp_procedures == "London Child Protection Procedures"
    named = load_settings({"CP_PROCEDURES": "  Pan-Thames   Child Protection Procedures "})
    assert named.cp_procedures == "Pan-Thames Child Protection Procedures"
    with pytest.raises(SettingsError, match="CP_PROCEDURES"):
        load_settings({"CP_PROCEDURES": "   "})
    config = tmp_path / "triage.toml"
    config.write_text('CP_PROCEDURES = ""\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="CP_PROCEDURES"):
        load_settings({"TRIAGE_CONFIG": str(config)})

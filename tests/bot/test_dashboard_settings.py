"""The dashboard's settings: off without WEBAPP_URL; an https address (http only on this
machine), an IP address and port to listen on, and origins to be framed by, each refused in one
line naming the setting."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

TOKEN = "123456:TEST-token-for-the-dashboard-settings"


def _load(**env: str) -> object:
    return load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **env})


def test_without_webapp_url_there_is_no_dashboard() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (settings.webapp_url, settings.webapp_listen, settings.webapp_port) == (
        "",
        "127.0.0.1",
        8444,
    )


def test_a_dashboard_behind_the_boards_proxy() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "WEBAPP_URL": "https://board.example.org/dashboard/",
            "WEBAPP_PORT": "9000",
            "WEBAPP_LISTEN": "0.0.0.0",
            "WEBAPP_FRAME_ANCESTORS": "https://intranet.example.org, http://127.0.0.1:8080",
        }
    )
    assert settings.webapp_port == 9000 and settings.webapp_listen == "0.0.0.0"
    assert settings.webapp_frame_ancestors == (
        "https://intranet.example.org",
        "http://127.0.0.1:8080",
    )
    assert load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBAPP_URL": "http://127.0.0.1:8444/"}
    ).webapp_url.startswith("http://127.0.0.1")


@pytest.mark.parametrize(
    ("setting", "value", "said"),
    [
        ("WEBAPP_URL", "http://board.example.org/", "WEBAPP_URL must be an https URL"),
        ("WEBAPP_URL", "board.example.org", "WEBAPP_URL must be a https or http URL"),
        ("WEBAPP_PORT", "70000", "WEBAPP_PORT must be a port number"),
        ("WEBAPP_PORT", "0", "WEBAPP_PORT must be positive"),
        ("WEBAPP_LISTEN", "everywhere", "WEBAPP_LISTEN must be an IP address"),
        ("WEBAPP_FRAME_ANCESTORS", "https://a.example.org/page", "must list origins"),
        ("WEBAPP_FRAME_ANCESTORS", "https://a.example.org 'unsafe-inline'", "WEBAPP_FRAME"),
    ],
)
def test_a_bad_dashboard_setting_is_refused_naming_it(setting: str, value: str, said: str) -> None:
    with pytest.raises(SettingsError, match=said):
        _load(**{setting: value})

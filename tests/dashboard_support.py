"""Helpers of the dashboard's tests: a free port, the settings that turn the dashboard on, and
init data signed as Telegram's documentation says (with `hmac` alone, not the bot's code)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import socket
from urllib.parse import quote, urlencode


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dashboard_env(port: int) -> dict[str, str]:
    """The settings of a board whose dashboard is served on `port` of this machine."""
    return {"WEBAPP_URL": f"http://127.0.0.1:{port}/", "WEBAPP_PORT": str(port)}


def telegram_signed(
    token: str,
    user_id: int,
    first_name: str = "Someone",
    signed_at: dt.datetime | None = None,
) -> str:
    """Init data for `user_id` as a Telegram client hands it to a Mini App."""
    moment = signed_at or dt.datetime.now(dt.UTC)
    fields = {
        "auth_date": str(int(moment.timestamp())),
        "query_id": "AAE-synthetic",
        "user": json.dumps({"id": user_id, "first_name": first_name}, separators=(",", ":")),
    }
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)

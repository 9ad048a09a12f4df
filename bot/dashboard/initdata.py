"""Who is asking: the Mini App's init data in `Authorization: tma <initData>`, checked.

Telegram signs the init data it hands a Mini App: HMAC-SHA256 of the data-check string (every
field but `hash`, sorted, `key=value` a line) under the key HMAC-SHA256("WebAppData", token).
The check is telegram-webapp-auth's (`TelegramAuthenticator.validate`, the expiry one hour);
this module adds what it does not: the header's form and size, a signing moment not in the
future, and a user with an id. Whatever is wrong, the answer is the same `Unauthenticated`
(its `reason` a word for the log, never the data). `sign` makes init data as Telegram does,
for the demo, which opens the dashboard as Telegram would, with its own token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from telegram_webapp_auth.auth import TelegramAuthenticator, generate_secret_key
from telegram_webapp_auth.errors import BaseTWAError, ExpiredInitDataError

SCHEME = "tma"
EXPIRES_IN = dt.timedelta(hours=1)  # signed within the last hour
SKEW = dt.timedelta(minutes=1)  # a client's clock a little ahead of ours
MAX_HEADER = 4096  # Telegram's init data is well under 1 KB; anything longer is refused unread


class Unauthenticated(Exception):
    """The request does not prove who sent it: missing, malformed, forged or stale."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Visitor:
    """The Telegram user the init data was signed for."""

    user_id: int
    first_name: str
    signed_at: dt.datetime


class Checker:
    """Checks init data signed with one bot token (the key derived once)."""

    def __init__(self, token: str) -> None:
        self._auth = TelegramAuthenticator(generate_secret_key(token))

    def visitor(self, header: str | None, now: dt.datetime) -> Visitor:
        """The visitor an `Authorization` header proves, or `Unauthenticated`."""
        if not header:
            raise Unauthenticated("missing")
        if len(header) > MAX_HEADER:
            raise Unauthenticated("too_long")
        scheme, _, data = header.partition(" ")
        if scheme.lower() != SCHEME or not data.strip():
            raise Unauthenticated("not_tma")
        try:
            checked = self._auth.validate(data.strip(), expr_in=EXPIRES_IN)
        except ExpiredInitDataError:
            raise Unauthenticated("stale") from None
        except BaseTWAError:
            raise Unauthenticated("forged") from None
        signed_at = dt.datetime.fromtimestamp(checked.auth_date, dt.UTC)
        if signed_at > now + SKEW:
            raise Unauthenticated("future")
        if now - signed_at > EXPIRES_IN:  # by the services' clock too, not only the library's
            raise Unauthenticated("stale")
        if checked.user is None or not isinstance(checked.user.id, int):
            raise Unauthenticated("no_user")
        return Visitor(checked.user.id, str(checked.user.first_name or ""), signed_at)


def sign(token: str, user_id: int, first_name: str, signed_at: dt.datetime) -> str:
    """Init data for `user_id`, signed with `token` at `signed_at` as Telegram signs it (the
    demo's Dashboard button: the same checks as Telegram's own)."""
    user = json.dumps({"id": user_id, "first_name": first_name}, separators=(",", ":"))
    fields = {"auth_date": str(int(signed_at.timestamp())), "user": user}
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    key = generate_secret_key(token)
    fields["hash"] = hmac.new(key, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)

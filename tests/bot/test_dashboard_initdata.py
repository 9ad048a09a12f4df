"""The dashboard's check of who is asking, against Telegram's documented algorithm.

Telegram documents it ("Validating data received via the Mini App"): the data-check string is
every field but `hash`, sorted by key, `key=value` joined by line feeds; the secret key is
HMAC-SHA256 of the bot token under the key "WebAppData"; the hash is the hex HMAC-SHA256 of
the data-check string under that secret key. The expected hashes here are computed with
`hmac` alone, never with the code under test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from telegram_webapp_auth.auth import TelegramAuthenticator, generate_secret_key

from bot.dashboard.initdata import MAX_HEADER, Checker, Unauthenticated, sign

TOKEN = "123456789:AAF-synthetic_test_token_for_the_dashboard"
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
USER = {"id": 2001, "first_name": "Chris"}

# The example of the Mini Apps platform's documentation (a bot of theirs, init data of 2022).
DOC_TOKEN = "5768337691:AAH5YkoiEuPk8-FZa32hStHTqXiLPtAEhx8"
DOC_INIT_DATA = (
    "query_id=AAHdF6IQAAAAAN0XohDhrOrc"
    "&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%2C%22last_name%22"
    "%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C"
    "%22is_premium%22%3Atrue%7D"
    "&auth_date=1662771648"
    "&hash=c501b71e775f74ce10e377dea85a7ea24ecd640b223ea86dfe453e0eaed2e2b2"
)


def documented_hash(token: str, fields: dict[str, str]) -> str:
    """The hash Telegram's documentation says init data carries."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()


def signed(
    signed_at: dt.datetime = NOW, token: str = TOKEN, user: dict[str, object] | None = USER
) -> str:
    """Init data as a Telegram client hands it to a Mini App, signed as documented."""
    fields = {"auth_date": str(int(signed_at.timestamp())), "query_id": "AAE-synthetic"}
    if user is not None:
        fields["user"] = json.dumps(user, separators=(",", ":"))
    fields["hash"] = documented_hash(token, fields)
    return urlencode(fields, quote_via=quote)


def test_the_documented_example_is_signed_as_the_algorithm_says() -> None:
    fields = dict(parse_qsl(DOC_INIT_DATA))
    assert documented_hash(DOC_TOKEN, fields) == fields["hash"]
    # The validator the dashboard uses agrees (its expiry off: the example is from 2022).
    checked = TelegramAuthenticator(generate_secret_key(DOC_TOKEN)).validate(DOC_INIT_DATA)
    assert checked.user is not None and checked.user.id == 279058397


def test_the_documented_example_is_refused_now_as_stale() -> None:
    with pytest.raises(Unauthenticated) as refused:
        Checker(DOC_TOKEN).visitor(f"tma {DOC_INIT_DATA}", NOW)
    assert refused.value.reason == "stale"


def test_init_data_signed_a_minute_ago_names_its_user() -> None:
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    visitor = Checker(TOKEN).visitor(f"tma {signed(moment)}", dt.datetime.now(dt.UTC))
    assert (visitor.user_id, visitor.first_name) == (2001, "Chris")


def test_what_the_demo_signs_is_what_telegram_signs() -> None:
    moment = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = sign(TOKEN, 2001, "Chris", moment)
    fields = dict(parse_qsl(data))
    assert fields["hash"] == documented_hash(TOKEN, fields)
    assert Checker(TOKEN).visitor(f"tma {data}", moment).user_id == 2001


def _refusal(header: str | None, now: dt.datetime | None = None) -> str:
    with pytest.raises(Unauthenticated) as refused:
        Checker(TOKEN).visitor(header, now or dt.datetime.now(dt.UTC))
    return refused.value.reason


def test_missing_malformed_and_oversized_headers_are_refused() -> None:
    fresh = signed(dt.datetime.now(dt.UTC))
    assert _refusal(None) == "missing"
    assert _refusal("") == "missing"
    assert _refusal(f"Bearer {fresh}") == "not_tma"
    assert _refusal("tma ") == "not_tma"
    assert _refusal("tma " + "a" * MAX_HEADER) == "too_long"
    assert _refusal("tma user=%7B&&&") == "forged"


def test_a_forged_or_tampered_signature_is_refused() -> None:
    now = dt.datetime.now(dt.UTC)
    good = signed(now)
    assert _refusal(f"tma {signed(now, token='987654321:AAother_bots_token')}") == "forged"
    assert _refusal("tma " + good.replace("Chris", "Mallory")) == "forged"
    other_user = good.replace("%22id%22%3A2001", "%22id%22%3A2002")
    assert other_user != good and _refusal(f"tma {other_user}") == "forged"
    fields = dict(parse_qsl(good))
    fields["hash"] = "0" * 64
    assert _refusal(f"tma {urlencode(fields)}") == "forged"
    del fields["hash"]
    assert _refusal(f"tma {urlencode(fields)}") == "forged"


def test_init_data_older_than_an_hour_or_from_the_future_is_refused() -> None:
    now = dt.datetime.now(dt.UTC)
    assert _refusal(f"tma {signed(now - dt.timedelta(hours=1, minutes=1))}") == "stale"
    assert _refusal(f"tma {signed(now + dt.timedelta(minutes=5))}") == "future"
    # Replayed after the hour by the services' clock too (a board whose clock is its own).
    later = now + dt.timedelta(hours=2)
    assert _refusal(f"tma {signed(now)}", later) == "stale"


def test_init_data_without_a_user_is_refused() -> None:
    assert _refusal(f"tma {signed(dt.datetime.now(dt.UTC), user=None)}") == "no_user"

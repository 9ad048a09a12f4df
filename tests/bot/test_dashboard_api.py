"""The dashboard over real HTTP, served by the running bot (`WEBAPP_URL` set): the page holds no
data; every API request is checked (401 missing, forged or stale, 403 off the board, 429 too
fast) and nothing but the refusal is logged; each referral shown is in its audit log; every
answer is uncached and framed only by Telegram's web clients; a path outside `/api/`, another
method, a huge header get nothing. The bot sets each board member's menu button at start, and
`/dashboard` says how to open it. Without `WEBAPP_URL` nothing listens."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging

import aiohttp
import pytest
from dashboard_support import dashboard_env, free_port, telegram_signed
from filed import SEVERE, file
from harness import CHAIR, LA_LEAD, OFFICER, PARTNERS, STRANGER, TOKEN, Bots, Person
from officers_support import Clock

from localapi import LocalBotAPI
from storage import events
from storage.db import open_db

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


async def _get(port: int, path: str, auth: str | None = None) -> tuple[int, dict[str, str], bytes]:
    headers = {} if auth is None else {"Authorization": auth}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}", headers=headers) as answer,
    ):
        return answer.status, dict(answer.headers), await answer.read()


async def test_an_officer_sees_the_queue_and_the_view_is_in_the_audit_log(bots: Bots) -> None:
    port = free_port()
    clock = Clock(MONDAY)
    bot = await bots.start(bots.settings(**dashboard_env(port)), clock)
    ref = file(bot.settings.db_path, SEVERE, MONDAY).ref
    clock.set(2026, 3, 6, 10)  # Friday: the decision is due on Monday, 1 working day on
    status, headers, body = await _get(port, "/api/queue", f"tma {telegram_signed(TOKEN, OFFICER)}")
    assert status == 200
    queue = json.loads(body)
    [row] = queue["referrals"]
    assert row["ref"] == ref and row["status"] == "awaiting the chair"
    [decision] = row["clocks"]
    assert (decision["label"], decision["due"], decision["days_left"], decision["state"]) == (
        "Time to decision",
        "2026-03-09",
        1,
        "soon",
    )
    assert headers["Cache-Control"] == "no-store"
    assert "frame-ancestors https://web.telegram.org" in headers["Content-Security-Policy"]
    db = open_db(bot.settings.db_path)
    try:
        seen = [e for e in events.events_for(db, ref) if e.action == "viewed"]
    finally:
        db.conn.close()
    assert [(e.actor, e.detail) for e in seen] == [(str(OFFICER), "dashboard")]
    clock.set(2026, 3, 10, 10)  # Tuesday: a working day late
    _, _, body = await _get(port, "/api/queue", f"tma {telegram_signed(TOKEN, CHAIR)}")
    [late] = json.loads(body)["referrals"][0]["clocks"]
    assert (late["days_left"], late["state"]) == (-1, "late")


async def test_bad_init_data_or_a_stranger_gets_nothing_and_only_the_refusal_is_logged(
    bots: Bots, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    bot = await bots.start(bots.settings(**dashboard_env(port)))
    file(bot.settings.db_path, SEVERE, dt.datetime.now(dt.UTC))
    hour_ago = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1, minutes=2)
    forged = telegram_signed("999:another-bots-token", OFFICER)
    stale = telegram_signed(TOKEN, OFFICER, signed_at=hour_ago)
    stranger = telegram_signed(TOKEN, STRANGER)
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    for auth, expected in [
        (None, 401),
        ("tma", 401),
        (f"tma {forged}", 401),
        (f"tma {stale}", 401),
        (f"Bearer {telegram_signed(TOKEN, OFFICER)}", 401),
        (f"tma {stranger}", 403),
        (f"tma {stale}" + "x" * 20_000, 400),
    ]:
        status, headers, body = await _get(port, "/api/queue", auth)
        assert status == expected, auth
        if status != 400:  # aiohttp answers what it cannot read itself, before any handler
            assert body == b"" and headers["Cache-Control"] == "no-store"
    # What the server logs (the Bot API client's own lines are the log guard's, bot.logs).
    served = [r for r in caplog.records if r.name.startswith(("bot.dashboard", "aiohttp"))]
    logged = "\n".join(r.getMessage() for r in served)
    for secret in (forged, stale, stranger, TOKEN, "hash=", "auth_date", "xxxx"):
        assert secret not in logged
    refusals = [r.getMessage() for r in caplog.records if "dashboard" in r.name]
    assert refusals == [
        "dashboard request refused: 401 missing",
        "dashboard request refused: 401 not_tma",
        "dashboard request refused: 401 forged",
        "dashboard request refused: 401 stale",
        "dashboard request refused: 401 not_tma",
        "dashboard request refused: 403 not_on_the_board",
        "dashboard request refused: 400 unreadable",
    ]
    assert all(r.exc_info is None for r in caplog.records if "dashboard" in r.name)


async def test_the_page_has_no_data_and_other_paths_methods_and_huge_headers_get_nothing(
    bots: Bots,
) -> None:
    port = free_port()
    bot = await bots.start(bots.settings(**dashboard_env(port)))
    ref = file(bot.settings.db_path, SEVERE, dt.datetime.now(dt.UTC)).ref
    status, headers, page = await _get(port, "/")
    assert status == 200 and b"Board dashboard" in page and ref.encode() not in page
    assert (
        "script-src 'self' https://telegram.org/js/telegram-web-app.js"
        in (headers["Content-Security-Policy"])
    )
    signed = f"tma {telegram_signed(TOKEN, OFFICER)}"
    for path in ("/queue", "/api/", "/api/nothing", "/static/../settings.py", "/.env"):
        status, _, body = await _get(port, path, signed)
        assert (status, body) == (404, b""), path
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/api/queue", headers={"Authorization": signed}) as a,
    ):
        assert (a.status, await a.read()) == (405, b"")
    status, _, body = await _get(port, "/api/queue", "tma " + "x" * 20_000)
    assert status in (400, 431) and ref.encode() not in body
    status, _, body = await _get(port, "/api/queue", "tma " + "x" * 5_000)
    assert (status, body) == (401, b"")


async def test_one_person_asking_too_fast_is_held_back(bots: Bots) -> None:
    port = free_port()
    await bots.start(bots.settings(**dashboard_env(port)))
    signed = f"tma {telegram_signed(TOKEN, OFFICER)}"
    answers = [(await _get(port, "/api/chart", signed))[0] for _ in range(40)]
    assert answers[:20] == [200] * 20 and 429 in answers
    assert (await _get(port, "/api/chart", f"tma {telegram_signed(TOKEN, CHAIR)}"))[0] == 200


async def test_each_board_member_gets_the_menu_button_and_dashboard_says_how(
    api: LocalBotAPI, bots: Bots, board: Person
) -> None:
    port = free_port()
    env = dashboard_env(port)
    await bots.start(bots.settings(**env, MATRIX="wt2023", PARTNER_USER_IDS=PARTNERS))
    button = {"type": "web_app", "text": "Dashboard", "web_app": {"url": env["WEBAPP_URL"]}}
    for member in (OFFICER, CHAIR, LA_LEAD):
        assert api.menu_button(member) == button
    assert api.menu_button(STRANGER) == {"type": "default"}
    said = await board.say("/dashboard", expect="menu button")
    assert "Dashboard" in said.reads


async def test_without_webapp_url_no_dashboard_is_served(
    api: LocalBotAPI, bots: Bots, board: Person
) -> None:
    port = free_port()
    await bots.start(bots.settings(WEBAPP_PORT=str(port)))
    with pytest.raises(aiohttp.ClientConnectionError):
        await _get(port, "/")
    assert api.menu_button(OFFICER) == {"type": "default"}
    await board.say("/dashboard", expect="no dashboard")


async def test_someone_taken_off_the_board_gets_the_default_button_back_once_refused(
    api: LocalBotAPI, bots: Bots
) -> None:
    port = free_port()
    env = dashboard_env(port)
    first = await bots.start(bots.settings(**env, OFFICER_USER_IDS=f"{OFFICER},{STRANGER}"))
    assert api.menu_button(STRANGER)["type"] == "web_app"
    await first.stop()
    await bots.start(bots.settings(**env))  # the settings changed: STRANGER is off the board
    assert api.menu_button(STRANGER)["type"] == "web_app"  # Telegram still shows it
    status, _, body = await _get(port, "/api/queue", f"tma {telegram_signed(TOKEN, STRANGER)}")
    assert (status, body) == (403, b"")
    for _ in range(100):
        if api.menu_button(STRANGER) == {"type": "default"}:
            break
        await asyncio.sleep(0.05)
    assert api.menu_button(STRANGER) == {"type": "default"}
    assert api.menu_button(OFFICER)["type"] == "web_app"

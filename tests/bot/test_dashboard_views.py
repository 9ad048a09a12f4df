"""What the dashboard's views show, read over HTTP from the running bot under Working Together
2023 (a clock the test sets): the Panel notification and rapid review clocks, red when late and
amber within two working days; each review's stage, terms, agency reviews and actions; actions
by agency, the agency with overdue ones first; the year's referrals by month and grade; and an
action's words erased under retention stay erased."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import aiohttp
from dashboard_support import dashboard_env, free_port, telegram_signed
from filed import LOW, SEVERE, file, planned
from harness import LA_LEAD, OFFICER, PARTNERS, TOKEN, Bots
from officers_support import Clock

from storage import actions, agency_reviews, referrals, retention
from storage.db import open_db
from storage.referral_record import Clock as StatutoryClock

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


async def _view(port: int, name: str, user: int = OFFICER) -> Any:
    headers = {"Authorization": f"tma {telegram_signed(TOKEN, user)}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/api/{name}", headers=headers) as answer,
    ):
        assert answer.status == 200
        return json.loads(await answer.read())


async def test_clocks_reviews_actions_and_the_chart_under_working_together(bots: Bots) -> None:
    port = free_port()
    clock = Clock(MONDAY)
    env = {**dashboard_env(port), "MATRIX": "wt2023", "PARTNER_USER_IDS": PARTNERS}
    bot = await bots.start(bots.settings(**env), clock)
    db_path = bot.settings.db_path
    notification = StatutoryClock(
        "notification", "Panel notification", MONDAY.date(), dt.date(2026, 3, 9)
    )
    notified = file(db_path, SEVERE, MONDAY, profile="wt2023", clocks=[notification]).ref
    reviewed = file(db_path, LOW, MONDAY, profile="wt2023").ref
    planned(db_path, reviewed, MONDAY)
    db = open_db(db_path)
    try:
        agency_reviews.ask(db, reviewed, ["Health", "Police"], dt.date(2026, 3, 20), MONDAY)
        agency_reviews.mark_asked(db, reviewed, "Police", MONDAY)
        for agency, due, words in [
            ("Police", dt.date(2026, 3, 4), "Audit referrals"),
            ("Health", dt.date(2026, 3, 31), "Train staff"),
        ]:
            actions.add_action(db, reviewed, agency, due, words, 1, MONDAY)
    finally:
        db.conn.close()

    clock.set(2026, 3, 5, 10)  # Thursday: the notification due Monday, 2 working days on
    queue = await _view(port, "queue", LA_LEAD)
    rows = {row["ref"]: row for row in queue["referrals"]}
    [panel] = [c for c in rows[notified]["clocks"] if c["name"] == "notification"]
    assert (panel["label"], panel["days_left"], panel["state"]) == ("Panel notification", 2, "soon")
    assert rows[notified]["status"] == "awaiting the safeguarding partners"
    assert reviewed in rows and rows[reviewed]["clocks"] == []  # decided: no clock runs

    reviews = (await _view(port, "reviews"))["reviews"]
    [review] = reviews
    assert (review["ref"], review["stage"], review["terms"]) == (
        reviewed,
        "plan being written",
        None,
    )
    assert [(a["agency"], a["progress"], a["state"]) for a in review["agency_reviews"]] == [
        ("Health", "not_asked", "ok"),
        ("Police", "asked", "ok"),
    ]
    assert [(a["id"], a["state"]) for a in review["actions"]] == [
        (f"{reviewed}/A1", "late"),
        (f"{reviewed}/A2", "ok"),
    ]

    by_agency = (await _view(port, "actions"))["agencies"]
    assert [(g["agency"], g["late"]) for g in by_agency] == [("Police", 1), ("Health", 0)]
    assert by_agency[0]["actions"][0]["text"] == "Audit referrals"

    clock.set(2026, 3, 10, 10)  # Tuesday: the notification a working day late
    queue = await _view(port, "queue")
    late = next(r for r in queue["referrals"] if r["ref"] == notified)
    assert (late["state"], late["clocks"][-1]["days_left"]) == ("late", -1)

    chart = await _view(port, "chart")
    march = chart["months"][2]
    assert chart["year"] == 2026 and sum(march["counts"]) == 2
    assert sum(sum(m["counts"]) for m in chart["months"]) == 2
    assert (await _view(port, "reach"))["briefs"] == []


async def test_an_actions_words_erased_under_retention_stay_erased(bots: Bots) -> None:
    port = free_port()
    clock = Clock(MONDAY)
    bot = await bots.start(bots.settings(**dashboard_env(port)), clock)
    db_path = bot.settings.db_path
    ref = file(db_path, LOW, MONDAY).ref
    planned(db_path, ref, MONDAY)
    words = "Synthetic action: review the nursery's escalation policy"
    db = open_db(db_path)
    try:
        actions.add_action(db, ref, "Health", dt.date(2026, 4, 1), words, 1, MONDAY)
        for status in ("in_review", "report_received", "published", "closed"):
            referrals.set_status(db, ref, status, 1, "", MONDAY)
        later = MONDAY + dt.timedelta(days=7 * 366)
        retention.purge(db, today=later.date(), declined_months=12, closed_years=6, now=later)
    finally:
        db.conn.close()
    clock.now = MONDAY + dt.timedelta(days=7 * 366)
    shown = json.dumps(await _view(port, "actions"))
    assert ref in shown and words not in shown and "nursery" not in shown

"""Working Together 2023 over the local Bot API (`MATRIX=wt2023`, Easter bank holidays around a
weekend): a notifiable referral's route begins with the rapid review, its Panel notification
clock is due 5 working days after filing and shown on the board notice, the decision card,
`/case` and `/queue`; `/notified` and `/rapidreview` are acknowledged, recorded and refused
clearly when wrong; open clocks are reminded to the group on the due day and each working day
after; and a referral under the 2013 profile has no clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from flows import REF, cards, invite, submit, walk_to_summary
from harness import (
    BOARD,
    CHAIR,
    LA_LEAD,
    OFFICER,
    PARTNERS,
    PRACTITIONER,
    STRANGER,
    Person,
    Running,
    make_settings,
)
from officers_support import Clock

from bot.context import App
from bot.delivery import reminders
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import events, referrals
from storage.db import open_db
from storage.referrals import Referral

EASTER = "2026-04-03,2026-04-06"  # Good Friday and Easter Monday, around the weekend
FILED = dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC)  # Thursday before Easter
NOTIFICATION_DUE = "Mon 13 Apr 2026"  # Apr 7, 8, 9, 10, 13: 5 working days after Apr 2


@pytest.fixture
def clock() -> Clock:
    return Clock(FILED)


@pytest.fixture
def wt_settings(api: LocalBotAPI, tmp_path: Path) -> Settings:
    return make_settings(
        api, tmp_path, MATRIX="wt2023", BANK_HOLIDAYS=EASTER, PARTNER_USER_IDS=PARTNERS
    )


@pytest.fixture
async def clocked(wt_settings: Settings, clock: Clock) -> AsyncIterator[Running]:
    bot = Running(wt_settings, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()


def stored(settings: Settings, ref: str) -> Referral:
    db = open_db(settings.db_path)
    try:
        referral = referrals.get_referral(db, ref)
        assert referral is not None
        return referral
    finally:
        db.conn.close()


def logged(settings: Settings, ref: str) -> list[tuple[str, str]]:
    db = open_db(settings.db_path)
    try:
        return [(e.action, e.detail) for e in events.events_for(db, ref)]
    finally:
        db.conn.close()


async def file_notifiable(api: LocalBotAPI, settings: Settings, clock: Clock) -> str:
    """A practitioner files a catastrophic case (known abuse, a death: notifiable)."""
    pat = Person(api, PRACTITIONER)
    await pat.say(f"/start {invite(settings, now=clock())}", expect="no names")
    await walk_to_summary(pat)
    return await submit(pat)


async def test_a_notifiable_referral_gets_its_clocks_and_the_commands_close_them(
    api: LocalBotAPI, clocked: Running, wt_settings: Settings, clock: Clock
) -> None:
    ref = await file_notifiable(api, wt_settings, clock)
    referral = stored(wt_settings, ref)
    assert referral.profile == "wt2023" and referral.flags["notifiable"]
    notify = referral.clock("notification")
    assert notify is not None and notify.due_on == dt.date(2026, 4, 13)
    assert referral.clock("rapid_review") is None  # starts with the notification

    notice, card = await cards(api, ref, LA_LEAD)
    for text in (notice.reads, card.reads):
        assert "Review route: Rapid review / " in text
        assert f"Panel notification due {NOTIFICATION_DUE}" in text
        assert "Rapid review: due 15 working days after the panel notification" in text
        assert "Child Safeguarding Practice Review Panel within 5 working days" in text

    board = Person(api, OFFICER, BOARD)
    refused = await board.say(f"/rapidreview {ref} lcspr", expect=ref)
    assert "has not started" in refused.reads and f"/notified {ref}" in refused.reads

    clock.set(2026, 4, 9, 10)  # Thursday after Easter: the Panel is notified
    done = await board.say(f"/notified {ref}", expect=ref)
    text = done.reads
    assert "Panel notification recorded: the Panel was notified" in text
    # Apr 9 + 15 working days: 10, 13-17, 20-24, 27-30
    assert "Rapid review now due Thu 30 Apr 2026" in text
    again = await board.say(f"/notified {ref}", expect=ref)
    assert "already recorded on 09 Apr 2026" in again.reads

    case = await board.say(f"/case {ref}", expect=ref)
    assert "Panel notification: done 09 Apr 2026" in case.reads
    assert "Rapid review due Thu 30 Apr 2026" in case.reads

    usage = await board.say(f"/rapidreview {ref} no_review", expect="Usage")
    assert "the reason for no_review is missing" in usage.reads
    assert "/rapidreview REF lcspr|national|no_review [reason]" in usage.reads
    usage = await board.say(f"/rapidreview {ref} scr", expect="Usage")
    assert "the outcome scr is not one of lcspr, national, no_review" in usage.reads
    usage = await board.say("/rapidreview", expect="Usage")
    assert "the reference is missing" in usage.reads

    clock.set(2026, 4, 20, 10)
    done = await board.say(
        f"/rapidreview {ref} no_review partners agree learning is covered by call 020 7946 0123",
        expect=ref,
    )
    text = done.reads
    assert "Rapid review recorded: no further review" in text
    assert "020 7946 0123" not in text and "Identifiers removed" in text
    closed = stored(wt_settings, ref).clock("rapid_review")
    assert closed is not None and closed.outcome == "no_review" and not closed.is_open
    actions = logged(wt_settings, ref)
    assert ("notification", "notified") in actions
    (detail,) = [d for a, d in actions if a == "rapid_review"]
    assert detail.startswith("no_review: partners agree") and "0123" not in detail

    stranger = Person(api, STRANGER, BOARD)
    reply = await stranger.say(f"/notified {ref}")
    assert "Sorry, /notified is for board officers and the chair only" in reply.reads


async def clock_reminders(app: App) -> list[reminders.Reminder]:
    """Today's reminders queued now, those of statutory clocks only (the chair's own reminder
    of an undecided referral comes too after 5 working days)."""
    return [r for r in await reminders.run_now(app) if r.kind.startswith("clock_")]


async def test_clocks_are_overdue_on_the_queue_and_reminded_each_working_day(
    api: LocalBotAPI, clocked: Running, wt_settings: Settings, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    ref = await file_notifiable(api, wt_settings, clock)
    await cards(api, ref, LA_LEAD)
    board = Person(api, OFFICER, BOARD)

    clock.set(2026, 4, 10, 10)  # Friday: due Monday, nothing to remind
    assert await clock_reminders(app) == []
    queue = await board.say("/queue", expect="Queue")
    assert f"{ref} · Panel notification due {NOTIFICATION_DUE}" in queue.reads
    assert "OVERDUE" not in queue.reads

    clock.set(2026, 4, 13, 10)  # the due day
    due = await clock_reminders(app)
    assert [(r.ref, r.kind, r.chats) for r in due] == [(ref, "clock_notification", (BOARD,))]
    message = await api.wait_for_message(BOARD, "is due today", since=0)
    assert f"/notified {ref}" in message.reads

    clock.set(2026, 4, 14, 10)  # a working day late
    assert [r.kind for r in await clock_reminders(app)] == ["clock_notification"]
    message = await api.wait_for_message(BOARD, "OVERDUE", since=0)
    assert "1 working day ago" in message.reads
    clock.set(2026, 4, 14, 15)
    assert await clock_reminders(app) == []  # once a day
    queue = await board.say("/queue", expect="Queue")
    assert f"OVERDUE ⚠️ {ref} · Panel notification due {NOTIFICATION_DUE}" in queue.reads
    case = await board.say(f"/case {ref}", expect=ref)
    assert f"OVERDUE ⚠️ Panel notification due {NOTIFICATION_DUE}" in case.reads

    clock.set(2026, 4, 18, 10)  # Saturday: no reminders
    assert await reminders.run_now(app) == []
    clock.set(2026, 4, 20, 10)
    await board.say(f"/notified {ref}", expect="recorded")
    assert await clock_reminders(app) == []  # closed: not reminded again
    queue = await board.say("/queue", expect="Queue")
    assert "OVERDUE" not in queue.reads and "Rapid review due" in queue.reads


async def test_a_referral_under_2013_has_no_clock(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    pat = Person(api, PRACTITIONER)
    await pat.say(f"/start {invite(settings)}", expect="no names")
    await walk_to_summary(pat)
    ref = await submit(pat)
    notice, _ = await cards(api, ref)
    assert "Rapid review" not in notice.reads and "Statutory clocks" not in (notice.reads)
    assert stored(settings, ref).profile == "2013" and stored(settings, ref).clocks == ()
    board = Person(api, OFFICER, BOARD)
    reply = await board.say(f"/notified {ref}", expect=ref)
    assert "has no Panel notification clock" in reply.reads
    assert REF.fullmatch(ref) and CHAIR

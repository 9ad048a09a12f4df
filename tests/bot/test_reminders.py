"""Reminders with a controlled clock: working days across a weekend and a bank holiday (pure),
then the bot reminding the chair and the group of an overdue referral, and the group of plan
deadlines passed, each at most once a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from harness import BOARD, CHAIR, OFFICER, Running, make_settings
from officers_support import LOW, SEVERE, Clock, decide, file

from bot.delivery import reminders
from bot.delivery.workdays import add_working_days, is_working_day, working_days_between
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import plans, referrals
from storage import reminders as sent
from storage.db import open_db

D = dt.date
GOOD_FRIDAY, EASTER_MONDAY = D(2026, 4, 3), D(2026, 4, 6)
HOLIDAYS = frozenset({GOOD_FRIDAY, EASTER_MONDAY})


# -- working days (pure) ---------------------------------------------------------------------


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert is_working_day(D(2026, 4, 2), HOLIDAYS)  # Thursday
    assert not is_working_day(GOOD_FRIDAY, HOLIDAYS)
    assert not is_working_day(D(2026, 4, 4), HOLIDAYS)  # Saturday
    assert not is_working_day(D(2026, 4, 5), HOLIDAYS)  # Sunday
    assert not is_working_day(EASTER_MONDAY, HOLIDAYS)
    assert is_working_day(EASTER_MONDAY)  # an ordinary Monday without the holiday list


@pytest.mark.parametrize(
    ("start", "end", "holidays", "expected"),
    [
        (D(2026, 3, 6), D(2026, 3, 9), frozenset(), 1),  # Friday -> Monday, over a weekend
        (D(2026, 3, 6), D(2026, 3, 8), frozenset(), 0),  # Friday -> Sunday
        (D(2026, 3, 2), D(2026, 3, 9), frozenset(), 5),  # Monday -> next Monday
        (D(2026, 3, 2), D(2026, 3, 2), frozenset(), 0),
        (D(2026, 3, 9), D(2026, 3, 2), frozenset(), 0),  # backwards
        (D(2026, 4, 2), D(2026, 4, 7), HOLIDAYS, 1),  # Thursday -> Tuesday over Easter
        (D(2026, 4, 2), D(2026, 4, 7), frozenset(), 3),
        (D(2026, 4, 2), D(2026, 4, 14), HOLIDAYS, 6),
        (D(2026, 4, 2), D(2026, 4, 13), HOLIDAYS, 5),
        (D(2026, 1, 1), D(2026, 12, 31), frozenset({D(2026, 12, 25), D(2026, 12, 26)}), 259),
    ],
)
def test_working_days_between(
    start: dt.date, end: dt.date, holidays: frozenset[dt.date], expected: int
) -> None:
    assert working_days_between(start, end, holidays) == expected
    brute = sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=n), holidays)
    )
    assert brute == expected


def test_add_working_days_skips_weekend_and_holidays() -> None:
    assert add_working_days(D(2026, 4, 2), 0, HOLIDAYS) == D(2026, 4, 2)
    assert add_working_days(D(2026, 4, 2), 1, HOLIDAYS) == D(2026, 4, 7)
    assert add_working_days(D(2026, 4, 2), 5, HOLIDAYS) == D(2026, 4, 13)
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(D(2026, 3, 6), -1)


# -- the bot, with a clock the test moves ----------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 4, 2, 10, 0, tzinfo=dt.UTC))  # Thursday before Easter


@pytest.fixture
def easter_settings(api: LocalBotAPI, tmp_path: Path) -> Settings:
    return make_settings(
        api,
        tmp_path,
        BANK_HOLIDAYS="2026-04-03,2026-04-06",
        REMINDER_WORKING_DAYS="5",
        CHAIR_USER_IDS=f"{CHAIR},2002",
    )


@pytest.fixture
async def clocked(easter_settings: Settings, clock: Clock) -> AsyncIterator[Running]:
    bot = Running(easter_settings, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()


def _reminders(api: LocalBotAPI, chat_id: int) -> list[str]:
    return [text for text in api.bot_texts(chat_id) if text.startswith("Reminder")]


async def test_overdue_referral_reminded_across_easter(
    api: LocalBotAPI, clocked: Running, easter_settings: Settings, clock: Clock
) -> None:
    api.add_user(2002, "Second chair")
    app = clocked.app
    assert app is not None
    overdue = file(easter_settings.db_path, SEVERE, clock())
    decided = file(easter_settings.db_path, LOW, clock())
    decide(easter_settings.db_path, decided.ref, clock())

    for day in (3, 4, 5, 6, 7, 8, 9, 10):  # Good Friday .. Friday: at most 4 working days
        clock.set(2026, 4, day, 10)
        assert await reminders.run_now(app) == []
    clock.set(2026, 4, 11, 10)  # Saturday: nobody is reminded at weekends
    assert await reminders.run_now(app) == []
    clock.set(2026, 4, 13, 10)  # Monday: 5 working days, not yet more than 5
    assert await reminders.run_now(app) == []

    clock.set(2026, 4, 14, 10)  # Tuesday: 6 working days
    queued = await reminders.run_now(app)
    assert [(r.ref, r.kind) for r in queued] == [(overdue.ref, "chair_overdue")]
    assert set(queued[0].chats) == {CHAIR, 2002, BOARD}
    for chat in (CHAIR, 2002, BOARD):
        message = await api.wait_for_message(chat, "Reminder", since=0)
        assert overdue.ref in message.reads
        assert "6 working days" in message.reads
        assert "filed 02 Apr 2026" in message.reads

    clock.set(2026, 4, 14, 16)  # later the same day: not again
    assert await reminders.run_now(app) == []
    clock.set(2026, 4, 15, 10)  # the next working day: again
    assert [r.ref for r in await reminders.run_now(app)] == [overdue.ref]
    await api.wait_for(lambda: len(_reminders(api, BOARD)) == 2, what="the second reminder")
    assert "7 working days" in _reminders(api, BOARD)[-1]
    assert len(_reminders(api, CHAIR)) == 2
    assert all(decided.ref not in text for text in _reminders(api, BOARD))


async def test_reminder_job_waits_for_the_reminder_hour(
    api: LocalBotAPI, clocked: Running, easter_settings: Settings, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    overdue = file(easter_settings.db_path, SEVERE, clock())
    clock.set(2026, 4, 14, 6)  # 07:00 in London: before the reminder hour
    context = app.context_types.context(app)
    await reminders.remind(context)
    db = open_db(easter_settings.db_path)
    try:
        assert not sent.reminder_sent(db, overdue.ref, "chair_overdue", dt.date(2026, 4, 14))
    finally:
        db.conn.close()
    clock.set(2026, 4, 14, 9)  # 10:00 in London (BST)
    await reminders.remind(context)
    message = await api.wait_for_message(BOARD, "Reminder", since=0)
    assert overdue.ref in message.reads and "6 working days" in message.reads
    assert app.job_queue is not None
    names = {job.name for job in app.job_queue.jobs()}
    assert {"reminders", "reminders-catch-up"} <= names


async def test_plan_deadlines_reminded_to_the_group(
    api: LocalBotAPI, clocked: Running, easter_settings: Settings, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    path = easter_settings.db_path
    referral = file(path, SEVERE, clock())
    decide(path, referral.ref, clock())
    db = open_db(path)
    answers = {
        "iar_due": "2026-04-20",
        "report_due": "2026-05-29",
        "publication_date": "2026-07-01",
    }
    plans.save_plan(db, referral.ref, "done", answers, OFFICER, clock())
    referrals.set_status(db, referral.ref, "review_planned", OFFICER, "plan complete", clock())

    clock.set(2026, 4, 20, 10)  # the due day itself has not passed
    assert await reminders.run_now(app) == []
    clock.set(2026, 4, 21, 10)
    queued = await reminders.run_now(app)
    assert [(r.kind, r.chats) for r in queued] == [("deadline_iar_due", (BOARD,))]
    message = await api.wait_for_message(BOARD, "Deadline passed", since=0)
    text = message.reads
    assert referral.ref in text and "individual agency reviews were due on 20 Apr 2026" in text
    assert "1 day ago" in text and "still at review planned" in text
    assert _reminders(api, CHAIR) == []  # deadlines go to the group only

    referrals.set_status(db, referral.ref, "in_review", OFFICER, "", clock())
    clock.set(2026, 4, 22, 10)
    assert await reminders.run_now(app) == []  # the agency reviews stage is behind it
    clock.set(2026, 6, 1, 10)  # report overdue (publication not yet)
    assert [r.kind for r in await reminders.run_now(app)] == ["deadline_report_due"]
    referrals.set_status(db, referral.ref, "report_received", OFFICER, "", clock())
    clock.set(2026, 7, 2, 10)
    assert [r.kind for r in await reminders.run_now(app)] == ["deadline_publication_date"]
    referrals.set_status(db, referral.ref, "published", OFFICER, "", clock())
    clock.set(2026, 7, 3, 10)
    assert await reminders.run_now(app) == []
    db.conn.close()

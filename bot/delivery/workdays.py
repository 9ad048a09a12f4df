"""Working days: weekends and the board's bank holidays skipped (pure functions, no I/O).

A referral "awaiting the chair longer than N working days" is one for which more than N working
days have passed since the day it was filed: `working_days_between(filed, today) > N`, where the
days counted are those after `filed` up to and including `today`. Filed on a Friday, the next
Monday is one working day later; a bank holiday Monday does not count.

A statutory clock (SPEC §3, Profiles) is due `days` working (or calendar) days after the day of
its event, that day being day 0: `start_clocks` reckons the clocks an event starts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Collection, Iterable

from matrix import ClockRule
from storage.referral_record import Clock

SATURDAY = 5  # date.weekday(): Monday is 0, Saturday 5, Sunday 6

try:
    BOARD_TZ: dt.tzinfo = zoneinfo.ZoneInfo("Europe/London")
except zoneinfo.ZoneInfoNotFoundError:  # no time zone data: the board's day is UTC's
    BOARD_TZ = dt.UTC


def board_day(moment: dt.datetime) -> dt.date:
    """The board's date (Europe/London) at `moment`."""
    return moment.astimezone(BOARD_TZ).date()


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """Whether `day` is a weekday and not one of `holidays`."""
    return day.weekday() < SATURDAY and day not in holidays


def working_days_between(start: dt.date, end: dt.date, holidays: Collection[dt.date] = ()) -> int:
    """How many working days lie after `start`, up to and including `end` (0 if `end <= start`)."""
    if end <= start:
        return 0
    total = (end - start).days
    full_weeks, rest = divmod(total, 7)
    count = full_weeks * 5
    day = start + dt.timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() < SATURDAY:
            count += 1
    count -= sum(1 for h in holidays if start < h <= end and h.weekday() < SATURDAY)
    return count


def add_working_days(start: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The date `days` working days after `start` (`start` itself when `days` is 0)."""
    return _step_working_days(start, days, 1, holidays)


def working_days_before(end: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The working day `days` working days before `end` (`end` itself when `days` is 0)."""
    return _step_working_days(end, days, -1, holidays)


def _step_working_days(
    day: dt.date, days: int, direction: int, holidays: Collection[dt.date]
) -> dt.date:
    """The date `days` working days from `day`, forward (1) or back (-1)."""
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    left = days
    while left:
        day += dt.timedelta(days=direction)
        if is_working_day(day, holidays):
            left -= 1
    return day


def due_date(start: dt.date, days: int, unit: str, holidays: Collection[dt.date] = ()) -> dt.date:
    """The day a clock of `days` (`working` or `calendar`) started on `start` falls due."""
    if unit == "calendar":
        return start + dt.timedelta(days=days)
    return add_working_days(start, days, holidays)


def start_clocks(
    rules: Iterable[ClockRule],
    event: str,
    day: dt.date,
    flags: dict[str, bool],
    holidays: Collection[dt.date] = (),
) -> list[Clock]:
    """The clocks that `event` (`filed`, or the name of a clock just closed) starts on `day`
    for a referral with `flags`, with their due dates."""
    return [
        Clock(rule.name, rule.label, day, due_date(day, rule.days, rule.unit, holidays))
        for rule in rules
        if rule.start == event and flags.get(rule.flag)
    ]

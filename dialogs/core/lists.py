"""A list question's entries (kind `list`): one message an entry, ended by the list's `Done`.

`take_entry` reads one typed entry of a list: for a dated list, its leading YYYY-MM-DD is read
from the cleaned text before any intake (so the redaction of dates of birth never meets it) and
checked (inside the session's period under review, `context["period"]`, or after its today,
`context["today"]`); the text after it, or the whole entry of an undated list, goes through the
one intake. A refusal is raised through the session's `refuse` (its refusal template's code).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from dialogs import intake
from dialogs.core.answers import ENTRY_FORM, entry_text, parse_entry, parse_period
from dialogs.core.prompts import AnswerRefused
from dialogs.core.table import Question

Refuse = Callable[..., AnswerRefused]  # the session's refusal: its code, then the details


def take_entry(
    question: Question, typed: str, context: Mapping[str, Any], refuse: Refuse
) -> tuple[str, tuple[str, ...]]:
    """One entry of `question` as stored ("YYYY-MM-DD text" when dated) and the kinds of
    identifier the intake removed; raises the refusal when it does not fit."""
    text, day = typed, None
    if question.dated:
        parsed = parse_entry(typed)
        if parsed is None:
            raise refuse("bad_entry", form=ENTRY_FORM, dated=question.dated)
        day, text = parsed
        _check_date(question, day, context, refuse)
    try:
        accepted = intake.accept(text, limit=question.limit, multiline=True)
    except intake.Refused as exc:
        if exc.reason == "empty":
            raise refuse("empty", skippable=False) from None
        raise refuse("too_long", limit=exc.limit, length=exc.length) from None
    entry = accepted.text if day is None else entry_text(day, accepted.text)
    return entry, accepted.removed


def _check_date(
    question: Question, day: dt.date, context: Mapping[str, Any], refuse: Refuse
) -> None:
    """Refuse an entry's date outside what its list takes."""
    if question.dated == "in_period":
        period = context.get("period")
        dates = parse_period(period) if isinstance(period, str) else None
        if dates is not None and not dates[0] <= day <= dates[1]:
            raise refuse("entry_outside", date=day.isoformat(), period=period)
    today = context.get("today")
    if question.dated == "future" and isinstance(today, dt.date) and day <= today:
        raise refuse("entry_not_future", date=day.isoformat(), today=today.isoformat())

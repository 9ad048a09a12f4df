"""What every message about a referral is rendered from: the referral's context (its grade's
row of its own profile's matrix, its flags and route in words, the could_be lines still above
its grade, its statutory clocks), moments in words, the board's today, and `Rendered`, a message
ready to send.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup

from matrix import CouldBe, Matrix, rank
from services.grading import matrix_for
from storage.referrals import Referral
from templates import labels


@dataclass(frozen=True)
class Rendered:
    """A message ready to send."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    before: tuple[str, ...] = ()  # earlier parts, sent first (a long learning brief)
    document: tuple[str, str] | None = None  # (file name, HTML) sent after the text
    caption: str = ""  # the document's caption (a learning brief's when empty)


def when(moment: dt.datetime | None) -> str:
    """A moment as people read it in a message (UTC)."""
    return moment.strftime("%d %b %Y %H:%M UTC") if moment else labels.phrase("unknown_time")


def clock_lines(
    referral: Referral, matrix: Matrix, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The referral's statutory clocks for `bot/_clocks.j2`: each of its profile's clocks that
    its flags call for, started (due date; overdue on `today`, when known; or closed) or waiting
    for the event that starts it."""
    lines: list[dict[str, Any]] = []
    rules = {rule.name: rule for rule in matrix.clocks}
    for rule in matrix.clocks_for(referral.flags):
        clock = referral.clock(rule.name)
        after = rules[rule.start].label if rule.start in rules else ""
        lines.append(
            {
                "name": rule.name,
                "label": rule.label,
                "days": rule.days,
                "unit": rule.unit,
                "after": after,
                "started": clock is not None,
                "due": clock.due_on if clock else None,
                "closed": clock.closed_at.date() if clock and clock.closed_at else None,
                "outcome": labels.clock_outcome(clock.outcome) if clock and clock.outcome else None,
                "overdue": bool(clock and today and clock.overdue_on(today)),
                "due_today": bool(clock and clock.is_open and today == clock.due_on),
            }
        )
    lines.sort(key=lambda line: not line["overdue"])  # overdue first (stable otherwise)
    return lines


def referral_context(
    referral: Referral, matrix: Matrix, today: dt.date | None = None
) -> dict[str, Any]:
    """What every referral template needs: the row, its grade's matrix row, flags in words, the
    route (a flag's `route_first` first), the framework's terms and the statutory clocks (marked
    overdue on `today`, when given). `matrix` is the configured one: the words are those of the
    referral's own profile (`services.grading.matrix_for`)."""
    m = matrix_for(referral, matrix)
    flags = [rule.description for name, rule in m.flags.items() if referral.flags.get(name)]
    matched = [{"label": m.label(str(x["grade"])), "text": x["text"]} for x in referral.matched]
    return {
        "referral": referral,
        "info": m.info(referral.grade),
        "review_types": m.review_types(referral.grade, referral.flags),
        "terms": m.terms,
        "decider": labels.phrase("decider", referral.profile),
        "flags": flags,
        "matched": matched,
        "could_be": could_be_lines(referral, m),
        "clocks": clock_lines(referral, m, today),
    }


def could_be_lines(referral: Referral, matrix: Matrix) -> list[str]:
    """The stored result's could_be in the matrix's words, for grades still above the
    referral's current one (an escalation may have gone past some)."""
    lines = []
    for entry in referral.result.get("could_be", []):
        grade = str(entry.get("grade", ""))
        for fact, value in dict(entry.get("if", {})).items():
            if grade in matrix.grades and rank(grade) > rank(referral.grade):
                lines.append(matrix.could_be_text(CouldBe(grade, str(fact), str(value))))
    return lines

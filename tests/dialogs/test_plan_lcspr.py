"""An approved LCSPR's statutory plan dates (Working Together 2023): the report is due 6 months
after the decision (a month without the day takes its last day), shown as the report question's
default, and the report goes to the Panel 7 working days before publication."""

from __future__ import annotations

import datetime as dt

from bot.delivery.workdays import working_days_before
from dialogs.plan import PlanDialog, add_months, lcspr_defaults
from matrix import load_matrix
from templates import render


def test_six_months_after_the_decision() -> None:
    assert lcspr_defaults(dt.date(2026, 3, 2)) == {"report_due": "2026-09-02"}
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


def test_seven_working_days_before_publication_skip_weekends_and_holidays() -> None:
    assert working_days_before(dt.date(2026, 10, 1), 7) == dt.date(2026, 9, 22)
    easter = {dt.date(2026, 4, 3), dt.date(2026, 4, 6)}
    assert working_days_before(dt.date(2026, 4, 9), 7, easter) == dt.date(2026, 3, 27)
    assert working_days_before(dt.date(2026, 4, 9), 0) == dt.date(2026, 4, 9)


def test_the_default_is_shown_only_for_an_lcspr() -> None:
    dialog = PlanDialog(("Health",), load_matrix())
    with_default = dialog.start(
        "LIR-2026-0001", dt.date(2026, 3, 2), lcspr_defaults(dt.date(2026, 3, 2))
    )
    plain = dialog.start("LIR-2026-0002", dt.date(2026, 3, 2))
    shown = render("dialog/plan/report_due.j2", earlier={}, **with_default.context)
    assert "the report is due by <b>2026-09-02</b>" in shown
    assert "for example 2026-09-02" in shown
    assert "6 months" not in render("dialog/plan/report_due.j2", earlier={}, **plain.context)

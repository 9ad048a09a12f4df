"""The review plan of SPEC §5 (`/plan REF`): `PlanDialog` and its `PlanSession`s.

The questions are the table `dialogs.plan_questions.PLAN`, run by the questionnaire core
(`dialogs.core`): a reason follows `Other` and each `No` and, for not involving the family or
the front-line staff, comes back as the decision to record (`Step.decision`); a date must be
YYYY-MM-DD and not before the date it follows, and is otherwise refused and asked again; the
period under review must end by `today`. A date in the past is accepted (a plan may be recorded
after the meeting that made it; the deadline reminders then pick it up). What is the plan's own
is here: the referral it is for. A session is its referral, its state name and its answers,
which the caller stores and restores.

An approved LCSPR (Working Together 2023) has statutory dates: the report is due 6 months after
the partners' decision (`lcspr_defaults`), shown in its question as the default the officer may
type or change; the report goes to the Panel and the Secretary of State 7 working days before
publication (the caller reminds of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.core.dialog import Dialog
from dialogs.core.session import Session
from dialogs.plan_questions import PLAN
from matrix.model import Matrix
from templates import labels

# How far ahead the example date of each date question is: a usual timeline for a review.
EXAMPLE_WEEKS = {"iar_due": 8, "report_due": 20, "publication_date": 26}
LCSPR_MONTHS = 6  # an LCSPR is completed within 6 months of the decision (Working Together 2023)
PANEL_WORKING_DAYS = 7  # its report goes to the Panel and the Secretary of State this far ahead


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    year, month = divmod(day.month - 1 + months, 12)
    target = dt.date(day.year + year, month + 1, 1)
    following = dt.date(target.year + target.month // 12, target.month % 12 + 1, 1)
    return target.replace(day=min(day.day, (following - dt.timedelta(days=1)).day))


def lcspr_defaults(decided: dt.date) -> dict[str, str]:
    """The statutory default dates of an LCSPR's plan decided on `decided` (ISO dates)."""
    return {"report_due": add_months(decided, LCSPR_MONTHS).isoformat()}


class PlanDialog(Dialog):
    """The plan with the configured agencies (the individual agency reviews to choose from), in
    the words of the board's profile (`matrix`: its terms, such as the national panel, and who
    decides), which its questions read."""

    def __init__(self, agencies: Sequence[str], matrix: Matrix) -> None:
        super().__init__(PLAN, agencies)
        self.words: dict[str, str] = {
            **matrix.terms,
            "decider": labels.phrase("decider", matrix.profile),
        }

    def start(
        self,
        ref: str,
        today: dt.date | None = None,
        defaults: Mapping[str, str] | None = None,
    ) -> PlanSession:
        """A new plan for referral `ref`, at the first question (`today`: the board's date,
        for example dates and to ask before taking a due date already past; `defaults`: the
        statutory dates of an LCSPR, `lcspr_defaults`)."""
        return PlanSession(self, ref, PLAN.first, {}, today, defaults)

    def restore(
        self,
        ref: str,
        state: str,
        answers: Mapping[str, Any],
        today: dt.date | None = None,
        defaults: Mapping[str, str] | None = None,
    ) -> PlanSession:
        """The plan stored as (`state`, `answers`), carried on at a question added since it
        was stored (`Dialog.resume`); `DialogStateError` if they misfit."""
        at, checked = self.resume(state, answers)
        return PlanSession(self, ref, at, checked, today, defaults)


class PlanSession(Session):
    """The review plan of one referral, attached to the plan's machine as a model."""

    def __init__(
        self,
        dialog: PlanDialog,
        ref: str,
        state: str,
        answers: dict[str, Any],
        today: dt.date | None = None,
        defaults: Mapping[str, str] | None = None,
    ):
        context: dict[str, Any] = {
            "ref": ref,
            "defaults": dict(defaults or {}),
            "terms": dialog.words,
        }
        if today is not None:
            context["today"] = today
            context["examples"] = {
                question: (today + dt.timedelta(weeks=weeks)).isoformat()
                for question, weeks in EXAMPLE_WEEKS.items()
            }
            context["examples"].update(defaults or {})
        super().__init__(dialog, state, answers, context)
        self.ref = ref

    def __repr__(self) -> str:
        return f"<PlanSession {self.ref} at {self.state!r}, {len(self._answers)} answers>"

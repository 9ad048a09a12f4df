"""The individual agency review (SPEC §9): `AgencyReviewDialog` and its `AgencyReviewSession`s.

The questions are the table `dialogs.agency_review_questions.AGENCY_REVIEW`, run by the
questionnaire core (`dialogs.core`). What is the agency review's own is here: the review and
agency it is for, the plan's period under review (the chronology's dates must fall inside it)
and its key lines of enquiry (shown with the questions), and the board's today (action points
are dated after it). A session is its review and agency, its state name and its answers, which
the caller stores (`storage.agency_reviews.save_progress`) and restores; `entries(id)` reads a
list's entries back as (date, text) for submitting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.agency_review_questions import ACTION_POINTS, AGENCY_REVIEW, CHRONOLOGY
from dialogs.core.answers import parse_entry
from dialogs.core.dialog import Dialog
from dialogs.core.session import Session


class AgencyReviewDialog(Dialog):
    """The agency review (no agencies to choose from inside it: it is one agency's)."""

    def __init__(self) -> None:
        super().__init__(AGENCY_REVIEW)

    def start(
        self,
        ref: str,
        agency: str,
        period: str,
        enquiries: Sequence[str],
        today: dt.date,
    ) -> AgencyReviewSession:
        """A new agency review of `agency` for `ref`, at its first question."""
        return AgencyReviewSession(
            self, ref, agency, AGENCY_REVIEW.first, {}, period, enquiries, today
        )

    def restore(
        self,
        ref: str,
        agency: str,
        state: str,
        answers: Mapping[str, Any],
        period: str,
        enquiries: Sequence[str],
        today: dt.date,
    ) -> AgencyReviewSession:
        """The agency review stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        checked = self.validate(state, answers)
        return AgencyReviewSession(self, ref, agency, state, checked, period, enquiries, today)


class AgencyReviewSession(Session):
    """One agency's review of one case, attached to the agency review's machine as a model."""

    def __init__(
        self,
        dialog: AgencyReviewDialog,
        ref: str,
        agency: str,
        state: str,
        answers: dict[str, Any],
        period: str,
        enquiries: Sequence[str],
        today: dt.date,
    ) -> None:
        context = {
            "ref": ref,
            "agency": agency,
            "period": period,
            "enquiries": list(enquiries),
            "today": today,
        }
        super().__init__(dialog, state, answers, context)
        self.ref = ref
        self.agency = agency

    def __repr__(self) -> str:
        return f"<AgencyReviewSession {self.ref} {self.agency} at {self.state!r}>"

    def dated(self, question: str) -> list[tuple[dt.date, str]]:
        """The entries of a dated list (`chronology`, `action_points`) as (date, text)."""
        out: list[tuple[dt.date, str]] = []
        for entry in self.entries(question):
            parsed = parse_entry(entry)
            if parsed is not None:
                out.append(parsed)
        return out

    @property
    def chronology(self) -> list[tuple[dt.date, str]]:
        """The chronology's entries as (date, text), in the order given."""
        return self.dated(CHRONOLOGY)

    @property
    def action_points(self) -> list[tuple[dt.date, str]]:
        """The action points as (due date, text), in the order given."""
        return self.dated(ACTION_POINTS)

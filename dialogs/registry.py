"""Every questionnaire type a process runs, built once: `Dialogs`, held by the bot's services.

A questionnaire type (its table, the configured agencies, its one machine) is the same for
every session, so the bot builds each once at start-up and keeps them here, one typed field
each; a new questionnaire adds its field. Nothing else holds a dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dialogs.agency_review import AgencyReviewDialog
from dialogs.brief import BriefDialog
from dialogs.feedback import FeedbackDialog
from dialogs.plan import PlanDialog
from dialogs.practitioner import PractitionerDialog
from matrix.model import Matrix


@dataclass(frozen=True)
class Dialogs:
    """The questionnaire types: the practitioner's check, the review plan, the learning brief,
    the feedback after a learning event, the individual agency review."""

    check: PractitionerDialog
    plan: PlanDialog
    brief: BriefDialog
    feedback: FeedbackDialog
    agency_review: AgencyReviewDialog

    @classmethod
    def configured(
        cls, agencies: Sequence[str], matrix: Matrix, *, procedures: str = ""
    ) -> Dialogs:
        """Each questionnaire with the configured agencies (and, for the check, the matrix that
        grades it and the child protection procedures it names)."""
        return cls(
            check=PractitionerDialog(agencies, matrix, procedures=procedures),
            plan=PlanDialog(agencies, matrix),
            brief=BriefDialog(),
            feedback=FeedbackDialog(),
            agency_review=AgencyReviewDialog(),
        )

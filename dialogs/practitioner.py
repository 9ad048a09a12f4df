"""The practitioner's check of SPEC §2: `PractitionerDialog` and its `Conversation`s.

The questions are the table `dialogs.questions.CHECK`, run by the questionnaire core
(`dialogs.core`); what is the check's own is here: the configured matrix, the urgent path (an
answer that says a child is at immediate risk), the SPEC §3 facts the answers set, their grade,
and the summary shown before `confirm`. A conversation is its state name and its answers, so
the caller stores those two and restores them later, into this or any other process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from dialogs.core.dialog import Dialog
from dialogs.core.prompts import AnswerRefused, DialogStateError, Prompt, Step
from dialogs.core.session import Session
from dialogs.core.table import FactValue, Option, Question
from dialogs.questions import CHECK
from dialogs.summary import summary_context
from matrix.engine import grade
from matrix.model import Matrix, Result
from templates import render

__all__ = [
    "AnswerRefused",
    "CheckStep",
    "Conversation",
    "DialogStateError",
    "Option",
    "PractitionerDialog",
    "Prompt",
    "Step",
]


@dataclass(frozen=True)
class CheckStep(Step):
    """A `Step` of the check; `urgent_now` is true only on the answer that first made it urgent."""

    urgent_now: bool = False


class PractitionerDialog(Dialog):
    """The check with the configured agencies and the matrix that grades it."""

    def __init__(self, agencies: Sequence[str], matrix: Matrix, *, procedures: str = "") -> None:
        super().__init__(CHECK, agencies)
        self.matrix = matrix
        self.procedures = procedures  # the child protection procedures' name (a bot setting)

    def start(self) -> Conversation:
        """A new conversation at the first question."""
        return Conversation(self, CHECK.first, {})

    def restore(self, state: str, answers: Mapping[str, Any]) -> Conversation:
        """The conversation stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        return Conversation(self, state, self.validate(state, answers))


class Conversation(Session):
    """One practitioner's check, attached to the check's machine as a model."""

    def __init__(self, dialog: PractitionerDialog, state: str, answers: dict[str, Any]) -> None:
        super().__init__(dialog, state, answers)
        self._matrix = dialog.matrix
        self._procedures = dialog.procedures

    @property
    def urgent(self) -> bool:
        """Whether the practitioner said a child is at immediate risk."""
        return self._answers.get("immediate") == "yes"

    def facts(self) -> dict[str, FactValue | list[str]]:
        """The SPEC §3 facts set by the answers to questions that are asked."""
        facts: dict[str, FactValue | list[str]] = {}
        for question in CHECK.questions:
            answer = self._answers.get(question.id)
            if question.fact is None or answer is None or not question.applies(self._answers):
                continue
            if isinstance(answer, list):
                facts[question.fact] = [
                    str(o.fact) for o in question.options if o.value in answer and o.fact
                ]
            else:
                option = question.option(answer)
                if option is not None and option.fact is not None:
                    facts[question.fact] = option.fact
        return facts

    def result(self) -> Result:
        """The matrix grade of `facts()`."""
        return grade(self.facts(), self._matrix)

    def summary(self) -> str:
        """The summary shown before `confirm` (HTML)."""
        context = summary_context(self._answers, self.result(), self._matrix)
        return render(
            "dialog/summary.j2", urgent=self.urgent, procedures=self._procedures, **context
        )

    def answer(self, value: str, question: str | None = None) -> CheckStep:
        """Answer as the core does (`Session.answer`), saying whether it made the check urgent."""
        was_urgent = self.urgent
        step = super().answer(value, question)
        return CheckStep(**vars(step), urgent_now=self.urgent and not was_urgent)

    def _template_context(self, question: Question) -> dict[str, Any]:
        if question is CHECK.review:
            return {"summary": Markup(self.summary())}
        return {}

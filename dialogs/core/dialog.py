"""A questionnaire type as configured: its table, the agencies, its machine, and restoring.

`Dialog` is what one process keeps for a questionnaire type: the table, the configured agencies
(the buttons of an `agencies` toggle), the one machine sessions attach to, each question's
buttons, `validate`, which checks a stored (state, answers) before it is restored, and
`resume`, which also carries a session stored before questions were added to its table on at
the first of them it lacks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs.core.answers import fits
from dialogs.core.machine import QuestionnaireMachine, machine_for
from dialogs.core.prompts import DialogStateError
from dialogs.core.table import DONE, Answer, Option, Question, Questionnaire


class Dialog:
    """One questionnaire type with the configured agencies, and its one machine."""

    def __init__(self, questionnaire: Questionnaire, agencies: Sequence[str] = ()) -> None:
        names = tuple(agencies)
        needed = any(q.agencies for q in questionnaire.questions)
        if len(set(names)) != len(names) or (needed and not names):
            raise ValueError("agencies must name at least one agency, each once")
        self.questionnaire = questionnaire
        self.agencies = names
        self.machine: QuestionnaireMachine = machine_for(questionnaire)
        listed = (*(Option(name, str(i)) for i, name in enumerate(names)), DONE)
        self._buttons = {q.id: listed if q.agencies else q.buttons for q in questionnaire.questions}

    @property
    def states(self) -> tuple[str, ...]:
        """Every state a session can be in."""
        return tuple(self.machine.states)

    def options(self, question: Question) -> tuple[Option, ...]:
        """The buttons of `question` (for an agencies toggle: one per configured agency)."""
        return self._buttons[question.id]

    def validate(self, state: str, answers: Mapping[str, Any]) -> dict[str, Answer]:
        """The answers of a session stored at `state`, checked; `DialogStateError` if they
        name an unknown question, do not fit it, skip a question asked before `state`, or if
        the question at `state` is not asked with them."""
        table = self.questionnaire
        if state not in self.machine.states:
            raise DialogStateError(f"{table.name}: unknown state {state!r}")
        checked: dict[str, Answer] = {}
        for key, value in answers.items():
            question = table.by_id.get(key)
            if question is None or not question.recorded:
                raise DialogStateError(f"{table.name}: unknown question {key!r} in answers")
            if not fits(question, value, self.agencies):
                raise DialogStateError(f"answer to {key!r} does not fit the question")
            checked[key] = list(value) if isinstance(value, list) else value
        if state in table.by_id and not table.by_id[state].applies(checked):
            raise DialogStateError(f"question {state!r} is not asked with these answers")
        for question in table.questions[: table.position(state)]:
            if question.id in table.added:
                continue  # stored before it was asked: `resume` asks it
            if question.recorded and question.applies(checked) and question.id not in checked:
                raise DialogStateError(f"state {state!r} but {question.id!r} is not answered")
        return checked

    def resume(self, state: str, answers: Mapping[str, Any]) -> tuple[str, dict[str, Answer]]:
        """The (state, answers) to restore a stored session at: `validate`d, at the first
        question added to the table since (`Questionnaire.added`) that the session passed
        without answering, if any (its later answers kept, so only what is missing is asked
        before it is where it was); else where it was stored."""
        checked = self.validate(state, answers)
        table = self.questionnaire
        for question in table.questions[: table.position(state)]:
            missing = question.id in table.added and question.id not in checked
            if missing and question.applies(checked):
                return question.id, checked
        return state, checked

"""The practitioner's conversation of SPEC §2: `PractitionerDialog` and its `Conversation`s.

`PractitionerDialog` holds the configured agencies, the matrix and the one machine of this
dialog type (`dialogs.machine.practitioner_machine`); each `Conversation` is a model attached to
that machine. A conversation is nothing but its state name and its answers (question id ->
option value, list of values or agency names, or redacted text), so the caller stores those two
and restores them later, into this or any other process.

After an answer the machine's `next` trigger moves to the next question that is asked (its
"asked when" conditions hold) and still needs an answer, else to `confirm`; answers to questions
no longer asked are dropped first, so changing a branch point asks what the new branch needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from dialogs import intake
from dialogs.machine import CHANGE_PREFIX, practitioner_machine
from dialogs.prompts import AnswerRefused, DialogStateError, Prompt, Step, refuse
from dialogs.questions import (
    BACK_TO_SUMMARY,
    BY_ID,
    CHANGE_STATE,
    DONE,
    ORDER,
    QUESTIONS,
    SKIP,
    UNCHANGEABLE,
    Answer,
    FactValue,
    Option,
    Question,
    agency_options,
    applicable,
)
from dialogs.summary import summary_context
from matrix.engine import grade
from matrix.model import Matrix, Result
from templates import render

__all__ = [
    "AnswerRefused",
    "Conversation",
    "DialogStateError",
    "Option",
    "PractitionerDialog",
    "Prompt",
    "Step",
]


class PractitionerDialog:
    """The practitioner dialog type: configured agencies, the matrix and the one machine."""

    def __init__(self, agencies: Sequence[str], matrix: Matrix | None = None) -> None:
        names = tuple(agencies)
        if not names or len(set(names)) != len(names):
            raise ValueError("agencies must name at least one agency, each once")
        self.agencies = names
        self.matrix = matrix
        self.machine = practitioner_machine()
        self.agency_options = agency_options(names)

    @property
    def states(self) -> tuple[str, ...]:
        """Every state a conversation can be in."""
        return tuple(self.machine.states)

    def start(self) -> Conversation:
        """A new conversation at the first question."""
        return Conversation(self, QUESTIONS[0].id, {})

    def restore(self, state: str, answers: Mapping[str, Any]) -> Conversation:
        """The conversation stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        if state not in self.machine.states:
            raise DialogStateError(f"unknown state {state!r}")
        checked = self._checked_answers(answers)
        position = ORDER.get(state, len(QUESTIONS) - 1)
        if state in BY_ID and not applicable(BY_ID[state], checked):
            raise DialogStateError(f"question {state!r} is not asked with these answers")
        for question in QUESTIONS[:position]:
            if question.recorded and applicable(question, checked) and question.id not in checked:
                raise DialogStateError(f"state {state!r} but {question.id!r} is not answered")
        return Conversation(self, state, checked)

    def _checked_answers(self, answers: Mapping[str, Any]) -> dict[str, Answer]:
        checked: dict[str, Answer] = {}
        for key, value in answers.items():
            question = BY_ID.get(key)
            if question is None or not question.recorded:
                raise DialogStateError(f"unknown question {key!r} in answers")
            if not self._fits(question, value):
                raise DialogStateError(f"answer to {key!r} does not fit the question")
            checked[key] = list(value) if isinstance(value, list) else value
        return checked

    def _fits(self, question: Question, value: object) -> bool:
        if question.kind == "text":
            return isinstance(value, str) and len(value) <= 2 * question.limit
        if question.kind == "choice":
            return isinstance(value, str) and question.option(value) is not None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return False
        allowed = self.agencies if question.id == "agencies" else self.toggle_values(question)
        return len(set(value)) == len(value) and set(value) <= set(allowed)

    @staticmethod
    def toggle_values(question: Question) -> tuple[str, ...]:
        """The values a toggle question stores (its options except `Done`)."""
        return tuple(o.value for o in question.options if o != DONE)


class Conversation:
    """One practitioner's check, attached to the dialog's machine as a model."""

    state: str  # set by the machine

    def __init__(self, dialog: PractitionerDialog, state: str, answers: dict[str, Answer]) -> None:
        self._dialog = dialog
        self._answers = answers
        dialog.machine.add_model(self, initial=state)

    def __repr__(self) -> str:
        return f"<Conversation at {self.state!r}, {len(self._answers)} answers>"

    # -- what the caller stores and reads ------------------------------------------------
    @property
    def answers(self) -> dict[str, Answer]:
        """A copy of the answers (JSON-serialisable): store this with `state`."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._answers.items()}

    @property
    def urgent(self) -> bool:
        """Whether the practitioner said a child is at immediate risk."""
        return self._answers.get("immediate") == "yes"

    def facts(self) -> dict[str, FactValue | list[str]]:
        """The SPEC §3 facts set by the answers to questions that are asked."""
        facts: dict[str, FactValue | list[str]] = {}
        for question in QUESTIONS:
            answer = self._answers.get(question.id)
            if question.fact is None or answer is None or not applicable(question, self._answers):
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
        return grade(self.facts(), self._dialog.matrix)

    def summary(self) -> str:
        """The summary shown before `confirm` (HTML)."""
        context = summary_context(self._answers, self.result(), self._dialog.matrix)
        return render("dialog/summary.j2", urgent=self.urgent, **context)

    # -- the prompt ------------------------------------------------------------------------
    def current_prompt(self) -> Prompt:
        """The question to show now, with its buttons and the values already selected."""
        if self.state == CHANGE_STATE:
            return Prompt(
                CHANGE_STATE, render("dialog/change.j2"), "choice", self._change_options()
            )
        question = BY_ID[self.state]
        options = self._options(question)
        selected = self._selected(question, options)
        labels = [o.label for o in options if o.value in selected]
        if question.id == "confirm":
            text = render(question.template, summary=Markup(self.summary()))
        else:
            text = render(question.template, selected=labels)
        return Prompt(question.id, text, question.kind, options, selected)

    def _options(self, question: Question) -> tuple[Option, ...]:
        return self._dialog.agency_options if question.id == "agencies" else question.options

    def _selected(self, question: Question, options: tuple[Option, ...]) -> tuple[str, ...]:
        answer = self._answers.get(question.id)
        if answer is None or question.kind == "text":
            return ()
        if isinstance(answer, str):
            return (answer,)
        if question.id == "agencies":
            return tuple(o.value for o in options if o.label in answer)
        return tuple(o.value for o in options if o.value in answer)

    def _change_options(self) -> tuple[Option, ...]:
        answered = (
            Option(q.short, q.id)
            for q in QUESTIONS
            if q.id in self._answers and q.id not in UNCHANGEABLE and applicable(q, self._answers)
        )
        return (*answered, BACK_TO_SUMMARY)

    # -- answering ---------------------------------------------------------------------------
    def answer(self, value: str, question: str | None = None) -> Step:
        """Answer the current question with an option value (or free text where asked).

        `question`, when given, is the question the button belonged to: a press on an older
        question's button is refused. Raises `AnswerRefused` and changes nothing when the
        answer does not fit the current question.
        """
        if question is not None and question != self.state:
            raise refuse("stale")
        if self.state == CHANGE_STATE:
            return self._choose_change(value)
        current = BY_ID[self.state]
        if current.kind == "text":
            return self._answer_text(current, value)
        if current.kind == "toggle":
            return self._answer_toggle(current, value)
        option = current.option(value)
        if option is None:
            raise refuse("not_an_option")
        if option.outcome is not None:
            return Step(self.current_prompt(), finished=option.outcome)
        if option.trigger is not None:
            self._fire(option.trigger)
            return Step(self.current_prompt())
        was_urgent = self.urgent
        self._answers[current.id] = option.value
        self._move_on()
        return Step(self.current_prompt(), urgent_now=self.urgent and not was_urgent)

    def answer_label(self, label: str) -> Step:
        """Answer by the button's label (tests, the demo); free text where text is asked."""
        for option in self.current_prompt().options:
            if option.label == label:
                return self.answer(option.value)
        if self.state in BY_ID and BY_ID[self.state].kind == "text":
            return self.answer(label)
        raise refuse("not_an_option")

    def back(self) -> Prompt:
        """Go to the previous question that was asked; refused at the first question."""
        if not self._dialog.machine.events["back"].transitions.get(self.state):
            raise refuse("first_question")
        self._fire("back")
        return self.current_prompt()

    def _answer_toggle(self, question: Question, value: str) -> Step:
        options = self._options(question)
        chosen: list[str] = list(self._answers.get(question.id, []))
        if value == DONE.value:
            if question.id == "agencies" and not chosen:
                raise refuse("need_agency")
            self._answers[question.id] = chosen
            self._move_on()
            return Step(self.current_prompt())
        option = next((o for o in options if o.value == value and o != DONE), None)
        if option is None:
            raise refuse("not_an_option")
        by_label = question.id == "agencies"  # agencies are kept by name, others by value
        items = [(o.label if by_label else o.value) for o in options if o != DONE]
        item = option.label if by_label else option.value
        chosen = [c for c in chosen if c != item] if item in chosen else [*chosen, item]
        ordered = [i for i in items if i in chosen]
        if ordered:
            self._answers[question.id] = ordered
        else:
            self._answers.pop(question.id, None)
        return Step(self.current_prompt())

    def _answer_text(self, question: Question, value: str) -> Step:
        if question.option(value) == SKIP or (SKIP in question.options and _is_skip(value)):
            self._answers[question.id] = ""
            self._move_on()
            return Step(self.current_prompt())
        try:
            accepted = intake.accept(
                value, limit=question.limit, multiline=question.id == "describe"
            )
        except intake.Refused as exc:
            if exc.reason == "empty":
                raise refuse("empty", skippable=SKIP in question.options) from None
            raise refuse("too_long", limit=exc.limit, length=exc.length) from None
        self._answers[question.id] = accepted.text
        self._move_on()
        return Step(self.current_prompt(), redacted=accepted.removed)

    def _choose_change(self, value: str) -> Step:
        if value not in {o.value for o in self._change_options()}:
            raise refuse("not_an_option")
        trigger = BACK_TO_SUMMARY.trigger if value == BACK_TO_SUMMARY.value else None
        self._fire(trigger or CHANGE_PREFIX + value)
        return Step(self.current_prompt())

    # -- moving ------------------------------------------------------------------------------
    def _fire(self, trigger: str) -> None:
        if not self._dialog.machine.events[trigger].trigger(self):
            raise DialogStateError(f"no {trigger!r} transition from {self.state!r}")

    def _move_on(self) -> None:
        """Drop answers no longer asked for, then go to the next question needing an answer."""
        for question in QUESTIONS:
            if question.id in self._answers and not applicable(question, self._answers):
                del self._answers[question.id]
        self._fire("next")
        while self.state != "confirm" and self.state in self._answers:
            self._fire("next")


def _is_skip(value: str) -> bool:
    return intake.clean(value, multiline=False).casefold() == SKIP.value

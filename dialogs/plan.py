"""The review plan of SPEC §5 (`/plan REF`): `PlanDialog` and its `PlanSession`s.

`PlanDialog` holds the configured agencies and the one `transitions` machine of this dialog
type, built from the question table in `dialogs.plan_questions`; each `PlanSession` is a model
attached to it. A session is its referral, its state name and its answers (question id -> option
value, list of agency names, redacted text, or a date as YYYY-MM-DD), so the caller stores those
and restores them later with `restore` (the machine's `initial=`).

Answers are checked against the current question: a stale button, a value that is not an option,
empty or over-long text, a date that is not YYYY-MM-DD or comes before the date it follows, are
refused with a reason and change nothing. A date in the past is accepted (a plan may be recorded
after the meeting that made it; the deadline reminders then pick it up). A reason for not
involving the family or the front-line staff comes back as the decision to record.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dialogs import intake
from dialogs.machine import Guard, WeakModelMachine
from dialogs.plan_questions import (
    BY_ID,
    DATE_ORDER,
    DONE,
    DONE_STATE,
    PLAN_QUESTIONS,
    PlanKind,
    PlanQuestion,
    agency_options,
)
from dialogs.prompts import AnswerRefused, DialogStateError
from dialogs.questions import Answer, Option
from templates import render

__all__ = [
    "AnswerRefused",
    "DialogStateError",
    "PlanDialog",
    "PlanPrompt",
    "PlanSession",
    "PlanStep",
    "answer_label",
    "summary_lines",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PlanPrompt:
    """What to show now: the question id, its text (HTML), kind, buttons and those selected.

    A complete plan's prompt has id and kind `done` and no options.
    """

    id: str
    text: str
    kind: PlanKind | Literal["done"]
    options: tuple[Option, ...]
    selected: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanStep:
    """The outcome of one accepted answer: what to show next and what to record.

    `question` is the question answered, `label` the answer as people read it, `moved` whether
    the plan went on to another question (False for a toggle), `decision` the decision to log
    ("family not involved: <reason>") or "", `redacted` the kinds of identifier removed.
    """

    prompt: PlanPrompt
    question: str
    label: str
    moved: bool
    decision: str = ""
    redacted: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether this answer completed the plan."""
        return self.prompt.id == DONE_STATE


def _refuse(code: str, **context: Any) -> AnswerRefused:
    return AnswerRefused(render("dialog/plan/refused.j2", code=code, **context), code)


def transitions_for(questions: Sequence[PlanQuestion]) -> list[dict[str, Any]]:
    """`next` from each question to the later ones, each guarded by its "asked when"; the first
    whose guards hold wins, so each list stops at the first unguarded destination (or `done`)."""
    edges: list[dict[str, Any]] = []
    for i, question in enumerate(questions):
        for dest in questions[i + 1 :]:
            guards = [Guard(c) for c in dest.when]
            edges.append(
                {"trigger": "next", "source": question.id, "dest": dest.id, "conditions": guards}
            )
            if not guards:
                break
        else:
            edges.append({"trigger": "next", "source": question.id, "dest": DONE_STATE})
    return edges


@functools.cache
def plan_machine() -> WeakModelMachine:
    """The one machine of the plan dialog; sessions attach to it as models."""
    return WeakModelMachine(
        model=None,
        states=[q.id for q in PLAN_QUESTIONS] + [DONE_STATE],
        transitions=transitions_for(PLAN_QUESTIONS),
        initial=PLAN_QUESTIONS[0].id,
        send_event=True,
        auto_transitions=False,
        name="plan",
    )


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or None for anything else."""
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def answer_label(question_id: str, answer: Answer) -> str:
    """An answer as people read it: the option's label, the agencies, the text or the date."""
    question = BY_ID[question_id]
    if isinstance(answer, list):
        return ", ".join(answer) if answer else "none"
    option = question.option(answer)
    return option.label if option is not None else answer


def summary_lines(answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
    """(short name, answer label) for each answered question, in the order asked."""
    return [
        (q.short, answer_label(q.id, answers[q.id]))
        for q in PLAN_QUESTIONS
        if q.id in answers and q.applies(answers)
    ]


class PlanDialog:
    """The plan dialog type: the configured agencies and the one machine."""

    def __init__(self, agencies: Sequence[str]) -> None:
        names = tuple(agencies)
        if not names or len(set(names)) != len(names):
            raise ValueError("agencies must name at least one agency, each once")
        self.agencies = names
        self.agency_options = agency_options(names)
        self.machine = plan_machine()

    def start(self, ref: str) -> PlanSession:
        """A new plan for referral `ref`, at the first question."""
        return PlanSession(self, ref, PLAN_QUESTIONS[0].id, {})

    def restore(self, ref: str, state: str, answers: Mapping[str, Any]) -> PlanSession:
        """The plan stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        if state not in self.machine.states:
            raise DialogStateError(f"unknown plan state {state!r}")
        checked: dict[str, Answer] = {}
        for key, value in answers.items():
            question = BY_ID.get(key)
            if question is None:
                raise DialogStateError(f"unknown plan question {key!r} in answers")
            if not self._fits(question, value):
                raise DialogStateError(f"answer to {key!r} does not fit the question")
            checked[key] = list(value) if isinstance(value, list) else value
        position = len(PLAN_QUESTIONS) if state == DONE_STATE else _position(state)
        if state in BY_ID and not BY_ID[state].applies(checked):
            raise DialogStateError(f"plan question {state!r} is not asked with these answers")
        for question in PLAN_QUESTIONS[:position]:
            if question.applies(checked) and question.id not in checked:
                raise DialogStateError(f"plan at {state!r} but {question.id!r} is not answered")
        return PlanSession(self, ref, state, checked)

    def _fits(self, question: PlanQuestion, value: object) -> bool:
        if question.kind == "text":
            return isinstance(value, str) and 0 < len(value) <= 2 * question.limit
        if question.kind == "date":
            return isinstance(value, str) and parse_date(value) is not None
        if question.kind == "choice":
            return isinstance(value, str) and question.option(value) is not None
        return (
            isinstance(value, list)
            and all(isinstance(v, str) for v in value)
            and len(set(value)) == len(value)
            and set(value) <= set(self.agencies)
        )


def _position(state: str) -> int:
    return next(i for i, q in enumerate(PLAN_QUESTIONS) if q.id == state)


class PlanSession:
    """The review plan of one referral, attached to the dialog's machine as a model."""

    state: str  # set by the machine

    def __init__(self, dialog: PlanDialog, ref: str, state: str, answers: dict[str, Answer]):
        self._dialog = dialog
        self.ref = ref
        self._answers = answers
        dialog.machine.add_model(self, initial=state)

    def __repr__(self) -> str:
        return f"<PlanSession {self.ref} at {self.state!r}, {len(self._answers)} answers>"

    @property
    def answers(self) -> dict[str, Answer]:
        """A copy of the answers (JSON-serialisable): store this with `state`."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._answers.items()}

    @property
    def complete(self) -> bool:
        """Whether every question of the plan is answered."""
        return self.state == DONE_STATE

    def decisions(self) -> list[str]:
        """Every decision the plan records ("family not involved: <reason>"), in order."""
        return [
            f"{q.decision}: {self._answers[q.id]}"
            for q in PLAN_QUESTIONS
            if q.decision and q.id in self._answers and q.applies(self._answers)
        ]

    def summary(self) -> list[tuple[str, str]]:
        """(short name, answer label) for each answer given."""
        return summary_lines(self._answers)

    def current_prompt(self) -> PlanPrompt:
        """The question to show now (or the complete plan), with buttons and selections."""
        if self.complete:
            text = render("dialog/plan/done.j2", ref=self.ref, lines=self.summary())
            return PlanPrompt(DONE_STATE, text, "done", ())
        question = BY_ID[self.state]
        options = self._options(question)
        selected: tuple[str, ...] = ()
        if question.kind == "toggle":
            chosen = self._answers.get(question.id, [])
            selected = tuple(o.value for o in options if o.label in chosen)
        labels = [o.label for o in options if o.value in selected]
        earlier = {k: answer_label(k, v) for k, v in self._answers.items()}
        text = render(question.template, ref=self.ref, selected=labels, earlier=earlier)
        return PlanPrompt(question.id, text, question.kind, options, selected)

    def _options(self, question: PlanQuestion) -> tuple[Option, ...]:
        return self._dialog.agency_options if question.id == "iar_agencies" else question.options

    def answer(self, value: str, question: str | None = None) -> PlanStep:
        """Answer the current question with an option value, text or a date.

        `question`, when given, is the question the button or reply belonged to: another
        question's is refused as stale. Raises
        `AnswerRefused` and changes nothing when the answer does not fit.
        """
        if self.complete:
            raise _refuse("complete")
        if question is not None and question != self.state:
            raise _refuse("stale")
        current = BY_ID[self.state]
        if current.kind == "toggle":
            return self._toggle(current, value)
        if current.kind == "text":
            return self._text(current, value)
        if current.kind == "date":
            return self._date(current, value)
        option = current.option(value)
        if option is None:
            raise _refuse("not_an_option")
        self._answers[current.id] = option.value
        return self._moved(current, option.label)

    def answer_label(self, label: str) -> PlanStep:
        """Answer by the button's label (tests, the demo); text or a date where asked."""
        for option in self.current_prompt().options:
            if option.label == label:
                return self.answer(option.value)
        if not self.complete and BY_ID[self.state].kind in ("text", "date"):
            return self.answer(label)
        raise _refuse("not_an_option")

    def _moved(
        self, question: PlanQuestion, label: str, decision: str = "", redacted: tuple[str, ...] = ()
    ) -> PlanStep:
        for q in PLAN_QUESTIONS:  # an answer no longer asked for is dropped
            if q.id in self._answers and not q.applies(self._answers):
                del self._answers[q.id]
        if not self._dialog.machine.events["next"].trigger(self):
            raise DialogStateError(f"no 'next' transition from {self.state!r}")
        return PlanStep(self.current_prompt(), question.id, label, True, decision, redacted)

    def _toggle(self, question: PlanQuestion, value: str) -> PlanStep:
        options = self._options(question)
        chosen = list(self._answers.get(question.id, []))
        if value == DONE.value:
            self._answers[question.id] = chosen
            return self._moved(question, answer_label(question.id, chosen))
        option = next((o for o in options if o.value == value and o != DONE), None)
        if option is None:
            raise _refuse("not_an_option")
        chosen = (
            [c for c in chosen if c != option.label]
            if option.label in chosen
            else [
                *chosen,
                option.label,
            ]
        )
        self._answers[question.id] = [o.label for o in options if o.label in chosen]
        return PlanStep(self.current_prompt(), question.id, option.label, False)

    def _text(self, question: PlanQuestion, value: str) -> PlanStep:
        try:
            accepted = intake.accept(value, limit=question.limit)
        except intake.Refused as exc:
            if exc.reason == "empty":
                raise _refuse("empty") from None
            raise _refuse("too_long", limit=exc.limit, length=exc.length) from None
        self._answers[question.id] = accepted.text
        decision = f"{question.decision}: {accepted.text}" if question.decision else ""
        return self._moved(question, accepted.text, decision, accepted.removed)

    def _date(self, question: PlanQuestion, value: str) -> PlanStep:
        day = parse_date(intake.clean(value, multiline=False))
        if day is None:
            raise _refuse("bad_date")
        earlier_id = DATE_ORDER.get(question.id)
        earlier = self._answers.get(earlier_id) if earlier_id else None
        if earlier_id and isinstance(earlier, str) and day < dt.date.fromisoformat(earlier):
            raise _refuse("date_order", earlier=earlier_id, date=earlier)
        self._answers[question.id] = day.isoformat()
        return self._moved(question, day.isoformat())

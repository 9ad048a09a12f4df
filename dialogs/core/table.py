"""A questionnaire as data: `Option`, `Condition`, `Question` and the `Questionnaire` table.

A questionnaire is declared, not programmed: its questions in the order asked, each with its
kind (`choice`, `toggle`, `text`, `date`, `period`, `lines`), its short name, its buttons, the
conditions over earlier answers under which it is asked, and what its answer means (a fact, a
decision to record, a date it must not precede). The machine (`dialogs.core.machine`), the
answer handling (`dialogs.core.session`) and the diagram are built from such a table; a new
questionnaire costs a table and its templates. The table is checked when it is declared.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Kind = Literal["choice", "toggle", "text", "date", "period", "lines", "list"]
# The kinds answered by typing rather than by a button (a list also ends with its `Done`).
TYPED_KINDS: tuple[Kind, ...] = ("text", "date", "period", "lines", "list")
# What a list's entries are dated by: nothing, a date inside the session's period
# (`context["period"]`), or a date after the session's today.
Dated = Literal["", "in_period", "future"]
FactValue = bool | str
# What a session's answers hold for one question: an option value (choice), a list of option
# values or agency names (toggle), redacted free text (text, "" when skipped), YYYY-MM-DD
# (date), "YYYY-MM-DD to YYYY-MM-DD" (period), a list of redacted lines (lines), or a list of
# entries (list: each "YYYY-MM-DD text" when dated, the date as typed, the text redacted).
Answer = str | list[str]

# The state that lists the answers one may change, entered from the review question.
CHANGE_STATE = "change"


@dataclass(frozen=True)
class Option:
    """One button: the exact `label` a person sees and the short `value` sent back.

    `fact` is the value this option gives its question's fact; `outcome` ends the
    questionnaire (`submit`, `cancel`); `trigger` fires that machine trigger instead.
    """

    label: str
    value: str
    fact: FactValue | None = None
    outcome: str | None = None
    trigger: str | None = None


DONE = Option("Done", "done")  # ends a toggle question and a list
SKIP = Option("Skip", "skip")  # answers a skippable text question with nothing
CHANGE = Option("Change an answer", "change", trigger="change")  # marks the review question
BACK_TO_SUMMARY = Option("Back to summary", "summary", trigger="summary")


@dataclass(frozen=True)
class Condition:
    """An "asked when" test: the answer to `question` is one of `values` (named for diagrams)."""

    name: str
    question: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Whether the earlier answer makes this condition true."""
        answer = answers.get(self.question)
        return isinstance(answer, str) and answer in self.values

    def excludes(self, other: Condition) -> bool:
        """Whether the two can never hold together (one answer, no value in common)."""
        return self.question == other.question and not set(self.values) & set(other.values)


@dataclass(frozen=True)
class Question:
    """One question: a row of a questionnaire's table.

    `short` names it in summaries and in the "change an answer" list; `when` are the conditions,
    all of which must hold for it to be asked; `fact` is what its options' `fact` values set.
    Text: `limit` (the longest accepted), `multiline`, `skip` (a Skip button), `decision` (the
    answer is recorded as "<decision>: <text>"). Toggle: `agencies` (the buttons are the
    configured agencies, kept by name), `required` (at least one before Done). Date:
    `not_before` (the id of an earlier date it must not precede). Period (two dates in one
    message, the start before the end): `up_to_today` (its end no later than the session's
    today). Lines (one message, one item a line, each through the intake): `limit` (the longest
    line), `most` (the most lines). List (entries, one message each, ended by `Done`): `limit`
    (the longest entry), `least` (the fewest entries `Done` takes), `most` (the most entries,
    0 for no limit), `dated` (each entry begins with YYYY-MM-DD, read before the intake: inside
    the session's period, or after its today). `empty` is how a skipped text, an empty toggle
    or an empty list reads;
    `recorded` is false for a question whose answer is not kept.
    """

    id: str
    short: str
    kind: Kind
    options: tuple[Option, ...] = ()
    when: tuple[Condition, ...] = ()
    fact: str | None = None
    limit: int = 0
    multiline: bool = False
    skip: bool = False
    decision: str = ""
    agencies: bool = False
    required: bool = False
    not_before: str = ""
    up_to_today: bool = False
    most: int = 0
    least: int = 0
    dated: Dated = ""
    empty: str = "none"
    recorded: bool = True

    @property
    def buttons(self) -> tuple[Option, ...]:
        """The buttons shown (a toggle's end with Done; agencies are added by the dialog)."""
        if self.kind == "toggle":
            return (*self.options, DONE)
        if self.kind == "text" and self.skip:
            return (SKIP,)
        if self.kind == "list":
            return (DONE,)
        return self.options

    def option(self, value: str) -> Option | None:
        """The option with this value, if the question has one."""
        return next((o for o in self.options if o.value == value), None)

    def applies(self, answers: Mapping[str, Answer]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return all(c.holds(answers) for c in self.when)


@dataclass(frozen=True, eq=False)
class Questionnaire:
    """A questionnaire type: its questions in order and where its texts are.

    Each question's text is the template `<folder>/<id>.j2`; refusals are rendered from
    `refusals` by code. `end`, when given, is the state after the last question (its text is
    `<folder>/<end>.j2`). A question offering `CHANGE` is the review question: `change` is
    then the template of the list of answers to change, `unchangeable` those not listed.
    Without a review question, `change` with an `end` offers the change list from the end
    state (`CHANGE` answers a complete session; `BACK_TO_SUMMARY` returns to the end).
    `added` names questions added to the table after sessions were stored: a stored session
    without them still restores, at the first of them it lacks (`Dialog.resume`).
    `back_from_end`: `back` also leaves the end state, to the last question asked (a summary
    that is submitted from the end, such as the agency review's).
    """

    name: str
    questions: tuple[Question, ...]
    folder: str
    refusals: str
    end: str | None = None
    change: str | None = None
    unchangeable: frozenset[str] = frozenset()
    added: frozenset[str] = frozenset()
    back_from_end: bool = False

    def __post_init__(self) -> None:
        _check(self)

    @functools.cached_property
    def by_id(self) -> dict[str, Question]:
        """Each question by its id."""
        return {q.id: q for q in self.questions}

    @functools.cached_property
    def branch_points(self) -> frozenset[str]:
        """The questions some later question depends on."""
        return frozenset(c.question for q in self.questions for c in q.when)

    @property
    def first(self) -> str:
        """The state a new session starts in."""
        return self.questions[0].id

    @functools.cached_property
    def review(self) -> Question | None:
        """The question that offers to change an answer, if any."""
        return next((q for q in self.questions if CHANGE in q.options), None)

    @property
    def change_from(self) -> str | None:
        """The state the change list is entered from and returns to: the review question, or
        the end state of a questionnaire whose answers change after it is complete."""
        if self.review is not None:
            return self.review.id
        return self.end if self.change is not None else None

    @property
    def states(self) -> tuple[str, ...]:
        """Every state: the questions, then the end state and the change state, if any."""
        end = (self.end,) if self.end else ()
        change = (CHANGE_STATE,) if self.change_from is not None else ()
        return (*(q.id for q in self.questions), *end, *change)

    def template(self, state: str) -> str:
        """The template of a question's (or the end state's) text."""
        return f"{self.folder}/{state}.j2"

    def position(self, state: str) -> int:
        """How many questions come before `state` (all of them, for the end state)."""
        if state == CHANGE_STATE and self.review is not None:
            state = self.review.id
        ids = [q.id for q in self.questions]
        return ids.index(state) if state in ids else len(ids)


def _check(table: Questionnaire) -> None:
    """Refuse a table whose rows contradict each other (raises ValueError naming the row)."""
    order: dict[str, int] = {}
    names: dict[str, Condition] = {}
    for i, q in enumerate(table.questions):
        where = f"{table.name} question {q.id!r}"
        if q.id in order or q.id in (table.end, CHANGE_STATE):
            raise ValueError(f"{where}: that id is taken")
        order[q.id] = i
        values = [o.value for o in q.buttons]
        if len(set(values)) != len(values):
            raise ValueError(f"{where} repeats an option value")
        listed = q.kind == "choice" or (q.kind == "toggle" and not q.agencies)
        limited = q.kind in ("text", "lines", "list")
        if listed != bool(q.options) or limited != (q.limit > 0):
            raise ValueError(f"{where}: its kind needs options or a limit it has not (or has)")
        if (q.kind == "lines") != (q.most > 0) and q.kind != "list":
            raise ValueError(f"{where}: `most` is a lines question's (or a list's)")
        if q.up_to_today and q.kind != "period":
            raise ValueError(f"{where}: `most` is a lines question's, `up_to_today` a period's")
        if (q.least or q.dated) and q.kind != "list":
            raise ValueError(f"{where}: `least` and `dated` are a list question's")
        if q.kind == "list" and q.most and q.least > q.most:
            raise ValueError(f"{where}: a list cannot need more entries than it takes")
        for c in q.when:
            earlier = table.questions[order[c.question]] if c.question in order else None
            if earlier is None or earlier is q:
                raise ValueError(f"{where} depends on a later question ({c.name})")
            if not set(c.values) <= {o.value for o in earlier.options}:
                raise ValueError(f"{where}: {c.name} names a value {c.question!r} has not")
            if names.setdefault(c.name, c) != c:
                raise ValueError(f"{where}: two conditions are named {c.name!r}")
        if q.not_before and (
            q.not_before not in order
            or q.not_before == q.id
            or table.by_id[q.not_before].kind != "date"
        ):
            raise ValueError(f"{where} must follow an earlier date question")
    if table.review is not None and table.change is None:
        raise ValueError(f"{table.name}: a review question needs a change template")
    if table.change is not None and table.change_from is None:
        raise ValueError(f"{table.name}: a change template needs a review question or an end")
    if table.back_from_end and table.end is None:
        raise ValueError(f"{table.name}: `back_from_end` needs an end state")
    if not table.added <= set(order):
        raise ValueError(f"{table.name}: `added` names a question it has not")

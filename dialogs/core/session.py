"""One session of a questionnaire: a model on its machine, answered one question at a time.

A session is nothing but its state name and its answers, so the caller stores those two and
restores them later (`Dialog.validate`, then a session at that state). Every answer is checked
against the current question and changes nothing when refused (a stale button, a value that
is not an option, empty or over-long text, a date that is not YYYY-MM-DD or precedes the date
it follows, a period that is not two dates in order or ends after today, more lines than
allowed, a list's entry that does not fit, `Done` on too few); free text goes through
`dialogs.intake.accept` here (a list's entries in `dialogs.core.lists`) and nowhere else. A
period's dates are read from the cleaned text before any intake, so the redaction of dates of
birth never meets them; each line of a lines answer goes through the intake. A list takes one
entry a message and moves on only on its `Done`: moving on never passes a list.

After an answer the machine's `next` trigger moves to the next question that is asked and
still needs an answer (else the review question or the end state); answers to questions no
longer asked are dropped first, so changing a branch point asks what the new branch needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dialogs import intake
from dialogs.core.answers import (
    PERIOD_FORM,
    answer_label,
    answer_lines,
    parse_date,
    parse_period,
    period_text,
)
from dialogs.core.dialog import Dialog
from dialogs.core.lists import take_entry
from dialogs.core.machine import CHANGE_PREFIX
from dialogs.core.progress import progress
from dialogs.core.prompts import AnswerRefused, DialogStateError, Prompt, Step, refusal
from dialogs.core.table import (
    BACK_TO_SUMMARY,
    CHANGE,
    CHANGE_STATE,
    DONE,
    SKIP,
    TYPED_KINDS,
    Answer,
    Option,
    Question,
)
from templates import render

# Typed after a date ("2026-01-31!"), it confirms a date already past where the session knows
# today (a plan may record what has already happened, but a past due date is usually a slip).
PAST_CONFIRM = "!"


class Session:
    """One session of a questionnaire, moved by its dialog's machine one answer at a time.

    `context` is given to every template of the session (e.g. the referral a plan is for).
    """

    def __init__(
        self,
        dialog: Dialog,
        state: str,
        answers: dict[str, Answer],
        context: Mapping[str, Any] | None = None,
    ) -> None:
        self._dialog = dialog
        self._table = dialog.questionnaire
        self._answers = answers
        self.context = dict(context or {})
        self.state = state
        self._shown: tuple[tuple[Any, ...], Prompt] | None = None  # the last prompt, and where

    def __repr__(self) -> str:
        return f"<{type(self).__name__} at {self.state!r}, {len(self._answers)} answers>"

    # -- what the caller stores and reads ------------------------------------------------
    @property
    def answers(self) -> dict[str, Answer]:
        """A copy of the answers (JSON-serialisable): store this with `state`."""
        return {k: list(v) if isinstance(v, list) else v for k, v in self._answers.items()}

    @property
    def complete(self) -> bool:
        """Whether the questionnaire is at its end state."""
        return self.state == self._table.end

    def lines(self) -> list[tuple[str, str]]:
        """(short name, answer label) for each answer given, in the order asked."""
        return answer_lines(self._table, self._answers)

    def progress(self) -> tuple[int, int] | None:
        """(position, about how many questions in all) of the current question, or None."""
        return progress(self._table, self.state, self._answers)

    def last_answer(self) -> tuple[str, str] | None:
        """(short name, answer label) of the answer to the question asked just before the
        current one, if it was answered with buttons (a typed answer is not repeated)."""
        index = self._table.position(self.state)
        for question in reversed(self._table.questions[:index]):
            if question.id in self._answers and question.applies(self._answers):
                if question.kind not in ("choice", "toggle"):
                    return None
                return question.short, answer_label(question, self._answers[question.id])
        return None

    def decisions(self) -> list[str]:
        """Every decision the answers record ("<wording>: <text>"), in order."""
        return [
            f"{q.decision}: {self._answers[q.id]}"
            for q in self._table.questions
            if q.decision and q.id in self._answers and q.applies(self._answers)
        ]

    # -- the prompt ------------------------------------------------------------------------
    def current_prompt(self) -> Prompt:
        """The question to show now, with its buttons and the values already selected.

        Rendered once for a state and answers: asked again before an answer (the screen, the
        keyboard, the step), it is the same prompt."""
        where = (
            self.state,
            *((k, tuple(v) if isinstance(v, list) else v) for k, v in self._answers.items()),
        )
        if self._shown is not None and self._shown[0] == where:
            return self._shown[1]
        prompt = self._prompt()
        self._shown = (where, prompt)
        return prompt

    def _prompt(self) -> Prompt:
        table = self._table
        if self.complete:
            text = render(table.template(self.state), lines=self.lines(), **self.context)
            return Prompt(self.state, text, "done", ())
        if self.state == CHANGE_STATE:
            assert table.change is not None
            text = render(table.change, **self.context)
            return Prompt(CHANGE_STATE, text, "choice", self._change_options())
        question = table.by_id[self.state]
        options = self._dialog.options(question)
        selected = self._selected(question, options)
        earlier = {k: answer_label(table.by_id[k], v) for k, v in self._answers.items()}
        text = render(
            table.template(question.id),
            selected=[o.label for o in options if o.value in selected],
            earlier=earlier,
            most=question.most,
            entries=self.entries(question.id),
            least=question.least,
            **self.context,
            **self._template_context(question),
        )
        return Prompt(question.id, text, question.kind, options, selected)

    def entries(self, question: str) -> list[str]:
        """The entries given so far to the list question `question` (none for another kind)."""
        answer = self._answers.get(question)
        asked = self._table.by_id.get(question)
        if asked is None or asked.kind != "list" or not isinstance(answer, list):
            return []
        return list(answer)

    def _template_context(self, question: Question) -> dict[str, Any]:
        """More for the template of `question` (a questionnaire's own, e.g. its summary)."""
        return {}

    def _selected(self, question: Question, options: tuple[Option, ...]) -> tuple[str, ...]:
        answer = self._answers.get(question.id)
        if answer is None or question.kind in TYPED_KINDS:
            return ()
        if isinstance(answer, str):
            return (answer,)
        if question.agencies:
            return tuple(o.value for o in options if o.label in answer)
        return tuple(o.value for o in options if o.value in answer)

    def _change_options(self) -> tuple[Option, ...]:
        answered = (
            Option(q.short, q.id)
            for q in self._table.questions
            if q.id in self._answers
            and q.id not in self._table.unchangeable
            and q.applies(self._answers)
        )
        return (*answered, BACK_TO_SUMMARY)

    # -- answering ---------------------------------------------------------------------------
    def answer(self, value: str, question: str | None = None) -> Step:
        """Answer the current question with an option value, text or a date.

        `question`, when given, is the question the button or reply belonged to: another
        question's is refused as stale. Raises `AnswerRefused` and changes nothing when the
        answer does not fit the current question.
        """
        if self.complete:
            return self._change_complete(value, question)
        if question is not None and question != self.state:
            raise self._refuse("stale")
        if self.state == CHANGE_STATE:
            return self._choose_change(value)
        current = self._table.by_id[self.state]
        if current.kind == "toggle":
            return self._toggle(current, value)
        if current.kind == "text":
            return self._type_text(current, value)
        if current.kind == "date":
            return self._type_date(current, value)
        if current.kind == "period":
            return self._type_period(current, value)
        if current.kind == "lines":
            return self._type_lines(current, value)
        if current.kind == "list":
            return self._add_entry(current, value)
        return self._choose(current, value)

    def _change_complete(self, value: str, question: str | None) -> Step:
        """`CHANGE` on a complete session whose answers change from the end: the change list
        (not an answer: nothing is changed until one is chosen); anything else is refused."""
        offered = self._table.review is None and self._table.change_from is not None
        if not offered or value != CHANGE.value or question not in (None, self.state):
            raise self._refuse("complete")
        assert CHANGE.trigger is not None
        self._fire(CHANGE.trigger)
        return Step(self.current_prompt(), self._table.end or "", CHANGE.label, False)

    def answer_label(self, label: str) -> Step:
        """Answer by the button's label (tests, the demo); text or a date where asked."""
        for option in self.current_prompt().options:
            if option.label == label:
                return self.answer(option.value)
        current = self._table.by_id.get(self.state)
        if current is not None and current.kind in TYPED_KINDS:
            return self.answer(label)
        raise self._refuse("not_an_option")

    def back(self) -> Prompt:
        """Go to the previous question that was asked; refused at the first question."""
        if not self._dialog.machine.leaves(self.state, "back"):
            raise self._refuse("first_question")
        self._fire("back")
        return self.current_prompt()

    def _refuse(self, code: str, **context: Any) -> AnswerRefused:
        return refusal(self._table.refusals, code, **context)

    def _choose(self, question: Question, value: str) -> Step:
        option = question.option(value)
        if option is None:
            raise self._refuse("not_an_option")
        if option.outcome is not None:
            prompt = self.current_prompt()
            return Step(prompt, question.id, option.label, False, finished=option.outcome)
        if option.trigger is not None:
            self._fire(option.trigger)
            return Step(self.current_prompt(), question.id, option.label)
        self._answers[question.id] = option.value
        return self._moved(question, option.label)

    def _toggle(self, question: Question, value: str) -> Step:
        options = self._dialog.options(question)
        chosen: list[str] = list(self._answers.get(question.id, []))
        if value == DONE.value:
            if question.required and not chosen:
                raise self._refuse("need_choice")
            self._answers[question.id] = chosen
            return self._moved(question, answer_label(question, chosen))
        option = next((o for o in options if o.value == value and o != DONE), None)
        if option is None:
            raise self._refuse("not_an_option")
        by_name = question.agencies  # agencies are kept by name, other toggles by value
        items = [(o.label if by_name else o.value) for o in options if o != DONE]
        item = option.label if by_name else option.value
        chosen = [c for c in chosen if c != item] if item in chosen else [*chosen, item]
        ordered = [i for i in items if i in chosen]
        if ordered:
            self._answers[question.id] = ordered
        else:
            self._answers.pop(question.id, None)
        return Step(self.current_prompt(), question.id, option.label, False)

    def _type_text(self, question: Question, value: str) -> Step:
        if question.skip and intake.clean(value, multiline=False).casefold() == SKIP.value:
            self._answers[question.id] = ""
            return self._moved(question, question.empty)
        try:
            accepted = intake.accept(value, limit=question.limit, multiline=question.multiline)
        except intake.Refused as exc:
            if exc.reason == "empty":
                raise self._refuse("empty", skippable=question.skip) from None
            raise self._refuse("too_long", limit=exc.limit, length=exc.length) from None
        self._answers[question.id] = accepted.text
        decision = f"{question.decision}: {accepted.text}" if question.decision else ""
        return self._moved(question, accepted.text, decision, accepted.removed)

    def _type_date(self, question: Question, value: str) -> Step:
        typed = intake.clean(value, multiline=False)
        confirmed = typed.endswith(PAST_CONFIRM)  # "2026-01-31!": yes, that date, in the past
        day = parse_date(typed.removesuffix(PAST_CONFIRM))
        if day is None:
            examples = self.context.get("examples") or {}
            raise self._refuse("bad_date", example=examples.get(question.id, ""))
        earlier = self._answers.get(question.not_before) if question.not_before else None
        if isinstance(earlier, str) and day < dt.date.fromisoformat(earlier):
            raise self._refuse("date_order", earlier=question.not_before, date=earlier)
        today = self.context.get("today")
        if isinstance(today, dt.date) and day < today and not confirmed:
            raise self._refuse("past_date", date=day.isoformat(), confirm=PAST_CONFIRM)
        self._answers[question.id] = day.isoformat()
        return self._moved(question, day.isoformat())

    def _type_period(self, question: Question, value: str) -> Step:
        typed = intake.clean(value, multiline=False)  # read before any intake: not redacted
        period = parse_period(typed)
        if period is None:
            raise self._refuse("bad_period", form=PERIOD_FORM)
        start, end = period
        if start >= end:
            raise self._refuse("period_order", form=PERIOD_FORM)
        today = self.context.get("today")
        if question.up_to_today and isinstance(today, dt.date) and end > today:
            raise self._refuse("period_future", form=PERIOD_FORM, today=today.isoformat())
        self._answers[question.id] = period_text(start, end)
        return self._moved(question, period_text(start, end))

    def _type_lines(self, question: Question, value: str) -> Step:
        typed = [line for line in intake.clean(value, multiline=True).split("\n") if line]
        if not typed:
            raise self._refuse("empty", skippable=False)
        if len(typed) > question.most:
            raise self._refuse("too_many_lines", most=question.most, count=len(typed))
        kept: list[str] = []
        removed: list[str] = []
        for number, line in enumerate(typed, 1):
            try:
                accepted = intake.accept(line, limit=question.limit)
            except intake.Refused as exc:
                raise self._refuse(
                    "line_too_long", line=number, limit=exc.limit, length=exc.length
                ) from None
            kept.append(accepted.text)
            removed += [kind for kind in accepted.removed if kind not in removed]
        self._answers[question.id] = kept
        return self._moved(question, answer_label(question, kept), redacted=tuple(removed))

    def _add_entry(self, question: Question, value: str) -> Step:
        """One entry of a list (kept, the session staying at the list), or its `Done`."""
        entries = self.entries(question.id)
        typed = intake.clean(value, multiline=True)  # read before any intake: not redacted
        if typed.casefold() == DONE.value:
            if len(entries) < question.least:
                raise self._refuse("need_entry", least=question.least)
            self._answers[question.id] = entries
            return self._moved(question, answer_label(question, entries))
        if question.most and len(entries) >= question.most:
            raise self._refuse("too_many_entries", most=question.most)
        entry, removed = take_entry(question, typed, self.context, self._refuse)
        self._answers[question.id] = [*entries, entry]
        return Step(self.current_prompt(), question.id, entry, False, redacted=removed)

    def _choose_change(self, value: str) -> Step:
        option = next((o for o in self._change_options() if o.value == value), None)
        if option is None:
            raise self._refuse("not_an_option")
        self._fire(option.trigger or CHANGE_PREFIX + option.value)
        return Step(self.current_prompt(), CHANGE_STATE, option.label)

    # -- moving ------------------------------------------------------------------------------
    def _fire(self, trigger: str, *, again_while_answered: bool = False) -> None:
        """Fire `trigger` on the machine (with `again_while_answered`, go on with `next` while
        the question reached is already answered); the session's state follows."""
        with self._dialog.machine.moving(self.state, self._answers) as place:
            fired = place.trigger(trigger)
            while fired and again_while_answered and self._passes(place.state):
                fired = place.trigger("next")
            self.state = place.state
        if not fired:
            raise DialogStateError(f"no {trigger!r} transition from {self.state!r}")

    def _passes(self, state: str) -> bool:
        """Whether moving on goes past `state`: a question already answered, but never a list
        (a list is ended by its own `Done`)."""
        question = self._table.by_id.get(state)
        return state in self._answers and (question is None or question.kind != "list")

    def _moved(
        self, question: Question, label: str, decision: str = "", redacted: tuple[str, ...] = ()
    ) -> Step:
        """Drop answers no longer asked for, go to the next question needing an answer, and
        say what was answered."""
        for q in self._table.questions:
            if q.id in self._answers and not q.applies(self._answers):
                del self._answers[q.id]
        self._fire("next", again_while_answered=True)
        return Step(self.current_prompt(), question.id, label, True, decision, redacted)

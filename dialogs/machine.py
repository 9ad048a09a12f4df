"""Turns a question table into one `transitions` machine: states, transitions and their guards.

Every transition is declared here from the data in `dialogs.questions`:

- `next` from each question to the questions after it, each guarded by the destination's
  "asked when" conditions (less those of the source, which hold while a conversation is at
  it); the first transition whose guards hold wins, so the list from a source stops at the
  first unguarded destination, and a destination whose guards include those of an earlier one
  is left out (it could never be chosen).
- `back` the same way, walking the questions before the source in reverse.
- The `confirm` options that fire triggers (`change`), the `change` state's `summary` and
  `back` (both to `confirm`) and `change_to_<id>` for each question whose answer may change.

The machine holds its models weakly (`WeakModelMachine`): a conversation restored for one update
and then dropped does not stay attached to the one long-lived machine.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from transitions import EventData, Machine

from dialogs.questions import (
    BACK_TO_SUMMARY,
    CHANGE_STATE,
    CONDITIONS,
    QUESTIONS,
    UNCHANGEABLE,
    Condition,
    Question,
)

CHANGE_PREFIX = "change_to_"


@dataclass(frozen=True)
class Guard:
    """A transition condition built from an "asked when" `Condition` (named for the diagram)."""

    condition: Condition

    @property
    def name(self) -> str:
        """The condition's name, as shown on the diagram's edges."""
        return self.condition.name

    def __call__(self, event: EventData) -> bool:
        return self.condition.holds(event.model.answers)  # type: ignore[attr-defined]


class _WeakModels(weakref.WeakSet[Any]):
    """The models list of a machine, holding each model weakly."""

    def append(self, model: Any) -> None:
        self.add(model)


class WeakModelMachine(Machine):
    """A `Machine` whose attached models are forgotten once nothing else refers to them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.models = _WeakModels()  # type: ignore[assignment]

    def _add_trigger_to_model(self, trigger: str, model: Any) -> None:
        """Bind a trigger to a model unless the model's class defines that name on purpose.

        `Conversation.back()` checks before it fires `back`, and the summary is a method too;
        they fire through `machine.events`, so not binding them is the intent, not a conflict
        worth the library's warning on every restore.
        """
        if hasattr(type(model), trigger):
            return
        super()._add_trigger_to_model(trigger, model)


def _exclusive(a: Condition, b: Condition) -> bool:
    """Whether two conditions can never hold together (one answer, no value in common)."""
    return a.question == b.question and not set(a.values) & set(b.values)


def _reachable(
    source: Question, candidates: Sequence[Question]
) -> Iterator[tuple[Question, tuple[str, ...]]]:
    """The candidates a first-match trigger from `source` can reach, with the guards each needs.

    A conversation is only ever at a question that is asked, so the source's own conditions
    hold: they are left out of the guards, and destinations that contradict them are skipped.
    """
    given = set(source.when)
    taken: list[frozenset[str]] = []
    for question in candidates:
        needs = tuple(name for name in question.when if name not in given)
        if any(_exclusive(CONDITIONS[a], CONDITIONS[b]) for a in needs for b in given):
            continue  # never asked while the conversation is at the source
        if any(earlier <= frozenset(needs) for earlier in taken):
            continue  # an earlier destination is asked whenever this one is
        taken.append(frozenset(needs))
        yield question, needs
        if not needs:
            return


def _edge(trigger: str, source: str, dest: str, when: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "trigger": trigger,
        "source": source,
        "dest": dest,
        "conditions": [Guard(CONDITIONS[name]) for name in when],
    }


def transitions_for(questions: Sequence[Question]) -> list[dict[str, Any]]:
    """The transitions of the practitioner machine, declared from the question table."""
    edges: list[dict[str, Any]] = []
    for i, question in enumerate(questions):
        if question.id == "confirm":
            continue
        for dest, needs in _reachable(question, questions[i + 1 :]):
            edges.append(_edge("next", question.id, dest.id, needs))
    for i, question in enumerate(questions):
        for dest, needs in _reachable(question, questions[:i][::-1]):
            edges.append(_edge("back", question.id, dest.id, needs))
    for question in questions:
        for option in question.options:
            if option.trigger:
                edges.append(_edge(option.trigger, question.id, CHANGE_STATE))
    assert BACK_TO_SUMMARY.trigger is not None
    edges.append(_edge(BACK_TO_SUMMARY.trigger, CHANGE_STATE, "confirm"))
    edges.append(_edge("back", CHANGE_STATE, "confirm"))
    for question in questions:
        if question.id not in UNCHANGEABLE:
            edges.append(_edge(CHANGE_PREFIX + question.id, CHANGE_STATE, question.id))
    return edges


@functools.cache
def practitioner_machine() -> WeakModelMachine:
    """The one machine of the practitioner dialog; conversations attach to it as models."""
    return WeakModelMachine(
        model=None,
        states=[q.id for q in QUESTIONS] + [CHANGE_STATE],
        transitions=transitions_for(QUESTIONS),
        initial=QUESTIONS[0].id,
        send_event=True,
        auto_transitions=False,
        name="practitioner",
    )

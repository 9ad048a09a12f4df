"""Turns a questionnaire's table into its one `transitions` machine: states, transitions, guards.

Every transition is declared here from the table (`dialogs.core.table.Questionnaire`):

- `next` from each question to the questions after it, each guarded by the destination's
  "asked when" conditions (less those of the source, which hold while a session is at it);
  the first transition whose guards hold wins, so the list from a source stops at the first
  unguarded destination, and a destination whose guards include those of an earlier one is
  left out (it could never be chosen). Where no unguarded question follows, the last `next`
  goes to the end state (when the questionnaire has one).
- `back` the same way, walking the questions before the source in reverse (and from the end
  state too, when the table says `back_from_end`).
- With a review question: its options that fire triggers (`change`), the change state's
  `summary` and `back` (both to the review question), and `change_to_<id>` for each question
  whose answer may change. Without one, a `change` template makes the same from the end state
  (`change` from the end, `summary` and `back` to it).

One machine per questionnaire type (`machine_for`, built once), used through transitions'
public API only. Its model is a `Place` (a session's state and answers), never a session: a
move (`QuestionnaireMachine.moving`) takes an idle place, puts it at the session's state
(`set_state`) with the session's answers, and hands it back once the move is made, its answers
let go. A place is attached (`add_model`, which binds every trigger and state of the machine
to it, most of an answer's work) only when no idle one is left, so the machine holds as many
places as moves ever ran at once (one, on the bot's event loop), whatever the number of
conversations, and a session dropped after its update leaves nothing behind. A place of its
own keeps transitions' bound triggers off the session itself.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from transitions import EventData, Machine

from dialogs.core.table import (
    BACK_TO_SUMMARY,
    CHANGE,
    CHANGE_STATE,
    Answer,
    Condition,
    Question,
    Questionnaire,
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


class Place:
    """The model a machine moves: where a session is and the answers its guards read.

    `trigger` (fire a trigger by name; true when a transition was taken) is bound by the
    machine when the place is attached; the class declares nothing the machine binds, so
    binding never meets a name already taken.
    """

    trigger: Callable[[str], bool]

    def __init__(self, state: str, answers: Mapping[str, Answer]) -> None:
        self.state = state
        self.answers = answers


NOTHING: Mapping[str, Answer] = {}  # an idle place's answers


class QuestionnaireMachine(Machine):
    """The machine of one questionnaire type, which it keeps as `questionnaire`."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questionnaire = questionnaire
        super().__init__(
            model=None,
            states=list(questionnaire.states),
            transitions=transitions_for(questionnaire),
            initial=questionnaire.first,
            send_event=True,
            auto_transitions=False,
            name=questionnaire.name,
        )
        self.idle: list[Place] = []  # attached places no move is using

    @contextmanager
    def moving(self, state: str, answers: Mapping[str, Answer]) -> Iterator[Place]:
        """A `Place` at `state` with `answers` for one move, idle again when it is made."""
        try:
            place = self.idle.pop()  # one step: safe if two threads move at once
        except IndexError:
            place = Place(state, NOTHING)
            self.add_model(place, initial=state)
        try:
            self.set_state(state, model=place)
            place.answers = answers
            yield place
        finally:
            place.answers = NOTHING
            self.idle.append(place)

    def leaves(self, state: str, trigger: str) -> bool:
        """Whether `trigger` has a transition from `state` (`back` has none at the first)."""
        return trigger in self.get_triggers(state)


def _reachable(
    source: Question | None, candidates: Sequence[Question]
) -> Iterator[tuple[Question, tuple[Condition, ...]]]:
    """The candidates a first-match trigger from `source` can reach, with the guards each needs
    (`source` None: from the end state, where nothing is given).

    A session is only ever at a question that is asked, so the source's own conditions hold:
    they are left out of the guards, and destinations that contradict them are skipped.
    """
    given = set(source.when) if source is not None else set()
    taken: list[frozenset[Condition]] = []
    for question in candidates:
        needs = tuple(c for c in question.when if c not in given)
        if any(a.excludes(b) for a in needs for b in given):
            continue  # never asked while the session is at the source
        if any(earlier <= frozenset(needs) for earlier in taken):
            continue  # an earlier destination is asked whenever this one is
        taken.append(frozenset(needs))
        yield question, needs
        if not needs:
            return


def _edge(trigger: str, source: str, dest: str, when: Sequence[Condition] = ()) -> dict[str, Any]:
    return {
        "trigger": trigger,
        "source": source,
        "dest": dest,
        "conditions": [Guard(c) for c in when],
    }


def transitions_for(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    """The transitions of a questionnaire's machine, declared from its table."""
    questions = questionnaire.questions
    edges: list[dict[str, Any]] = []
    for i, question in enumerate(questions):
        reached = list(_reachable(question, questions[i + 1 :]))
        edges += [_edge("next", question.id, dest.id, needs) for dest, needs in reached]
        if questionnaire.end and all(needs for _, needs in reached):
            edges.append(_edge("next", question.id, questionnaire.end))
    for i, question in enumerate(questions):
        for dest, needs in _reachable(question, questions[:i][::-1]):
            edges.append(_edge("back", question.id, dest.id, needs))
    if questionnaire.end and questionnaire.back_from_end:
        for dest, needs in _reachable(None, questions[::-1]):
            edges.append(_edge("back", questionnaire.end, dest.id, needs))
    review, origin = questionnaire.review, questionnaire.change_from
    if origin is None:
        return edges
    if review is not None:
        for option in review.options:
            if option.trigger:
                edges.append(_edge(option.trigger, review.id, CHANGE_STATE))
    else:  # a complete session's answers change from its end state
        assert CHANGE.trigger is not None
        edges.append(_edge(CHANGE.trigger, origin, CHANGE_STATE))
    assert BACK_TO_SUMMARY.trigger is not None
    edges.append(_edge(BACK_TO_SUMMARY.trigger, CHANGE_STATE, origin))
    edges.append(_edge("back", CHANGE_STATE, origin))
    for question in questions:
        if question.id not in questionnaire.unchangeable:
            edges.append(_edge(CHANGE_PREFIX + question.id, CHANGE_STATE, question.id))
    return edges


@functools.cache
def machine_for(questionnaire: Questionnaire) -> QuestionnaireMachine:
    """The one machine of a questionnaire type; its sessions attach to it as models."""
    return QuestionnaireMachine(questionnaire)

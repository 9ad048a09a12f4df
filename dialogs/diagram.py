"""A questionnaire's machine drawn as a Mermaid `stateDiagram-v2` by transitions' own backend.

The drawing is made by `transitions.extensions.diagrams.GraphMachine` with
`graph_engine="mermaid"`, from the very declarations the running machine is built from
(`dialogs.core.machine.transitions_for`): every state is a node labelled with its question's
short name, every declared transition an edge labelled with its trigger and the names of its
guards (transitions between the same two states share one edge, their labels joined by
" | "). The running machine is not a `GraphMachine` (it would build a graph for every session
attached to it), so a drawing machine is made for each drawing; with `forward`, the `back` and
`change_to_*` transitions are left out of it.

The one thing drawn here by hand is what the machine has no transition for: an option that
ends the questionnaire (`submit`, `cancel`) is an edge to `[*]`, appended to the backend's text
(whose blank lines lose their trailing spaces, so the text sits in Markdown as it is).
"""

from __future__ import annotations

from typing import Any

from transitions import State
from transitions.extensions.diagrams import GraphMachine

from dialogs.core.machine import CHANGE_PREFIX, QuestionnaireMachine, transitions_for
from dialogs.core.table import CHANGE_STATE, Questionnaire

BACKWARD = "back"
INDENT = "  "  # the backend's indent inside the diagram


class _Node(State):
    """A state with the label the diagram shows for it."""

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label = label


class _Drawing(GraphMachine):  # type: ignore[misc]
    """A machine made only to be drawn, top to bottom."""

    state_cls = _Node

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.machine_attributes = {"rankdir": "TB"}


def _description(questionnaire: Questionnaire, state: str) -> str:
    if state == CHANGE_STATE:
        return "Change an answer"
    question = questionnaire.by_id.get(state)
    return question.short if question is not None else state


def _drawn(trigger: str, forward: bool) -> bool:
    return not forward or (trigger != BACKWARD and not trigger.startswith(CHANGE_PREFIX))


def mermaid(machine: QuestionnaireMachine, *, forward: bool = False) -> str:
    """The machine as Mermaid text; `forward` leaves out the `back` and `change_to_*` edges."""
    questionnaire = machine.questionnaire
    edges = [
        {**edge, "conditions": [guard.name for guard in edge["conditions"]]}
        for edge in transitions_for(questionnaire)
        if _drawn(edge["trigger"], forward)
    ]
    states = [
        {"name": state, "label": _description(questionnaire, state)} for state in machine.states
    ]
    drawing = _Drawing(
        states=states,
        transitions=edges,
        initial=machine.initial,
        auto_transitions=False,
        show_conditions=True,
        graph_engine="mermaid",
        title=questionnaire.name,
    )
    lines = [line.rstrip() for line in str(drawing.get_graph().draw(None)).splitlines()]
    lines += [
        f"{INDENT}{question.id} --> [*]: {option.outcome}"
        for question in questionnaire.questions
        for option in question.options
        if option.outcome
    ]
    return "\n".join(lines) + "\n"

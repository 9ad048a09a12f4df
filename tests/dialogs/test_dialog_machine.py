"""The one machine of the practitioner dialog: its declared transitions, its models, and a
random walk showing that no sequence of presses breaks the conversation's invariants."""

from __future__ import annotations

import gc
import json
import logging

import pytest
from dialog_helpers import AGENCIES, new_dialog, say
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import CATASTROPHIC_PATH

from dialogs.core.machine import machine_for
from dialogs.practitioner import AnswerRefused, Conversation, PractitionerDialog
from dialogs.questions import CHECK, CONDITIONS, QUESTIONS
from matrix.engine import load_matrix


def test_one_machine_for_every_dialog_and_conversation() -> None:
    first, second = (
        PractitionerDialog(AGENCIES, load_matrix()),
        PractitionerDialog(["Health"], load_matrix()),
    )
    assert first.machine is second.machine is machine_for(CHECK)
    assert first.states == (*(q.id for q in QUESTIONS), "change")


def test_transitions_are_declared_with_named_guards() -> None:
    machine = machine_for(CHECK)
    assert set(machine.events) >= {"next", "back", "change", "summary", "change_to_died"}
    died_next = machine.events["next"].transitions["died"]
    assert [(t.dest, [c.func.name for c in t.conditions]) for t in died_next] == [
        ("custody", ["child_died"]),
        ("harmed", ["child_alive"]),
        ("sexual", []),
    ]
    kind_next = machine.events["next"].transitions["kind"]
    assert [(t.dest, [c.func.name for c in t.conditions]) for t in kind_next] == [
        ("abuse", ["concern"]),
        ("agencies", []),
    ]
    for event in machine.events.values():
        for transitions in event.transitions.values():
            for transition in transitions:
                assert all(c.func.name in CONDITIONS for c in transition.conditions)


def test_the_machine_has_no_auto_transitions() -> None:
    assert not any(name.startswith("to_") for name in machine_for(CHECK).events)


def test_a_conversation_is_never_a_model_and_the_places_do_not_grow_with_them() -> None:
    machine = machine_for(CHECK)
    dialog = new_dialog()
    kept = [dialog.start() for _ in range(50)]
    for conv in kept:
        say(conv, "I understand", "No")
    places = list(machine.models)
    assert places == machine.idle and len(places) <= 1  # one place for every answer so far
    assert not any(isinstance(model, Conversation) for model in machine.models)
    assert all(place.answers == {} for place in machine.idle)  # no answers held between moves
    assert {conv.state for conv in kept} == {"kind"}
    with machine.moving("kind", {"kind": "concern"}) as place:
        assert machine.idle == [] and place in machine.models
        with machine.moving("died", {"died": "yes"}) as second:  # two moves at once: two
            assert second is not place and second.state == "died"
        assert place.trigger("next") and place.state == "abuse"
    assert len(machine.models) == len(machine.idle) == 2
    with machine.moving("abuse", {}) as again:  # an idle place is put at the state asked
        assert again.state == "abuse" and again in [*places, second]
    del kept
    gc.collect()
    assert len(machine.models) == 2


def test_many_conversations_move_independently(dialog: PractitionerDialog) -> None:
    one, two = dialog.start(), dialog.start()
    say(one, "I understand", "No", "A concern")
    say(two, "I understand", "Yes")
    assert (one.state, two.state) == ("abuse", "kind")
    assert one.answers["immediate"] == "no" and two.urgent


def _check_invariants(dialog: PractitionerDialog, conv: Conversation) -> None:
    """What every stored conversation must satisfy, whatever was pressed."""
    answers = conv.answers
    if conv.state in CHECK.by_id:
        assert CHECK.by_id[conv.state].applies(answers)
        position = [q.id for q in QUESTIONS].index(conv.state)
    else:
        position = len(QUESTIONS) - 1
    for question in QUESTIONS[:position]:
        if question.recorded and question.applies(answers):
            assert question.id in answers, (conv.state, question.id)
    for qid in answers:
        assert CHECK.by_id[qid].applies(answers), qid  # dropped when no longer asked
    conv.result()  # the facts are always valid for the matrix
    stored = json.loads(json.dumps({"state": conv.state, "answers": answers}))
    again = dialog.restore(stored["state"], stored["answers"])
    assert again.current_prompt() == conv.current_prompt()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=80))
def test_random_presses_keep_the_conversation_consistent(presses: list[int]) -> None:
    dialog = new_dialog()
    conv = dialog.start()
    for press in presses:
        prompt = conv.current_prompt()
        choices = [o.value for o in prompt.options]
        if prompt.kind == "text":
            choices.append("A synthetic note about the case.")
        choices += ["<back>", "submit", "bogus"]
        choice = choices[press % len(choices)]
        try:
            if choice == "<back>":
                conv.back()
            else:
                step = conv.answer(choice)
                if step.finished:
                    assert conv.state == "confirm"
        except AnswerRefused:
            pass
        _check_invariants(dialog, conv)


def test_restoring_a_conversation_logs_no_warnings(caplog: pytest.LogCaptureFixture) -> None:
    dialog = PractitionerDialog(["Health", "Police"], load_matrix())
    conversation = dialog.start()
    conversation.answer_label("I understand")
    with caplog.at_level(logging.DEBUG):
        restored = dialog.restore(conversation.state, conversation.answers)
        restored.back()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_prompt_is_rendered_once_for_a_state_and_its_answers() -> None:
    conv = new_dialog().start()
    say(conv, *(label for label, _ in CATASTROPHIC_PATH))
    assert conv.state == "agencies"
    shown = conv.current_prompt()
    assert conv.current_prompt() is shown  # asked again for the screen and the keyboard
    step = say(conv, "Health")  # a toggle: the same question, the answers changed
    assert step.prompt.id == "agencies" and step.prompt is not shown
    assert step.prompt.selected != shown.selected
    assert conv.current_prompt() is step.prompt
    say(conv, "Health")  # and back as it was: rendered anew, reading the same
    again = conv.current_prompt()
    assert again is not shown and again == shown
    say(conv, "Police", "Done")
    assert conv.current_prompt().id != "agencies"

"""A new questionnaire costs a table: a tiny one, declared here, runs through the core as is.

The sketch has a free text (with a decision), a choice and a date asked only after one answer,
and an end state. Its texts are templates, as every questionnaire's are; having none of its
own, it borrows the review plan's folder (the question ids pick the templates).
"""

from __future__ import annotations

import json

import pytest

from dialogs.core.answers import answer_label
from dialogs.core.dialog import Dialog
from dialogs.core.machine import machine_for
from dialogs.core.prompts import AnswerRefused, DialogStateError
from dialogs.core.session import Session
from dialogs.core.table import CHANGE, Condition, Option, Question, Questionnaire
from dialogs.diagram import mermaid

REF = "LIR-2026-0042"
SEEN = Condition("seen", "family", ("yes",))
SKETCH = Questionnaire(
    name="sketch",
    questions=(
        Question("author", "Written by", "text", limit=40, decision="brief written by"),
        Question("family", "Family seen", "choice", (Option("Yes", "yes"), Option("No", "no"))),
        Question("iar_due", "Seen on", "date", when=(SEEN,)),
    ),
    folder="dialog/plan",
    refusals="dialog/plan/refused.j2",
    end="done",
)


def _start() -> Session:
    return Session(Dialog(SKETCH), SKETCH.first, {}, {"ref": REF})


def _refused(session: Session, value: str) -> str:
    before = (session.state, session.answers)
    with pytest.raises(AnswerRefused) as refused:
        session.answer(value)
    assert (session.state, session.answers) == before  # nothing changed
    return refused.value.code


def test_text_choice_and_date_run_through_the_core() -> None:
    session = _start()
    prompt = session.current_prompt()
    assert (prompt.id, prompt.kind, prompt.options) == ("author", "text", ())
    assert REF in prompt.text
    assert _refused(session, "x" * 41) == "too_long"
    assert _refused(session, " \u200b ") == "empty"
    step = session.answer("Team lead, call 07700 900123")
    assert step.redacted == ("phone number",)
    assert step.decision == "brief written by: Team lead, call [REDACTED]"
    assert (step.question, step.moved, step.prompt.kind) == ("author", True, "choice")

    assert _refused(session, "maybe") == "not_an_option"
    step = session.answer_label("Yes")
    assert (step.label, step.prompt.id, step.prompt.kind) == ("Yes", "iar_due", "date")
    for typed in ("31/12/2026", "2026-02-30", "soon"):
        assert _refused(session, typed) == "bad_date"
    step = session.answer(" 2026-12-31 ")
    assert step.complete and session.complete
    assert session.answers == {
        "author": "Team lead, call [REDACTED]",
        "family": "yes",
        "iar_due": "2026-12-31",
    }
    assert session.lines() == [
        ("Written by", "Team lead, call [REDACTED]"),
        ("Family seen", "Yes"),
        ("Seen on", "2026-12-31"),
    ]
    assert "Family seen: Yes" in step.prompt.text
    assert session.decisions() == ["brief written by: Team lead, call [REDACTED]"]
    assert _refused(session, "yes") == "complete"


def test_a_condition_skips_the_date_and_back_returns() -> None:
    session = _start()
    session.answer("A reviewer")
    with pytest.raises(AnswerRefused) as stale:
        session.answer("no", question="author")
    assert stale.value.code == "stale"
    assert session.back().id == "author"
    session.answer("Another reviewer")  # the family question is asked again: not answered
    assert session.state == "family"
    assert session.answer_label("No").complete  # the date is asked only when the family was seen
    assert "iar_due" not in session.answers
    first = _start()
    with pytest.raises(AnswerRefused) as refused:
        first.back()
    assert refused.value.code == "first_question"


def test_a_stored_session_is_restored_or_refused() -> None:
    session = _start()
    session.answer("A reviewer")
    session.answer_label("Yes")
    stored = json.loads(json.dumps({"state": session.state, "answers": session.answers}))
    dialog = Dialog(SKETCH)
    again = Session(dialog, stored["state"], dialog.validate(**stored), {"ref": REF})
    assert again.current_prompt() == session.current_prompt()
    again.answer("2026-01-05")
    assert again.complete
    for state, answers, message in [
        ("nowhere", {}, "sketch: unknown state"),
        ("family", {}, "'author' is not answered"),
        ("iar_due", {"author": "A", "family": "no"}, "not asked"),
        ("done", {"author": "A", "family": "yes", "iar_due": "05/01/2026"}, "does not fit"),
        ("family", {"author": ""}, "does not fit"),
    ]:
        with pytest.raises(DialogStateError, match=message):
            dialog.validate(state, answers)


def test_the_table_gets_its_one_machine_and_its_diagram() -> None:
    machine = machine_for(SKETCH)
    assert Dialog(SKETCH).machine is machine
    assert list(machine.states) == ["author", "family", "iar_due", "done"]
    drawing = mermaid(machine)
    for line in (
        "[*] --> author",
        "author --> family: next",
        "family --> iar_due: next [seen]",
        "family --> done: next",
        "iar_due --> done: next",
        "iar_due --> family: back",
    ):
        assert f"  {line}\n" in drawing
    assert answer_label(SKETCH.by_id["family"], "no") == "No"


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ((Question("a", "A", "choice", when=(SEEN,), options=(Option("Y", "y"),)),), "later"),
        ((Question("a", "A", "choice"),), "needs options"),
        ((Question("a", "A", "text"),), "needs options or a limit"),
        ((Question("a", "A", "date", not_before="a"),), "earlier date"),
        ((Question("a", "A", "choice", (Option("Y", "y"), Option("Z", "y"))),), "repeats"),
        (
            (
                Question("family", "F", "choice", (Option("Y", "yes"),)),
                Question("b", "B", "date", when=(Condition("seen", "family", ("no",)),)),
            ),
            "names a value",
        ),
        ((Question("a", "A", "choice", (CHANGE,)),), "change template"),
    ],
)
def test_a_contradictory_table_is_refused(questions: tuple[Question, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Questionnaire("broken", questions, "dialog/plan", "dialog/plan/refused.j2")

"""The feedback after a learning event as a table of the one questionnaire core: its three
questions in order (two typed through the intake, the safety score from `1` to `5`), each
template rendered, an answer that is no score refused, and the finished feedback's answers."""

from __future__ import annotations

import pytest

import templates
from dialogs.core.prompts import AnswerRefused
from dialogs.feedback import FeedbackDialog
from dialogs.feedback_questions import FEEDBACK

REF = "LIR-2026-0007"


def test_the_three_questions_in_turn_and_the_end() -> None:
    session = FeedbackDialog().start(REF)
    shown = {FEEDBACK.template(session.state)}
    assert "What did you learn?" in session.current_prompt().text
    assert session.answer("To share early, phone 07700 900123").redacted
    shown.add(FEEDBACK.template(session.state))
    assert "What will you do differently?" in session.current_prompt().text
    session.answer("Ask the child")
    shown.add(FEEDBACK.template(session.state))
    prompt = session.current_prompt()
    assert prompt.kind == "choice" and [o.label for o in prompt.options] == list("12345")
    with pytest.raises(AnswerRefused):
        session.answer("6", question="safety")
    session.answer("4", question="safety")
    shown.add(FEEDBACK.template(session.state))
    assert session.complete and "without your name" in session.current_prompt().text
    assert session.answers == {
        "learned": "To share early, phone [REDACTED]",
        "differently": "Ask the child",
        "safety": "4",
    }
    on_disk = {
        p.relative_to(templates.TEMPLATE_DIR).as_posix()
        for p in (templates.TEMPLATE_DIR / "dialog" / "feedback").glob("*.j2")
    }
    assert on_disk == shown

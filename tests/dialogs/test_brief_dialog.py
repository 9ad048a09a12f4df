"""The learning brief's questionnaire (SPEC §7): four sections asked by key phrase, each through
the intake (refused when too long, identifiers redacted), complete after the fourth."""

from __future__ import annotations

import pytest

from dialogs.brief import BriefDialog
from dialogs.brief_questions import BRIEF, DONE_STATE, SECTION
from dialogs.core.prompts import AnswerRefused, DialogStateError

REF = "LIR-2026-0042"
PHRASES = ("What happened", "What we learned", "What to do now", "Find out more")


def test_the_four_sections_are_asked_in_turn_by_their_key_phrase() -> None:
    dialog = BriefDialog()
    session = dialog.start(REF)
    for i, phrase in enumerate(PHRASES):
        prompt = session.current_prompt()
        assert prompt.kind == "text" and phrase in prompt.text and REF in prompt.text
        step = session.answer(f"section {i} text")
        assert step.complete == (i == len(PHRASES) - 1)
    assert session.state == DONE_STATE and session.complete
    assert REF in session.current_prompt().text
    assert [q.short for q in BRIEF.questions] == list(PHRASES)


def test_a_section_too_long_is_refused_and_asked_again() -> None:
    session = BriefDialog().start(REF)
    with pytest.raises(AnswerRefused) as refused:
        session.answer("x" * (SECTION + 1))
    assert refused.value.code == "too_long"
    assert str(SECTION) in refused.value.reason
    assert session.state == "what_happened" and session.answers == {}
    session.answer("x" * SECTION)  # the limit itself is accepted
    assert session.state == "learned"


def test_identifiers_are_redacted_and_a_restored_brief_carries_on() -> None:
    dialog = BriefDialog()
    session = dialog.start(REF)
    step = session.answer("The mother rang 07700 900123 twice")
    assert step.redacted == ("phone number",)
    assert "07700" not in session.answers["what_happened"]
    again = dialog.restore(REF, session.state, session.answers)
    assert again.state == "learned"
    with pytest.raises(DialogStateError):
        dialog.restore(REF, "to_do", {"what_happened": "x"})  # "learned" missing

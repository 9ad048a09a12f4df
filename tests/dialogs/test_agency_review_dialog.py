"""The agency review's questionnaire (SPEC §9) and the core's list kind, without Telegram: each
entry's leading date read before the intake (inside the period, or in the future for action
points), Done refused on too few entries, `/back` from the summary, a stored session restored,
and every template of the questionnaire rendering."""

from __future__ import annotations

import datetime as dt

import pytest

from dialogs.agency_review import AgencyReviewDialog, AgencyReviewSession
from dialogs.agency_review_questions import AGENCY_REVIEW
from dialogs.core.prompts import AnswerRefused
from dialogs.core.table import Question, Questionnaire
from templates import render

PERIOD = "2025-09-01 to 2026-02-28"
TODAY = dt.date(2026, 3, 2)


def _start() -> AgencyReviewSession:
    return AgencyReviewDialog().start("LIR-2026-0001", "Health", PERIOD, ["Why?"], TODAY)


def _refused(session: AgencyReviewSession, value: str) -> AnswerRefused:
    with pytest.raises(AnswerRefused) as caught:
        session.answer(value)
    return caught.value


def test_a_whole_agency_review_is_answered_with_its_lists() -> None:
    session = _start()
    prompt = session.current_prompt()
    assert prompt.kind == "list" and [o.label for o in prompt.options] == ["Done"]
    assert "chronology" in prompt.text and PERIOD in prompt.text
    assert _refused(session, "done").code == "need_entry"
    outside = _refused(session, "2024-01-01 A visit")
    assert outside.code == "entry_outside" and PERIOD in outside.reason
    assert _refused(session, "A visit without a date").code == "bad_entry"
    kept = session.answer("2025-10-03 Home visit; DOB 02/01/2019 noted")
    assert not kept.moved and kept.label == "2025-10-03 Home visit; DOB [REDACTED] noted"
    assert kept.redacted == ("date of birth",)
    session.answer("2025-11-01: GP saw the child")
    assert "2. 2025-11-01 GP saw the child" in session.current_prompt().text
    assert session.answer_label("Done").moved and session.state == "analysis"
    for text in ("Analysis", "Good practice", "Lessons"):
        session.answer(text)
    assert session.state == "action_points"
    assert _refused(session, "2026-03-02 Today is not the future").code == "entry_not_future"
    session.answer("2026-06-30 Audit strategy meetings")
    assert session.answer("done").complete
    assert "Submit to the board" in session.current_prompt().text
    assert session.chronology == [
        (dt.date(2025, 10, 3), "Home visit; DOB [REDACTED] noted"),
        (dt.date(2025, 11, 1), "GP saw the child"),
    ]
    assert session.action_points == [(dt.date(2026, 6, 30), "Audit strategy meetings")]
    session.back()
    assert session.state == "action_points"  # back from the summary, the entries kept
    restored = AgencyReviewDialog().restore(
        "LIR-2026-0001", "Health", session.state, session.answers, PERIOD, [], TODAY
    )
    assert restored.action_points == session.action_points
    assert restored.answer("done").complete


def test_moving_on_never_passes_a_list() -> None:
    session = _start()
    session.answer("2025-10-03 Home visit")
    session.answer("done")
    session.back()
    assert session.state == "chronology"
    session.answer("done")
    for text in ("Analysis", "Good practice"):
        session.answer(text)
    session.back()
    session.back()
    session.answer("A better analysis")  # went_well is answered: passed; lessons is not
    assert session.state == "lessons"
    session.answer("Lessons")
    assert session.state == "action_points"  # asked, though none is allowed


def test_an_undated_list_takes_any_entry_and_the_table_is_checked() -> None:
    notes = Question("notes", "Notes", "list", limit=50, least=2)
    table = Questionnaire(
        "notes", (notes,), "dialog/agency_review", "dialog/agency_review/refused.j2"
    )
    assert notes.buttons[0].label == "Done"
    assert notes.applies({}) and table.first == "notes"
    with pytest.raises(ValueError, match="a list question's"):
        Questionnaire("x", (Question("x", "X", "text", limit=5, least=1),), "f", "r")
    with pytest.raises(ValueError, match="more entries than it takes"):
        Questionnaire("y", (Question("y", "Y", "list", limit=5, least=3, most=2),), "f", "r")
    with pytest.raises(ValueError, match="needs an end state"):
        Questionnaire("z", (notes,), "f", "r", back_from_end=True)


def test_every_template_of_the_agency_review_renders() -> None:
    session = _start()
    for question in AGENCY_REVIEW.questions:
        assert session.context["agency"] in render(
            AGENCY_REVIEW.template(question.id),
            entries=["2025-10-03 X"],
            least=1,
            **session.context,
        )
    codes = ("stale", "complete", "need_entry", "bad_entry", "entry_outside", "first_question")
    for code in codes:
        assert render(
            AGENCY_REVIEW.refusals,
            code=code,
            least=1,
            form="F",
            period=PERIOD,
            dated="",
            date="2024-01-01",
        )

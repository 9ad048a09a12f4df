"""The core's period and lines kinds, the change list from the end state, and questions added to
a table after sessions were stored: a tiny table declared here runs them through the core as is
(it borrows the review plan's templates, whose ids it uses)."""

from __future__ import annotations

import datetime as dt

import pytest

from dialogs.core.answers import answer_label, parse_period
from dialogs.core.dialog import Dialog
from dialogs.core.prompts import AnswerRefused
from dialogs.core.session import Session
from dialogs.core.table import CHANGE_STATE, Option, Question, Questionnaire

REF = "LIR-2026-0042"
TODAY = dt.date(2026, 3, 2)
SKETCH = Questionnaire(
    name="sketch",
    questions=(
        Question("family", "Family seen", "choice", (Option("Yes", "yes"), Option("No", "no"))),
        Question("period", "Period under review", "period", up_to_today=True),
        Question("enquiry", "Key lines of enquiry", "lines", limit=40, most=3),
        Question("author", "Author", "text", limit=40),
    ),
    folder="dialog/plan",
    refusals="dialog/plan/refused.j2",
    end="done",
    change="dialog/plan/change.j2",
    added=frozenset({"period", "enquiry"}),
)


def _session(state: str = SKETCH.first, answers: dict[str, object] | None = None) -> Session:
    dialog = Dialog(SKETCH)
    at, checked = dialog.resume(state, answers or {})
    return Session(dialog, at, checked, {"ref": REF, "today": TODAY})


def _refused(session: Session, value: str) -> AnswerRefused:
    before = (session.state, session.answers)
    with pytest.raises(AnswerRefused) as refused:
        session.answer(value)
    assert (session.state, session.answers) == before  # nothing changed
    return refused.value


def test_a_period_is_two_dates_in_order_ending_by_today_and_never_redacted() -> None:
    session = _session()
    session.answer("yes")
    assert session.current_prompt().kind == "period"
    for typed, code in [
        ("2025-09-01", "bad_period"),
        ("from September to February", "bad_period"),
        ("2025-09-01 to 2025-02-30", "bad_period"),
        ("01/09/2025 to 28/02/2026", "bad_period"),
        ("2026-02-28 to 2025-09-01", "period_order"),
        ("2026-02-28 to 2026-02-28", "period_order"),
        ("2025-09-01 to 2026-03-03", "period_future"),
    ]:
        refused = _refused(session, typed)
        assert refused.code == code, typed
        assert "YYYY-MM-DD to YYYY-MM-DD" in refused.reason  # the form, said every time
    assert "2026-03-02" in _refused(session, "2025-09-01 to 2026-12-31").reason
    step = session.answer("  2025-09-01 TO 2026-03-02 ")  # today is the latest end
    assert (step.label, step.redacted) == ("2025-09-01 to 2026-03-02", ())
    assert session.answers["period"] == "2025-09-01 to 2026-03-02"
    assert parse_period(str(session.answers["period"])) == (dt.date(2025, 9, 1), TODAY)
    assert session.state == "enquiry"


def test_lines_are_one_message_one_a_line_each_through_the_intake() -> None:
    session = _session("enquiry", {"family": "no", "period": "2025-09-01 to 2026-02-28"})
    assert session.current_prompt().kind == "lines"
    assert _refused(session, " \n \u200b\n").code == "empty"
    too_many = _refused(session, "one\ntwo\nthree\nfour")
    assert too_many.code == "too_many_lines"
    assert "4 lines" in too_many.reason and "at most 3" in too_many.reason
    too_long = _refused(session, "short\n" + "x" * 41)
    assert too_long.code == "line_too_long" and "Line 2" in too_long.reason
    step = session.answer("Who saw the bruise?\n\n  Was 07700 900123 called?  \nWhy not shared")
    assert session.answers["enquiry"] == [
        "Who saw the bruise?",
        "Was [REDACTED] called?",
        "Why not shared",
    ]
    assert step.redacted == ("phone number",)
    assert step.label == "Who saw the bruise?; Was [REDACTED] called?; Why not shared"
    question = SKETCH.by_id["enquiry"]
    assert answer_label(question, ["a", "b"]) == "a; b"
    assert session.state == "author"


def test_a_session_stored_before_questions_were_added_asks_only_them() -> None:
    stored = {"family": "yes", "author": "Independent reviewer"}
    session = _session("done", stored)  # complete before the table grew
    assert session.state == "period" and not session.complete
    session.answer("2025-09-01 to 2026-02-28")
    session.answer("Who knew?")
    assert session.complete  # the author it had is kept, not asked again
    assert session.answers["author"] == "Independent reviewer"
    in_progress = _session("author", {"family": "no"})
    assert in_progress.state == "period"


def test_a_complete_session_changes_an_answer_from_its_end() -> None:
    answers = {
        "family": "yes",
        "period": "2025-09-01 to 2026-02-28",
        "enquiry": ["Who knew?"],
        "author": "A reviewer",
    }
    session = _session("done", answers)
    assert session.complete
    assert _refused(session, "yes").code == "complete"
    step = session.answer("change")
    assert (step.moved, session.state) == (False, CHANGE_STATE)
    prompt = session.current_prompt()
    assert [o.label for o in prompt.options] == [
        "Family seen",
        "Period under review",
        "Key lines of enquiry",
        "Author",
        "Back to summary",
    ]
    assert REF in prompt.text
    session.answer("summary")
    assert session.complete and session.answers == answers
    session.answer("change")
    session.answer("enquiry")
    assert session.state == "enquiry"
    step = session.answer("Who knew?\nWho was told?")
    assert step.complete and session.answers["enquiry"] == ["Who knew?", "Who was told?"]
    assert session.answers["author"] == "A reviewer"


def test_the_table_refuses_what_the_new_kinds_cannot_mean() -> None:
    with pytest.raises(ValueError, match="`most` is a lines question's"):
        Questionnaire("bad", (Question("x", "X", "lines", limit=10),), "f", "r")
    with pytest.raises(ValueError, match="`most` is a lines question's"):
        Questionnaire("bad", (Question("x", "X", "date", up_to_today=True),), "f", "r")
    with pytest.raises(ValueError, match="needs a review question or an end"):
        Questionnaire("bad", (Question("x", "X", "date"),), "f", "r", change="c")
    with pytest.raises(ValueError, match="`added` names a question"):
        Questionnaire("bad", (Question("x", "X", "date"),), "f", "r", added=frozenset({"y"}))

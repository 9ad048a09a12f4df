"""The review plan dialog of SPEC §5 as transcripts: the option labels of the contract, the
reasons after `Other` and each `No`, dates refused and asked again, restore mid-way."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from dialogs.core.answers import answer_lines
from dialogs.core.machine import machine_for
from dialogs.core.prompts import AnswerRefused, DialogStateError
from dialogs.plan import PlanDialog, PlanSession
from dialogs.plan_questions import PLAN, PLAN_QUESTIONS
from matrix import load_matrix

AGENCIES = ("Children's social care", "Health", "Police", "Education")
REF = "LIR-2026-0007"


@pytest.fixture
def dialog() -> PlanDialog:
    return PlanDialog(AGENCIES, load_matrix())


def walk(session: PlanSession, answers: list[str]) -> list[str]:
    """Answer by label; the question ids seen, in order (the last is where it stopped)."""
    seen = [session.current_prompt().id]
    for label in answers:
        session.answer_label(label)
        seen.append(session.current_prompt().id)
    return seen


FULL_YES = [
    "Welsh model",
    "Health",
    "Done",
    "Yes",
    "Yes",
    "Not applicable",
    "Full report",
    "2025-09-01 to 2026-02-28",
    "Why was the nursery's worry not shared?\nWho knew of the bruising, and when?",
    "2026-04-30",
    "2026-06-30",
    "2026-07-31",
    "Independent author",
]
AT_IAR_DUE = 9  # FULL_YES[:AT_IAR_DUE] answers up to the first date


def test_the_contract_labels_and_key_phrases(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    expected = {
        "methodology": (["Welsh model", "SCIE", "Other"], "methodology"),
        "iar_agencies": ([*AGENCIES, "Done"], "individual agency"),
        "family": (["Yes", "No"], "family"),
        "staff": (["Yes", "No"], "front-line staff"),
        "panel": (["Yes", "No", "Not applicable"], "national panel"),
        "publication": (["Full report", "Shortened report", "Management letter"], "publish"),
        "period": ([], "period under review"),
        "enquiry": ([], "key lines of enquiry"),
        "iar_due": ([], "due"),
        "report_due": ([], "due"),
        "publication_date": ([], "publication date"),
        "author": ([], "author"),
    }
    seen = set()
    for label in FULL_YES:
        prompt = session.current_prompt()
        seen.add(prompt.id)
        labels, phrase = expected[prompt.id]
        assert [o.label for o in prompt.options] == labels
        assert phrase in prompt.text and REF in prompt.text
        assert all(len(f"p:{REF}:{prompt.id}:{o.value}".encode()) <= 64 for o in prompt.options)
        session.answer_label(label)
    assert seen == set(expected)
    assert session.complete and session.decisions() == []


def test_all_yes_path(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    seen = walk(session, FULL_YES)
    assert list(dict.fromkeys(seen)) == [q.id for q in PLAN_QUESTIONS if not q.when] + ["done"]
    assert session.answers == {
        "methodology": "welsh",
        "iar_agencies": ["Health"],
        "family": "yes",
        "staff": "yes",
        "panel": "na",
        "publication": "full",
        "period": "2025-09-01 to 2026-02-28",
        "enquiry": [
            "Why was the nursery's worry not shared?",
            "Who knew of the bruising, and when?",
        ],
        "iar_due": "2026-04-30",
        "report_due": "2026-06-30",
        "publication_date": "2026-07-31",
        "author": "Independent author",
    }
    prompt = session.current_prompt()
    assert prompt.id == "done" and prompt.options == ()
    assert "Publication and readership: Full report" in prompt.text
    assert "Period under review: 2025-09-01 to 2026-02-28" in prompt.text
    assert "Key lines of enquiry: Why was the nursery&#39;s worry not shared?; Who knew" in (
        prompt.text
    )


def test_other_and_no_ask_for_reasons_which_are_decisions(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    steps = []
    for label in ["Other", "Appreciative inquiry, agreed with the panel", "Done", "No"]:
        steps.append(session.answer_label(label))
    assert session.state == "family_reason"
    step = session.answer("Family moved abroad; contact via 07700 900123 failed")
    assert step.decision == (
        "family not involved: Family moved abroad; contact via [REDACTED] failed"
    )
    assert step.redacted == ("phone number",)
    session.answer_label("No")
    step = session.answer_label("Agency restructure: the staff have left")
    assert step.decision == (
        "front-line staff and volunteers not involved: Agency restructure: the staff have left"
    )
    assert session.state == "panel"
    assert session.decisions() == [
        "family not involved: Family moved abroad; contact via [REDACTED] failed",
        "front-line staff and volunteers not involved: Agency restructure: the staff have left",
    ]
    assert steps[0].moved and steps[0].label == "Other"
    assert session.answers["iar_agencies"] == []
    assert ("Individual agency reviews", "none") in answer_lines(PLAN, session.answers)


def test_toggles_keep_the_configured_order_and_untoggle(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    session.answer_label("SCIE")
    for label in ["Police", "Children's social care", "Education", "Education"]:
        step = session.answer_label(label)
        assert not step.moved
    prompt = session.current_prompt()
    assert prompt.selected == ("0", "2")
    assert "Chosen: Children's social care, Police" in html.unescape(prompt.text)
    step = session.answer_label("Done")
    assert step.label == "Children's social care, Police" and step.moved


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("31/04/2026", "bad_date"),
        ("2026-4-30", "bad_date"),
        ("2026-02-30", "bad_date"),
        ("next Tuesday", "bad_date"),
        ("", "bad_date"),
        ("2026-13-01", "bad_date"),
    ],
)
def test_bad_dates_are_refused_and_asked_again(dialog: PlanDialog, typed: str, code: str) -> None:
    session = dialog.start(REF)
    walk(session, FULL_YES[:AT_IAR_DUE])
    assert session.state == "iar_due"
    with pytest.raises(AnswerRefused) as refused:
        session.answer(typed)
    assert refused.value.code == code
    assert "YYYY-MM-DD" in refused.value.reason
    assert session.state == "iar_due" and "iar_due" not in session.answers
    session.answer(" 2026-03-02 ")  # spaces around it are fine; a past date too
    assert session.state == "report_due"


def test_example_dates_are_taken_from_today(dialog: PlanDialog) -> None:
    session = dialog.start(REF, today=dt.date(2026, 12, 1))
    walk(session, FULL_YES[:AT_IAR_DUE])
    assert "for example 2027-01-26" in session.current_prompt().text  # 8 weeks on
    with pytest.raises(AnswerRefused, match="for example 2027-01-26"):
        session.answer("soon")
    session.answer("2027-01-26")
    assert "for example" not in session.current_prompt().text  # "not before" says it instead


def test_a_due_date_already_past_is_asked_about_then_taken_when_confirmed(
    dialog: PlanDialog,
) -> None:
    session = dialog.start(REF, today=dt.date(2026, 12, 1))
    walk(session, FULL_YES[:AT_IAR_DUE])
    with pytest.raises(AnswerRefused) as refused:
        session.answer("2026-11-30")
    assert refused.value.code == "past_date"
    assert "2026-11-30 is already past" in refused.value.reason
    assert "2026-11-30!" in refused.value.reason
    assert "iar_due" not in session.answers
    session.answer("2026-11-30!")  # yes: it was due then
    assert session.answers["iar_due"] == "2026-11-30" and session.state == "report_due"
    restored = dialog.restore(REF, session.state, session.answers, today=dt.date(2026, 12, 1))
    restored.answer("2026-12-01")  # today is not past
    assert restored.state == "publication_date"


def test_dates_must_follow_each_other(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    walk(session, FULL_YES[: AT_IAR_DUE + 1])
    with pytest.raises(AnswerRefused, match="when the individual agency reviews are due"):
        session.answer("2026-04-29")
    session.answer("2026-04-30")  # the same day is allowed
    with pytest.raises(AnswerRefused, match="2026-04-30, when the report is due") as refused:
        session.answer("2026-04-01")
    assert refused.value.code == "date_order"
    session.answer("2026-05-01")
    assert session.state == "author"


def test_refused_answers_change_nothing(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    with pytest.raises(AnswerRefused) as refused:
        session.answer("maybe")
    assert refused.value.code == "not_an_option"
    with pytest.raises(AnswerRefused) as stale:
        session.answer("yes", question="family")
    assert stale.value.code == "stale"
    session.answer_label("Other")
    with pytest.raises(AnswerRefused) as empty:
        session.answer("  \u200b ")
    assert empty.value.code == "empty"
    with pytest.raises(AnswerRefused) as long:
        session.answer("x" * 1001)
    assert long.value.code == "too_long" and "1001" in long.value.reason
    assert session.state == "methodology_reason" and session.answers == {"methodology": "other"}
    walk(session, ["A reason", *FULL_YES[1:]])
    with pytest.raises(AnswerRefused) as done:
        session.answer("yes")
    assert done.value.code == "complete"


def test_restore_mid_way_and_refuse_misfits(dialog: PlanDialog) -> None:
    session = dialog.start(REF)
    walk(session, ["Welsh model", "Done", "No"])
    restored = PlanDialog(AGENCIES, load_matrix()).restore(REF, session.state, session.answers)
    assert restored.state == "family_reason"
    restored.answer("Risk to the child's placement")
    assert restored.state == "staff"

    with pytest.raises(DialogStateError, match="plan: unknown state"):
        dialog.restore(REF, "nowhere", {})
    with pytest.raises(DialogStateError, match="'methodology' is not answered"):
        dialog.restore(REF, "family", {})
    with pytest.raises(DialogStateError, match="not asked"):
        dialog.restore(REF, "family_reason", {"methodology": "scie", "family": "yes"})
    with pytest.raises(DialogStateError, match="does not fit"):
        dialog.restore(REF, "family", {"methodology": "scie", "iar_agencies": ["Fire"]})
    with pytest.raises(DialogStateError, match="does not fit"):
        dialog.restore(REF, "report_due", {"iar_due": "31/12/2026"})
    with pytest.raises(DialogStateError, match="plan: unknown question"):
        dialog.restore(REF, "methodology", {"colour": "blue"})


def test_one_machine_for_every_plan(dialog: PlanDialog) -> None:
    first, second = dialog.start(REF), dialog.start("LIR-2026-0008")
    first.answer_label("SCIE")
    assert (first.state, second.state) == ("iar_agencies", "methodology")
    assert dialog.machine is machine_for(PLAN)
    assert set(dialog.machine.states) == {q.id for q in PLAN_QUESTIONS} | {"done", "change"}
    with pytest.raises(ValueError, match="at least one agency"):
        PlanDialog([], load_matrix())


def test_every_plan_template_renders(dialog: PlanDialog) -> None:
    from templates import TEMPLATE_DIR, render

    rendered = set()
    session = dialog.start(REF)
    for label in ["Other", "A reason", "Done", "No", "A reason", "No", "A reason", *FULL_YES[5:]]:
        if session.complete:
            break
        rendered.add(f"dialog/plan/{session.state}.j2")
        assert session.current_prompt().text
        session.answer_label(label)
    assert session.current_prompt().text
    rendered.add("dialog/plan/done.j2")
    session.answer("change")
    assert REF in session.current_prompt().text
    rendered.add("dialog/plan/change.j2")
    codes = ("stale", "complete", "not_an_option", "empty", "too_long", "bad_date")
    periods = ("bad_period", "period_order", "period_future", "too_many_lines", "line_too_long")
    for code in (*codes, "date_order", *periods):
        context = {"limit": 10, "length": 11, "earlier": "iar_due", "most": 10, "count": 11}
        context |= {"form": "YYYY-MM-DD to YYYY-MM-DD", "today": "2026-03-02", "line": 2}
        text = render("dialog/plan/refused.j2", code=code, date="2026-04-30", **context)
        assert text and "cannot be accepted" not in text
    rendered.add("dialog/plan/refused.j2")
    on_disk = {
        p.relative_to(TEMPLATE_DIR).as_posix()
        for p in (TEMPLATE_DIR / "dialog" / "plan").glob("*.j2")
    }
    assert on_disk == rendered


@pytest.mark.parametrize(
    ("profile", "panel", "letter"),
    [
        ("2013", "national panel of independent experts", "from the independent chair"),
        (
            "wt2023",
            "Child Safeguarding Practice Review Panel",
            "from the three safeguarding partners",
        ),
    ],
)
def test_the_plan_asks_in_the_words_of_the_boards_profile(
    profile: str, panel: str, letter: str
) -> None:
    from matrix.engine import profile_matrix

    dialog = PlanDialog(AGENCIES, profile_matrix(profile))
    answers = {"methodology": "scie", "iar_agencies": [], "family": "yes", "staff": "yes"}
    asked = dialog.restore(REF, "panel", answers).current_prompt().text
    assert panel in asked
    after = dialog.restore(REF, "publication", {**answers, "panel": "yes"})
    assert letter in after.current_prompt().text

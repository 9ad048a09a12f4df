"""Changing an answer from the summary, restoring a stored conversation, and refusals."""

from __future__ import annotations

import json

import pytest
from dialog_helpers import finish_common, labels, new_dialog, plain, say, start_concern

from dialogs.practitioner import (
    AnswerRefused,
    Conversation,
    DialogStateError,
    PractitionerDialog,
)
from matrix.engine import load_matrix


def _living_child_at_confirm(conv: Conversation) -> None:
    start_concern(conv)
    say(conv, "No", "Yes", "Taken to hospital for treatment", "No")  # died..disability
    say(conv, "No", "No", "Yes", "No", "No", "Done", "Some curiosity", "Don't know")
    finish_common(conv)
    assert conv.state == "confirm"


def test_change_lists_the_answered_questions_and_goes_back_to_the_summary(
    conv: Conversation,
) -> None:
    _living_child_at_confirm(conv)
    prompt = say(conv, "Change an answer").prompt
    assert prompt.id == "change"
    assert "change" in plain(prompt.text)
    assert labels(prompt)[:4] == [
        "Immediate risk",
        "Concern or good practice",
        "Abuse or neglect",
        "Child died",
    ]
    assert "Privacy" not in labels(prompt)
    assert "Died in custody" not in labels(prompt)  # not asked on this branch
    assert labels(prompt)[-1] == "Back to summary"

    assert say(conv, "Back to summary").prompt.id == "confirm"
    say(conv, "Change an answer")
    assert conv.back().id == "confirm"


def test_changing_died_to_yes_drops_the_living_child_answers_and_asks_the_new_ones(
    conv: Conversation,
) -> None:
    _living_child_at_confirm(conv)
    assert conv.result().grade == "severe"
    say(conv, "Change an answer", "Child died")
    assert conv.current_prompt().selected == ("no",)

    prompt = say(conv, "Yes").prompt
    assert prompt.id == "custody"  # newly asked
    prompt = say(conv, "No").prompt
    assert prompt.id == "suicide"
    prompt = say(conv, "No").prompt
    assert prompt.id == "confirm"  # everything else was answered already

    answers = conv.answers
    for dropped in ("harmed", "injury", "disability", "selfharm"):
        assert dropped not in answers
    assert answers["sexual"] == "no" and answers["agencies"] == ["Police"]
    assert "injury" not in conv.facts()
    result = conv.result()
    assert result.grade == "catastrophic"  # abuse known and the child died
    assert result.flags["cdop"]


def test_changing_to_good_practice_drops_every_concern_answer(conv: Conversation) -> None:
    _living_child_at_confirm(conv)
    say(conv, "Change an answer", "Concern or good practice")
    prompt = say(conv, "Good practice").prompt
    assert prompt.id == "confirm"
    assert set(conv.answers) == {
        "privacy",
        "immediate",
        "kind",
        "agencies",
        "describe",
        "reference",
    }
    assert conv.result().grade == "best_practice"


def test_changing_an_answer_without_a_new_branch_returns_to_the_summary(
    conv: Conversation,
) -> None:
    _living_child_at_confirm(conv)
    say(conv, "Change an answer", "Injury")
    prompt = say(conv, "Minor injuries or bruises").prompt
    assert prompt.id == "confirm"
    assert "Injury: Minor injuries or bruises" in plain(prompt.text)


def test_changing_the_agencies_keeps_the_choice_until_done(conv: Conversation) -> None:
    _living_child_at_confirm(conv)
    say(conv, "Change an answer", "Agencies involved")
    prompt = conv.current_prompt()
    assert prompt.selected == ("2",)  # Police, the third agency
    prompt = say(conv, "Health").prompt
    assert prompt.id == "agencies" and prompt.selected == ("1", "2")
    assert say(conv, "Done").prompt.id == "confirm"
    assert conv.answers["agencies"] == ["Health", "Police"]


def test_toggles_switch_on_and_off_and_done_may_choose_none(conv: Conversation) -> None:
    start_concern(conv)
    say(conv, "Yes", "No", "No", "No", "No", "No", "No")
    assert conv.state == "status"
    assert say(conv, "Child protection plan").prompt.selected == ("cp_plan",)
    assert say(conv, "Significant services").prompt.selected == ("cp_plan", "services")
    prompt = say(conv, "Child protection plan").prompt
    assert prompt.selected == ("services",)
    assert "Chosen: Significant services" in plain(prompt.text)
    say(conv, "Significant services")
    assert say(conv, "Done").prompt.id == "together"
    assert conv.facts()["child_status"] == []


# -- restore ----------------------------------------------------------------------------------


def test_restore_midway_into_a_new_dialog_continues_at_the_same_question() -> None:
    first = new_dialog().start()
    start_concern(first)
    say(first, "No", "Yes")
    state, answers = first.state, first.answers
    assert state == "injury"

    again = new_dialog().restore(state, answers)  # as a fresh process would
    assert again.state == "injury"
    assert again.answers == answers
    assert again.current_prompt() == first.current_prompt()
    assert say(again, "No physical injury").prompt.id == "disability"


def test_json_round_trip_gives_an_identical_conversation(dialog: PractitionerDialog) -> None:
    conv = dialog.start()
    start_concern(conv, immediate="Yes")
    say(conv, "Yes", "No", "No", "No", "No", "Yes", "No", "Child in need")
    stored = json.dumps({"state": conv.state, "answers": conv.answers})

    data = json.loads(stored)
    restored = dialog.restore(data["state"], data["answers"])
    assert restored.state == conv.state == "status"
    assert restored.answers == conv.answers
    assert restored.current_prompt() == conv.current_prompt()
    assert restored.facts() == conv.facts()
    assert restored.urgent and conv.urgent
    assert say(restored, "Done").prompt == say(conv, "Done").prompt


def test_restore_at_confirm_shows_the_same_summary(dialog: PractitionerDialog) -> None:
    conv = dialog.start()
    _living_child_at_confirm(conv)
    restored = dialog.restore("confirm", json.loads(json.dumps(conv.answers)))
    assert restored.current_prompt().text == conv.current_prompt().text


@pytest.mark.parametrize(
    ("state", "answers", "message"),
    [
        ("nowhere", {}, "unknown state"),
        ("immediate", {"privacy": "ok", "favourite": "yes"}, "unknown question"),
        ("immediate", {"privacy": "ok", "confirm": "submit"}, "unknown question"),
        ("kind", {"privacy": "ok", "immediate": "maybe"}, "does not fit"),
        ("kind", {"privacy": "ok", "immediate": ["yes"]}, "does not fit"),
        ("agencies", {"privacy": "ok", "agencies": ["Fire brigade"]}, "does not fit"),
        ("agencies", {"privacy": "ok", "status": ["cp_plan", "cp_plan"]}, "does not fit"),
        ("kind", {"privacy": "ok"}, "'immediate' is not answered"),
        (
            "custody",
            {"privacy": "ok", "immediate": "no", "kind": "concern", "abuse": "none", "died": "no"},
            "not asked",
        ),
    ],
)
def test_restore_refuses_what_does_not_fit(
    dialog: PractitionerDialog, state: str, answers: dict[str, object], message: str
) -> None:
    with pytest.raises(DialogStateError, match=message):
        dialog.restore(state, answers)


def test_agencies_must_be_configured_once_each() -> None:
    with pytest.raises(ValueError, match="at least one agency"):
        PractitionerDialog([], load_matrix())
    with pytest.raises(ValueError, match="each once"):
        PractitionerDialog(["Health", "Health"], load_matrix())


# -- refusals ---------------------------------------------------------------------------------


def _refused(conv: Conversation, value: str, question: str | None = None) -> AnswerRefused:
    state, answers = conv.state, conv.answers
    with pytest.raises(AnswerRefused) as info:
        conv.answer(value, question=question)
    assert (conv.state, conv.answers) == (state, answers)  # nothing changed
    return info.value


def test_a_button_from_an_earlier_question_is_refused(conv: Conversation) -> None:
    start_concern(conv)
    say(conv, "No")
    assert conv.state == "harmed"
    refusal = _refused(conv, "yes", question="died")
    assert refusal.code == "stale"
    assert "earlier question" in refusal.reason


def test_an_option_of_another_question_is_refused(conv: Conversation) -> None:
    start_concern(conv)
    refusal = _refused(conv, "known")  # abuse's option, at `died`
    assert refusal.code == "not_an_option"
    assert "buttons" in refusal.reason
    assert _refused(conv, "0").code == "not_an_option"  # an agency toggle
    assert _refused(conv, "done").code == "not_an_option"


def test_typed_text_where_buttons_are_asked_is_refused_and_not_echoed(
    conv: Conversation,
) -> None:
    say(conv, "I understand")
    refusal = _refused(conv, "The child lives at 10 Acacia Avenue")
    assert "Acacia" not in refusal.reason


def test_unknown_label_is_refused(conv: Conversation) -> None:
    with pytest.raises(AnswerRefused):
        conv.answer_label("Maybe")
    assert conv.state == "privacy"


def test_back_at_the_first_question_is_refused(conv: Conversation) -> None:
    with pytest.raises(AnswerRefused) as info:
        conv.back()
    assert info.value.code == "first_question"
    assert "first question" in info.value.reason
    assert conv.state == "privacy"


def test_done_without_an_agency_is_refused(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice")
    assert _refused(conv, "done").code == "need_choice"
    say(conv, "Health", "Health")  # on and off again
    refusal = _refused(conv, "done")
    assert "at least one agency" in refusal.reason
    assert _refused(conv, "7").code == "not_an_option"  # no eighth agency


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\u200b\u200d\u2060", "\u202e\x00"])
def test_empty_descriptions_are_refused(conv: Conversation, text: str) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    refusal = _refused(conv, text)
    assert refusal.code == "empty"
    assert "type your answer" in refusal.reason and "Skip" not in refusal.reason


def test_empty_reference_is_refused_mentioning_skip(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done", "Team audit.")
    refusal = _refused(conv, " ")
    assert "Skip" in refusal.reason


def test_overlong_texts_are_refused_with_the_limit(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    refusal = _refused(conv, "x" * 2001)
    assert refusal.code == "too_long"
    assert "2001" in refusal.reason and "2000" in refusal.reason
    say(conv, "y" * 2000)  # exactly the limit is fine
    assert _refused(conv, "R" * 61).code == "too_long"
    say(conv, "R" * 60)
    assert conv.state == "confirm"


def test_invisible_and_control_characters_are_removed(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    say(conv, "Good\u200b joint\x07 work\u202e.\r\n\r\n\r\n\r\nShared  plan.")
    assert conv.answers["describe"] == "Good joint work.\n\nShared plan."
    say(conv, "REF\n42")
    assert conv.answers["reference"] == "REF 42"


# -- the privacy guard --------------------------------------------------------------------------


def test_identifiers_are_redacted_before_they_are_kept(conv: Conversation) -> None:
    raw_email, raw_nhs = "j.bloggs@example.org", "943 476 5919"
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    step = conv.answer(f"Mother ({raw_email}) gave NHS number {raw_nhs} at the clinic.")
    assert step.redacted == ("NHS number", "email address")
    kept = conv.answers["describe"]
    assert kept == "Mother ([REDACTED]) gave NHS number [REDACTED] at the clinic."
    assert raw_email not in repr(vars(conv)) and raw_nhs not in repr(vars(conv))

    step = conv.answer("Call 020 7946 0018")
    assert step.redacted == ("phone number",)
    assert conv.answers["reference"] == "Call [REDACTED]"
    assert raw_email not in conv.current_prompt().text


def test_text_without_identifiers_reports_nothing_redacted(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    step = conv.answer("Referral LIR-2026-0001 discussed; child in Year 6.")
    assert step.redacted == ()
    assert conv.answers["describe"] == "Referral LIR-2026-0001 discussed; child in Year 6."


def test_typed_markup_is_shown_as_text_in_the_summary(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    say(conv, "<b>bold</b> & <a href='x'>link</a>", "Skip")
    text = conv.current_prompt().text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=" in text
    assert "<a href" not in text

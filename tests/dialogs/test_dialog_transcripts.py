"""Transcripts of the practitioner's conversation (SPEC §2): every path, pressed by label."""

from __future__ import annotations

from dialog_helpers import finish_common, labels, plain, say, start_concern

from dialogs.practitioner import Conversation


def test_opening_asks_for_no_names_then_immediate_risk_then_kind(conv: Conversation) -> None:
    prompt = conv.current_prompt()
    assert prompt.id == "privacy"
    assert "no names" in plain(prompt.text).lower()
    assert labels(prompt) == ["I understand"]

    prompt = say(conv, "I understand").prompt
    assert "immediate risk" in plain(prompt.text)
    assert labels(prompt) == ["Yes", "No"]

    prompt = say(conv, "No").prompt
    assert "good practice" in plain(prompt.text)
    assert labels(prompt) == ["A concern", "Good practice"]


def test_death_branch_asks_custody_and_suicide_and_not_the_living_child_questions(
    conv: Conversation,
) -> None:
    prompt = start_concern(conv).prompt
    assert "died" in plain(prompt.text)

    prompt = say(conv, "Yes").prompt
    assert prompt.id == "custody"
    assert "custody" in plain(prompt.text)

    prompt = say(conv, "No").prompt
    assert prompt.id == "suicide"
    assert "suicide" in plain(prompt.text)

    prompt = say(conv, "Yes").prompt
    assert prompt.id == "sexual"  # harmed, injury and disability are for a living child
    asked_next = []
    for label in ["No", "No", "No", "No"]:  # sexual, homicide, charged, education
        asked_next.append(say(conv, label).prompt.id)
    assert asked_next == ["homicide", "charged", "education", "status"]  # no self-harm
    say(conv, "Done", "Don't know", "Don't know")
    prompt = finish_common(conv).prompt

    assert prompt.id == "confirm"
    assert labels(prompt) == ["Submit to the board", "Change an answer", "Cancel"]
    assert "submit" in plain(prompt.text)
    result = conv.result()
    assert result.grade == "catastrophic"
    assert result.flags["scr_required"] and result.flags["cdop"]
    # 2013.3: a suspected suicide is a death under 5(2)(b)(i), catastrophic with the abuse
    assert [m.id for m in result.matched] == ["cat_abuse_child_died"]
    facts = conv.facts()
    assert facts["child_died"] is True and facts["suspected_suicide"] is True
    assert facts["death_in_custody"] is False
    assert "seriously_harmed" not in facts and "injury" not in facts
    text = plain(prompt.text)
    assert "Grade: Catastrophic" in text
    assert "Serious Case Review required" in text
    assert "Notify CDOP" in text
    assert "suspected suicide" in text  # the matched criterion, quoted


def test_death_in_custody_is_catastrophic_without_abuse(conv: Conversation) -> None:
    start_concern(conv, abuse="Neither")
    say(conv, "Yes", "Yes", "No")  # died, custody, suicide
    say(conv, "No", "No", "No", "No", "Done", "No concerns", "None identified")
    finish_common(conv)
    result = conv.result()
    assert result.grade == "catastrophic"
    assert [m.id for m in result.matched if m.grade == "catastrophic"] == ["cat_death_in_custody"]


def test_living_child_branch_asks_harm_injury_disability_and_self_harm(
    conv: Conversation,
) -> None:
    start_concern(conv, abuse="Suspected")
    prompt = say(conv, "No").prompt
    assert prompt.id == "harmed" and "seriously harmed" in plain(prompt.text)

    prompt = say(conv, "Yes").prompt
    assert prompt.id == "injury" and "injury" in plain(prompt.text)
    assert labels(prompt) == [
        "Admitted to hospital over 24 hours",
        "Taken to hospital for treatment",
        "Minor injuries or bruises",
        "No physical injury",
    ]
    prompt = say(conv, "Admitted to hospital over 24 hours").prompt
    assert prompt.id == "disability" and "permanent disability" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert "sexual abuse" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert "domestic homicide" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert prompt.id == "selfharm" and "self-harm" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert "charged with neglect" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert "missing education" in plain(prompt.text)
    prompt = say(conv, "No").prompt
    assert "child protection plan" in plain(prompt.text)
    assert labels(prompt) == [
        "Child protection plan",
        "Child in need",
        "Significant services",
        "Done",
    ]
    prompt = say(conv, "Child in need", "Done").prompt
    assert "worked together" in plain(prompt.text)
    assert labels(prompt) == ["Cause for concern", "Some curiosity", "No concerns", "Don't know"]
    prompt = say(conv, "Cause for concern").prompt
    assert "standards" in plain(prompt.text)
    assert labels(prompt) == [
        "Professional or statutory",
        "Internal policy or procedure",
        "Minor non-compliance",
        "None identified",
        "Don't know",
    ]
    prompt = say(conv, "Internal policy or procedure").prompt
    assert "agencies" in plain(prompt.text)
    assert conv.state == "agencies"
    prompt = finish_common(conv, agencies=("Health", "Police")).prompt

    assert prompt.id == "confirm"
    assert "custody" not in conv.answers and "suicide" not in conv.answers
    result = conv.result()
    # abuse suspected + seriously harmed + cause for concern: catastrophic under 5(2)(b)(ii)
    assert result.grade == "catastrophic"
    assert result.flags["scr_required"] and result.flags["scr_unless_no_concerns"]
    assert not result.flags["cdop"]
    assert conv.facts()["child_status"] == ["cin"]
    assert conv.answers["agencies"] == ["Health", "Police"]
    text = plain(prompt.text)
    assert "Serious Case Review unless it is clear there are no concerns" in text
    assert "the chair must record that judgement" in text  # the matrix's own words now
    assert "Injury: Admitted to hospital over 24 hours" in text
    assert "Agencies involved: Health, Police" in text


def test_good_practice_skips_every_concern_question(conv: Conversation) -> None:
    prompt = say(conv, "I understand", "No", "Good practice").prompt
    assert prompt.id == "agencies"
    prompt = finish_common(conv, agencies=("Education",)).prompt
    assert prompt.id == "confirm"
    assert conv.facts() == {"immediate_risk": False, "good_practice": True}
    assert conv.result().grade == "best_practice"
    assert "Grade: Best practice" in plain(prompt.text)
    assert set(conv.answers) == {
        "privacy",
        "immediate",
        "kind",
        "agencies",
        "describe",
        "reference",
    }


def test_immediate_risk_is_urgent_at_once_and_only_once(conv: Conversation) -> None:
    say(conv, "I understand")
    step = say(conv, "Yes")
    assert step.urgent_now and conv.urgent
    assert step.prompt.id == "kind"  # and the check carries on

    conv.back()
    step = say(conv, "Yes")  # the same answer again: already urgent
    assert not step.urgent_now and conv.urgent

    say(conv, "Good practice")
    prompt = finish_common(conv).prompt
    result = conv.result()
    assert result.flags["urgent"]
    assert conv.facts()["immediate_risk"] is True
    assert "URGENT" in plain(prompt.text)


def test_answering_no_to_immediate_risk_after_yes_clears_urgent(conv: Conversation) -> None:
    say(conv, "I understand", "Yes")
    conv.back()
    step = say(conv, "No")
    assert not step.urgent_now and not conv.urgent


def test_back_from_harmed_returns_to_died_and_a_new_answer_takes_the_other_branch(
    conv: Conversation,
) -> None:
    start_concern(conv)
    say(conv, "No")
    assert conv.state == "harmed"

    prompt = conv.back()
    assert prompt.id == "died"
    assert prompt.selected == ("no",)  # the earlier answer is shown as chosen

    prompt = say(conv, "Yes").prompt
    assert prompt.id == "custody"


def test_back_from_sexual_when_the_child_died_returns_to_suicide(conv: Conversation) -> None:
    start_concern(conv)
    say(conv, "Yes", "No", "Yes")  # died, custody, suicide
    assert conv.state == "sexual"
    assert conv.back().id == "suicide"
    assert conv.back().id == "custody"
    assert conv.back().id == "died"
    assert conv.back().id == "abuse"


def test_back_from_sexual_when_the_child_lived_returns_to_disability(
    conv: Conversation,
) -> None:
    start_concern(conv)
    say(conv, "No", "No", "No physical injury", "No")
    assert conv.state == "sexual"
    assert conv.back().id == "disability"


def test_back_from_agencies_after_good_practice_returns_to_kind(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice")
    assert conv.back().id == "kind"


def test_reanswering_after_back_returns_to_the_first_unanswered_question(
    conv: Conversation,
) -> None:
    start_concern(conv)
    say(conv, "No", "No", "Minor injuries or bruises")
    assert conv.state == "disability"
    conv.back()
    conv.back()
    assert conv.state == "harmed"
    prompt = say(conv, "No").prompt
    assert prompt.id == "disability"  # injury is already answered


def test_submit_and_cancel_finish_without_changing_the_answers(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice")
    finish_common(conv)
    before = conv.answers
    step = say(conv, "Submit to the board")
    assert step.finished == "submit"
    assert conv.state == "confirm" and conv.answers == before
    step = say(conv, "Cancel")
    assert step.finished == "cancel"


def test_reference_is_kept_when_typed(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done")
    say(conv, "Joint work between school nurse and family support.")
    prompt = conv.current_prompt()
    assert "case reference" in plain(prompt.text)
    assert labels(prompt) == ["Skip"]
    say(conv, "  CS-2291/B  ")
    assert conv.answers["reference"] == "CS-2291/B"
    assert "Case reference: CS-2291/B" in plain(conv.current_prompt().text)


def test_typing_skip_skips_the_reference(conv: Conversation) -> None:
    say(conv, "I understand", "No", "Good practice", "Health", "Done", "Peer review of a plan.")
    step = conv.answer(" Skip ")
    assert step.prompt.id == "confirm"
    assert conv.answers["reference"] == ""
    assert "Case reference: not given" in plain(step.prompt.text)

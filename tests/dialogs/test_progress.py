"""How far through the check a practitioner is: "Question 6 of about 17"."""

from __future__ import annotations

from dialogs.core.progress import progress
from dialogs.practitioner import Conversation
from dialogs.questions import CHECK


def test_the_first_question_is_one_of_the_longest_path(conv: Conversation) -> None:
    # privacy … reference on a concern about a living child: all but custody, suicide, confirm.
    assert conv.progress() == (1, len(CHECK.questions) - 3)


def test_the_estimate_shrinks_as_answers_narrow_the_path(conv: Conversation) -> None:
    seen = []
    for label in ("I understand", "No", "A concern", "Suspected", "Yes"):
        conv.answer_label(label)
        seen.append(conv.progress())
    assert seen == [(2, 19), (3, 19), (4, 19), (5, 19), (6, 17)]  # the child died: 2 fewer
    assert conv.state == "custody"


def test_good_practice_is_a_short_check(conv: Conversation) -> None:
    for label in ("I understand", "No", "Good practice"):
        conv.answer_label(label)
    assert conv.state == "agencies"
    assert conv.progress() == (4, 6)  # then describe and reference; the summary is no step


def test_the_summary_and_the_change_list_are_not_counted_as_steps() -> None:
    answers = {"privacy": "ok", "immediate": "no", "kind": "good_practice"}
    assert progress(CHECK, "confirm", answers) is None
    assert progress(CHECK, "change", answers) is None


def test_the_answer_before_a_question_is_what_the_screen_repeats(conv: Conversation) -> None:
    assert conv.last_answer() is None
    conv.answer_label("I understand")
    conv.answer_label("Yes")
    assert conv.last_answer() == ("Immediate risk", "Yes")

"""The practitioner's summary says what finding out an unknown answer would change ("could be"
in the matrix's words), none for a good-practice check, and lists every statutory flag the
matrix defines that is set (notifiable included) without naming flags in the template."""

from __future__ import annotations

import html
import re

from dialogs.summary import summary_context
from matrix import could_be_text, grade, load_matrix
from templates import render

ABUSE_HARM_UNKNOWN = {
    "abuse_or_neglect": "suspected",
    "seriously_harmed": True,
    "interagency_concern": "unknown",
}


def summary(facts: dict[str, object]) -> str:
    text = render(
        "dialog/summary.j2",
        urgent=False,
        **summary_context({}, grade(facts, load_matrix()), load_matrix()),
    )
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def test_dont_know_shows_what_finding_out_would_change() -> None:
    result = grade(ABUSE_HARM_UNKNOWN, load_matrix())
    assert result.could_be, "the matrix names a higher grade for this unknown"
    text = summary(ABUSE_HARM_UNKNOWN)
    assert "What finding out would change" in text
    for entry in result.could_be:
        assert could_be_text(entry, load_matrix()) in text
    assert "Could be Catastrophic if" in text


def test_good_practice_and_known_answers_show_no_could_be() -> None:
    assert "What finding out would change" not in summary({"good_practice": True})
    known = {**ABUSE_HARM_UNKNOWN, "interagency_concern": "cause_for_concern"}
    assert "Could be" not in summary(known)


def test_every_set_flag_is_listed_notifiable_included() -> None:
    text = summary(ABUSE_HARM_UNKNOWN)
    flags = grade(ABUSE_HARM_UNKNOWN, load_matrix()).flags
    assert flags["notifiable"]
    for name, rule in load_matrix().flags.items():
        assert (rule.description in text) == bool(flags.get(name)), name
    assert "Notifiable serious incident" in text

"""Matrix 2013.3 (SPEC §3): the three changed rows, each beside the appendix wording it comes
from, the issue's three examples, and the `notifiable` flag."""

from __future__ import annotations

from typing import Any

import pytest

from matrix import FLAGS, grade, load_matrix

MATRIX = load_matrix()
ABUSE_DEATH = (
    "where abuse or neglect of a child is known or suspected & either (i) the child has died"
)
SUICIDE = "Regulation 5(2)(b)(i) includes where a child dies by suspected suicide"
CUSTODY = "A SCR should always be carried out if a child dies in custody"
DEATH = "Death of a child"
ABUSE_HARM = "the child has been seriously harmed"
SERIOUS_INCIDENT = "Serious Incident Report or review"
STATUTORY_FAILURE = "Failure to meet professional standards and/or statutory requirements"
INTERNAL_FAILURE = "Failure to meet internal standards and policy, procedure"

# (case id, the appendix wording the deciding criterion quotes, facts, grade, deciding criterion,
#  flags expected true)
ROWS: list[tuple[str, tuple[str, ...], dict[str, Any], str, str, set[str]]] = [
    # (a) a suspected suicide is a death that needs abuse, like any other death under 5(2)(b)(i)
    (
        "suspected suicide, no abuse: any other death, not catastrophic",
        (DEATH,),
        {"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "none"},
        "significant",
        "sig_child_died",
        {"cdop"},
    ),
    (
        "suspected suicide with suspected abuse: a death under 5(2)(a) and (b)(i)",
        (ABUSE_DEATH, SUICIDE),
        {"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "suspected"},
        "catastrophic",
        "cat_abuse_child_died",
        {"scr_required", "cdop", "notifiable"},
    ),
    (
        "suspected suicide with known abuse",
        (ABUSE_DEATH, SUICIDE),
        {"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "known"},
        "catastrophic",
        "cat_abuse_child_died",
        {"scr_required", "cdop", "notifiable"},
    ),
    (
        "suspected suicide in custody, no abuse: death in custody is always an SCR",
        (CUSTODY,),
        {"child_died": True, "suspected_suicide": True, "death_in_custody": True},
        "catastrophic",
        "cat_death_in_custody",
        {"scr_required", "cdop"},
    ),
    (
        "death in custody, no abuse, no suicide",
        (CUSTODY,),
        {"child_died": True, "death_in_custody": True},
        "catastrophic",
        "cat_death_in_custody",
        {"scr_required", "cdop"},
    ),
    (
        "any other death, nothing else known",
        (DEATH,),
        {"child_died": True},
        "significant",
        "sig_child_died",
        {"cdop"},
    ),
    # (b) abuse and serious harm, whatever is said of inter-agency working
    (
        "abuse, seriously harmed, no concerns about inter-agency working: never no review",
        (ABUSE_HARM, SERIOUS_INCIDENT),
        {"abuse_or_neglect": "known", "seriously_harmed": True, "interagency_concern": "none"},
        "significant",
        "sig_abuse_harm",
        {"notifiable"},
    ),
    (
        "suspected abuse, seriously harmed, no concerns, standards not known",
        (ABUSE_HARM, SERIOUS_INCIDENT),
        {"abuse_or_neglect": "suspected", "seriously_harmed": True, "interagency_concern": "none"},
        "significant",
        "sig_abuse_harm",
        {"notifiable"},
    ),
    # (c) a failure to meet professional standards and/or statutory requirements on its own
    (
        "statutory or professional failure on its own",
        (STATUTORY_FAILURE,),
        {"standards": "statutory_or_professional"},
        "significant",
        "sig_statutory_standards",
        set(),
    ),
    (
        "internal policy failure on its own stays low, below the statutory failure",
        (INTERNAL_FAILURE,),
        {"standards": "internal_policy"},
        "low",
        "low_internal_standards",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("quotes", "facts", "expected_grade", "deciding", "expected_flags"),
    [pytest.param(q, f, g, d, fl, id=name) for name, q, f, g, d, fl in ROWS],
)
def test_changed_rows_follow_the_appendix(
    quotes: tuple[str, ...],
    facts: dict[str, Any],
    expected_grade: str,
    deciding: str,
    expected_flags: set[str],
) -> None:
    result = grade(facts, load_matrix())
    assert result.grade == expected_grade
    assert result.matched[0].id == deciding
    for quote in quotes:
        assert quote in result.matched[0].text
    assert {name for name in FLAGS if result.flags[name]} == expected_flags
    assert result.matrix_version == "2013.3"


def test_the_issues_three_examples() -> None:
    # 2013.2 graded this none: a statutory failure and serious harm from suspected abuse
    worse = grade(
        {
            "abuse_or_neglect": "suspected",
            "seriously_harmed": True,
            "interagency_concern": "none",
            "standards": "statutory_or_professional",
        },
        load_matrix(),
    )
    assert worse.grade != "none"
    assert worse.grade == "significant"
    assert {m.id for m in worse.matched} == {"sig_abuse_harm", "sig_statutory_standards"}
    assert grade({"standards": "statutory_or_professional"}, load_matrix()).grade == "significant"
    suicide = grade(
        {"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "none"}, load_matrix()
    )
    assert suicide.grade == "significant"
    assert not suicide.flags["scr_required"]
    assert suicide.flags["cdop"]
    assert [m.id for m in suicide.matched] == ["sig_child_died"]


def test_no_suicide_criterion_stands_on_its_own() -> None:
    """The suicide fact alone decides nothing: it needs a death, and abuse or custody to be
    catastrophic."""
    ids = {c.id for c in MATRIX.criteria}
    assert "cat_suspected_suicide" not in ids
    assert {"sig_abuse_harm", "sig_statutory_standards"} <= ids
    assert grade({"suspected_suicide": True}, load_matrix()).grade == "none"


def test_a_worse_situation_never_grades_below_a_milder_one() -> None:
    """The cases 2013.3 closed: each pair's second is the worse situation."""
    pairs = [
        ({"standards": "internal_policy"}, {"standards": "statutory_or_professional"}),
        ({"seriously_harmed": True}, {"seriously_harmed": True, "abuse_or_neglect": "known"}),
        (
            {"seriously_harmed": True, "interagency_concern": "none"},
            {"seriously_harmed": True, "interagency_concern": "none", "abuse_or_neglect": "known"},
        ),
    ]
    order = ("none", "best_practice", "low", "moderate", "significant", "severe", "catastrophic")
    for milder, worse in pairs:
        assert order.index(grade(worse, load_matrix()).grade) >= order.index(
            grade(milder, load_matrix()).grade
        ), worse


NOTIFIABLE = [
    ({"abuse_or_neglect": "known", "child_died": True}, True),
    ({"abuse_or_neglect": "suspected", "child_died": True}, True),
    ({"abuse_or_neglect": "known", "seriously_harmed": True}, True),
    (
        {"abuse_or_neglect": "suspected", "seriously_harmed": True, "interagency_concern": "none"},
        True,
    ),
    ({"abuse_or_neglect": "none", "child_died": True}, False),
    ({"abuse_or_neglect": "none", "seriously_harmed": True}, False),
    ({"abuse_or_neglect": "known"}, False),
    ({"abuse_or_neglect": "known", "injury": "hospital_admission_over_24h"}, False),
    ({"child_died": True, "death_in_custody": True}, False),
]


@pytest.mark.parametrize(("facts", "expected"), NOTIFIABLE)
def test_notifiable_is_abuse_with_a_death_or_serious_harm(
    facts: dict[str, Any], expected: bool
) -> None:
    result = grade(facts, load_matrix())
    assert result.flags["notifiable"] is expected
    assert result.to_dict()["flags"]["notifiable"] is expected


def test_notifiable_has_the_2013_words_and_no_invented_deadline() -> None:
    rule = MATRIX.flags["notifiable"]
    assert "notifiable" in FLAGS
    assert "local authority notifies it as its procedures require" in rule.description
    assert not any(ch.isdigit() for ch in rule.description)
    assert "days" not in rule.description

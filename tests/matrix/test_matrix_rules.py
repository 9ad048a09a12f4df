"""Every criterion and flag of SPEC §3, the precedence and the overlaps, as one table."""

from __future__ import annotations

from typing import Any

import pytest
from routes import row_route

from matrix import FLAGS, GRADES, grade, load_matrix

KNOWN = {"abuse_or_neglect": "known"}
SUSPECTED = {"abuse_or_neglect": "suspected"}
STATUTORY = {"standards": "statutory_or_professional"}

# (case id, facts, expected grade, expected matched ids in order, flags expected true)
CASES: list[tuple[str, dict[str, Any], str, list[str], set[str]]] = [
    # nothing
    ("empty facts", {}, "none", [], set()),
    ("all defaults given", {"injury": "none", "standards": "unknown"}, "none", [], set()),
    # catastrophic
    (
        "known abuse, child died",
        {**KNOWN, "child_died": True},
        "catastrophic",
        ["cat_abuse_child_died"],
        {"scr_required", "cdop", "notifiable"},
    ),
    (
        "suspected abuse, child died",
        {**SUSPECTED, "child_died": True},
        "catastrophic",
        ["cat_abuse_child_died"],
        {"scr_required", "cdop", "notifiable"},
    ),
    (
        "abuse, seriously harmed, cause for concern",
        {**KNOWN, "seriously_harmed": True, "interagency_concern": "cause_for_concern"},
        "catastrophic",
        ["cat_abuse_harm_cause_for_concern", "sig_abuse_harm"],
        {"scr_required", "scr_unless_no_concerns", "notifiable"},
    ),
    (
        "suspected abuse, seriously harmed, cause for concern",
        {**SUSPECTED, "seriously_harmed": True, "interagency_concern": "cause_for_concern"},
        "catastrophic",
        ["cat_abuse_harm_cause_for_concern", "sig_abuse_harm"],
        {"scr_required", "scr_unless_no_concerns", "notifiable"},
    ),
    (
        "died in custody, no abuse",
        {"child_died": True, "death_in_custody": True},
        "catastrophic",
        ["cat_death_in_custody"],
        {"scr_required", "cdop"},
    ),
    (
        "died by suspected suicide, no abuse: any other death (2013.3)",
        {"child_died": True, "suspected_suicide": True},
        "significant",
        ["sig_child_died"],
        {"cdop"},
    ),
    (
        "died by suspected suicide, suspected abuse",
        {**SUSPECTED, "child_died": True, "suspected_suicide": True},
        "catastrophic",
        ["cat_abuse_child_died"],
        {"scr_required", "cdop", "notifiable"},
    ),
    ("custody without a death", {"death_in_custody": True}, "none", [], set()),
    ("suicide without a death", {"suspected_suicide": True}, "none", [], set()),
    (
        "abuse and death, agencies fine: still catastrophic",
        {**KNOWN, "child_died": True, "seriously_harmed": True, "interagency_concern": "none"},
        "catastrophic",
        ["cat_abuse_child_died", "sig_abuse_harm"],
        {"scr_required", "cdop", "notifiable"},
    ),
    # severe
    (
        "abuse, seriously harmed, curiosity",
        {**KNOWN, "seriously_harmed": True, "interagency_concern": "curiosity"},
        "severe",
        ["sev_abuse_harm_curiosity", "sig_abuse_harm"],
        {"scr_unless_no_concerns", "notifiable"},
    ),
    (
        "abuse, seriously harmed, interagency unknown (default)",
        {**SUSPECTED, "seriously_harmed": True},
        "severe",
        ["sev_abuse_harm_curiosity", "sig_abuse_harm"],
        {"scr_unless_no_concerns", "notifiable"},
    ),
    (
        "abuse, seriously harmed, no interagency concerns: significant (2013.3)",
        {**KNOWN, "seriously_harmed": True, "interagency_concern": "none"},
        "significant",
        ["sig_abuse_harm"],
        {"notifiable"},
    ),
    (
        "seriously harmed, cause for concern, no abuse",
        {"seriously_harmed": True, "interagency_concern": "cause_for_concern"},
        "none",
        [],
        set(),
    ),
    (
        "abuse, cause for concern, not seriously harmed",
        {**KNOWN, "interagency_concern": "cause_for_concern"},
        "none",
        [],
        set(),
    ),
    (
        "hospital admission over 24 hours",
        {"injury": "hospital_admission_over_24h"},
        "severe",
        ["sev_hospital_admission"],
        set(),
    ),
    (
        "admission over 24 hours with statutory failure: no significant treatment match",
        {"injury": "hospital_admission_over_24h", **STATUTORY},
        "severe",
        ["sev_hospital_admission", "sig_statutory_standards"],
        set(),
    ),
    (
        "permanent disability",
        {"permanent_disability": True},
        "severe",
        ["sev_permanent_disability"],
        set(),
    ),
    (
        "sexual abuse or CSE",
        {"sexual_abuse_or_cse": True},
        "severe",
        ["sev_sexual_abuse_cse"],
        set(),
    ),
    (
        "parent killed in a domestic homicide",
        {"parent_domestic_homicide": True},
        "severe",
        ["sev_parent_domestic_homicide"],
        set(),
    ),
    # significant
    ("any other death", {"child_died": True}, "significant", ["sig_child_died"], {"cdop"}),
    (
        "hospital treatment with statutory failure",
        {"injury": "hospital_treatment", **STATUTORY},
        "significant",
        ["sig_hospital_treatment_standards", "sig_statutory_standards", "mod_hospital_treatment"],
        set(),
    ),
    (
        "self-harm with statutory failure",
        {"significant_self_harm": True, **STATUTORY},
        "significant",
        ["sig_self_harm_standards", "sig_statutory_standards", "mod_self_harm"],
        set(),
    ),
    # moderate
    (
        "hospital treatment, standards unknown",
        {"injury": "hospital_treatment"},
        "moderate",
        ["mod_hospital_treatment"],
        set(),
    ),
    (
        "hospital treatment with internal policy failure",
        {"injury": "hospital_treatment", "standards": "internal_policy"},
        "moderate",
        ["mod_hospital_treatment", "low_internal_standards"],
        set(),
    ),
    (
        "hospital treatment, no standards failure",
        {"injury": "hospital_treatment", "standards": "none"},
        "moderate",
        ["mod_hospital_treatment"],
        set(),
    ),
    (
        "self-harm, standards unknown",
        {"significant_self_harm": True},
        "moderate",
        ["mod_self_harm"],
        set(),
    ),
    (
        "self-harm with minor non-compliance",
        {"significant_self_harm": True, "standards": "minor_noncompliance"},
        "moderate",
        ["mod_self_harm", "low_internal_standards"],
        set(),
    ),
    (
        "parents charged with neglect, child on a plan",
        {"parents_charged_with_neglect": True, "child_status": ["cp_plan"]},
        "moderate",
        ["mod_neglect_or_education_with_services"],
        set(),
    ),
    (
        "missing education, child in need",
        {"missing_education": True, "child_status": ["cin"]},
        "moderate",
        ["mod_neglect_or_education_with_services"],
        set(),
    ),
    (
        "missing education, significant services and a plan",
        {"missing_education": True, "child_status": ["significant_services", "cp_plan"]},
        "moderate",
        ["mod_neglect_or_education_with_services"],
        set(),
    ),
    (
        "parents charged, no child status",
        {"parents_charged_with_neglect": True},
        "none",
        [],
        set(),
    ),
    ("missing education, no child status", {"missing_education": True}, "none", [], set()),
    ("child status alone", {"child_status": ["cp_plan", "cin"]}, "none", [], set()),
    # low
    ("minor injury", {"injury": "minor"}, "low", ["low_minor_injury"], set()),
    (
        "internal policy failure",
        {"standards": "internal_policy"},
        "low",
        ["low_internal_standards"],
        set(),
    ),
    (
        "minor non-compliance",
        {"standards": "minor_noncompliance"},
        "low",
        ["low_internal_standards"],
        set(),
    ),
    (
        "minor injury and internal failure",
        {"injury": "minor", "standards": "internal_policy"},
        "low",
        ["low_minor_injury", "low_internal_standards"],
        set(),
    ),
    (
        "statutory failure alone: significant (2013.3)",
        {**STATUTORY},
        "significant",
        ["sig_statutory_standards"],
        set(),
    ),
    ("no standards failure", {"standards": "none"}, "none", [], set()),
    # best practice and precedence
    ("good practice", {"good_practice": True}, "best_practice", ["bp_good_practice"], set()),
    (
        "good practice with a statutory failure: the concern wins (2013.3)",
        {"good_practice": True, **STATUTORY},
        "significant",
        ["sig_statutory_standards"],
        set(),
    ),
    (
        "good practice with no standards failure and no concern criterion",
        {"good_practice": True, "standards": "none", "interagency_concern": "none"},
        "best_practice",
        ["bp_good_practice"],
        set(),
    ),
    (
        "good practice with a minor injury: the concern wins",
        {"good_practice": True, "injury": "minor"},
        "low",
        ["low_minor_injury"],
        set(),
    ),
    (
        "good practice with a death: the concern wins",
        {"good_practice": True, "child_died": True},
        "significant",
        ["sig_child_died"],
        {"cdop"},
    ),
    # urgent
    ("immediate risk alone", {"immediate_risk": True}, "none", [], {"urgent"}),
    (
        "immediate risk with good practice",
        {"immediate_risk": True, "good_practice": True},
        "best_practice",
        ["bp_good_practice"],
        {"urgent"},
    ),
    (
        "immediate risk with a hospital admission",
        {"immediate_risk": True, "injury": "hospital_admission_over_24h"},
        "severe",
        ["sev_hospital_admission"],
        {"urgent"},
    ),
    (
        "abuse and death: 'any other death' does not also match",
        {**SUSPECTED, "child_died": True, "injury": "minor"},
        "catastrophic",
        ["cat_abuse_child_died", "low_minor_injury"],
        {"scr_required", "cdop", "notifiable"},
    ),
    # everything at once: every match reported, highest grade first, file order within
    (
        "every concern at once",
        {
            **KNOWN,
            "immediate_risk": True,
            "good_practice": True,
            "child_died": True,
            "death_in_custody": True,
            "suspected_suicide": True,
            "seriously_harmed": True,
            "injury": "hospital_admission_over_24h",
            "permanent_disability": True,
            "sexual_abuse_or_cse": True,
            "parent_domestic_homicide": True,
            "significant_self_harm": True,
            "parents_charged_with_neglect": True,
            "missing_education": True,
            "child_status": ["cp_plan", "cin", "significant_services"],
            "interagency_concern": "cause_for_concern",
            **STATUTORY,
        },
        "catastrophic",
        [
            "cat_abuse_child_died",
            "cat_abuse_harm_cause_for_concern",
            "cat_death_in_custody",
            "sev_hospital_admission",
            "sev_permanent_disability",
            "sev_sexual_abuse_cse",
            "sev_parent_domestic_homicide",
            "sig_abuse_harm",
            "sig_self_harm_standards",
            "sig_statutory_standards",
            "mod_self_harm",
            "mod_neglect_or_education_with_services",
        ],
        set(FLAGS),
    ),
]


@pytest.mark.parametrize(
    ("facts", "expected_grade", "expected_ids", "expected_flags"),
    [pytest.param(f, g, m, fl, id=name) for name, f, g, m, fl in CASES],
)
def test_rule_table(
    facts: dict[str, Any], expected_grade: str, expected_ids: list[str], expected_flags: set[str]
) -> None:
    result = grade(facts, load_matrix())
    assert result.grade == expected_grade
    assert [m.id for m in result.matched] == expected_ids
    assert {name for name, on in result.flags.items() if on} == expected_flags
    assert set(result.flags) == set(FLAGS)


def test_table_covers_every_criterion_and_flag() -> None:
    matrix = load_matrix()
    matched = {i for _, _, _, ids, _ in CASES for i in ids}
    assert matched == {c.id for c in matrix.criteria}
    flagged = {f for *_, flags in CASES for f in flags}
    assert flagged == set(FLAGS)
    assert {g for _, _, g, _, _ in CASES} == {*GRADES, "none"}


def test_matches_ordered_highest_grade_first_and_carry_quotes() -> None:
    matrix = load_matrix()
    result = grade(
        {**KNOWN, "child_died": True, "injury": "hospital_treatment", **STATUTORY}, load_matrix()
    )
    assert [m.grade for m in result.matched] == [
        "catastrophic",
        "significant",
        "significant",
        "moderate",
    ]
    quotes = {c.id: c.quote for c in matrix.criteria}
    for match in result.matched:
        assert match.text == quotes[match.id]
    assert result.matched[0].ref == "reg. 5(2)(a) and (b)(i)"
    assert "the child has died" in result.matched[0].text


def test_route_comes_from_the_graded_row() -> None:
    matrix = load_matrix()
    for facts, expected in [
        ({"child_died": True, "death_in_custody": True}, "catastrophic"),
        ({"permanent_disability": True}, "severe"),
        ({"child_died": True}, "significant"),
        ({"significant_self_harm": True}, "moderate"),
        ({"injury": "minor"}, "low"),
        ({"good_practice": True}, "best_practice"),
        ({}, "none"),
    ]:
        result = grade(facts, load_matrix())
        info = matrix.info(expected)
        assert result.grade == expected
        assert result.review_types == row_route(matrix, expected, result.flags)
        assert result.methodology == info.methodology
        assert result.reporting == info.reporting
        assert result.matrix_version == matrix.version


def test_route_wording_of_the_appendix() -> None:
    catastrophic = grade({**KNOWN, "child_died": True}, load_matrix())
    assert "Serious Case Review" in catastrophic.review_types
    assert any("Welsh" in m for m in catastrophic.methodology)
    assert "SCIE" in catastrophic.methodology
    assert "Publication" in catastrophic.reporting
    low = grade({"injury": "minor"}, load_matrix())
    assert low.review_types == ("Practice manager audit or review",)
    none = grade({}, load_matrix())
    assert none.review_types == ("No formal review indicated",)
    assert any("safeguarding lead" in m for m in none.methodology)
    assert any("may still refer" in m for m in none.methodology)

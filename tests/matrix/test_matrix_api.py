"""The engine's public API: facts validation, defaults, Result and Matrix accessors."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from matrix import (
    FLAGS,
    GRADES,
    NONE,
    FactsError,
    Result,
    grade,
    load_matrix,
    normalize_facts,
    rank,
)


@pytest.mark.parametrize(
    ("facts", "key", "in_message"),
    [
        pytest.param(
            {"injurie": "minor"}, "injurie", ["'injurie'", "injury", "child_died"], id="unknown key"
        ),
        pytest.param(
            {"injury": "broken_arm"},
            "injury",
            [
                "injury",
                "broken_arm",
                "none, minor, hospital_treatment, hospital_admission_over_24h",
            ],
            id="enum value outside the set",
        ),
        pytest.param(
            {"abuse_or_neglect": "Known"},
            "abuse_or_neglect",
            ["abuse_or_neglect", "known, suspected, none"],
            id="enum value wrong case",
        ),
        pytest.param(
            {"child_died": "yes"},
            "child_died",
            ["child_died", '"yes"', "true, false"],
            id="bool as string",
        ),
        pytest.param(
            {"child_died": 1}, "child_died", ["child_died", "true, false"], id="bool as number"
        ),
        pytest.param(
            {"good_practice": None}, "good_practice", ["good_practice", "null"], id="bool null"
        ),
        pytest.param(
            {"injury": 2}, "injury", ["injury", "hospital_treatment"], id="enum as number"
        ),
        pytest.param(
            {"child_status": "cin"},
            "child_status",
            ["child_status", "not a list", "cp_plan, cin, significant_services"],
            id="set as string",
        ),
        pytest.param(
            {"child_status": ["cin", "looked_after"]},
            "child_status",
            ["child_status", "looked_after", "cp_plan, cin, significant_services"],
            id="set item outside the set",
        ),
        pytest.param(
            {"standards": "statutory"},
            "standards",
            ["standards", "statutory_or_professional, internal_policy"],
            id="standards value outside the set",
        ),
        pytest.param(
            {"interagency_concern": ["curiosity"]},
            "interagency_concern",
            ["interagency_concern", "cause_for_concern, curiosity, none, unknown"],
            id="enum as list",
        ),
    ],
)
def test_bad_facts_name_the_key_and_allowed_values(
    facts: dict[str, Any], key: str, in_message: list[str]
) -> None:
    with pytest.raises(FactsError) as info:
        grade(facts, load_matrix())
    assert info.value.key == key
    for text in in_message:
        assert text in str(info.value)


@pytest.mark.parametrize("facts", [[], "facts", None, 3], ids=["list", "string", "null", "number"])
def test_facts_must_be_an_object(facts: Any) -> None:
    with pytest.raises(FactsError, match="facts must be an object"):
        grade(facts, load_matrix())


def test_missing_keys_take_the_defaults_of_the_spec() -> None:
    facts = normalize_facts({}, load_matrix())
    assert facts == {
        "immediate_risk": False,
        "good_practice": False,
        "abuse_or_neglect": "none",
        "child_died": False,
        "death_in_custody": False,
        "suspected_suicide": False,
        "seriously_harmed": False,
        "injury": "none",
        "permanent_disability": False,
        "sexual_abuse_or_cse": False,
        "parent_domestic_homicide": False,
        "significant_self_harm": False,
        "parents_charged_with_neglect": False,
        "missing_education": False,
        "child_status": (),
        "interagency_concern": "unknown",
        "standards": "unknown",
    }


def test_set_facts_are_normalised_in_schema_order_without_duplicates() -> None:
    facts = normalize_facts(
        {"child_status": ["significant_services", "cp_plan", "cp_plan"]}, load_matrix()
    )
    assert facts["child_status"] == ("cp_plan", "significant_services")


def test_to_dict_has_exactly_the_keys_of_spec_6_and_is_json() -> None:
    result = grade({"abuse_or_neglect": "known", "child_died": True}, load_matrix())
    data = result.to_dict()
    assert list(data) == [
        "grade",
        "flags",
        "matched",
        "review_types",
        "methodology",
        "reporting",
        "matrix_version",
        "could_be",
    ]
    assert data["could_be"] == []  # catastrophic: nothing is higher
    assert list(data["flags"]) == list(FLAGS)
    assert all(isinstance(v, bool) for v in data["flags"].values())
    assert data["matched"][0] == {
        "grade": "catastrophic",
        "id": "cat_abuse_child_died",
        "text": result.matched[0].text,
    }
    assert json.loads(json.dumps(data)) == data
    assert data["matrix_version"] == load_matrix().version


def test_result_is_frozen_and_hashable() -> None:
    result = grade({"injury": "minor"}, load_matrix())
    assert isinstance(result, Result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.grade = "severe"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.matched[0].grade = "severe"  # type: ignore[misc]
    assert hash(result) == hash(grade({"injury": "minor"}, load_matrix()))
    assert result == grade({"injury": "minor"}, load_matrix())


def test_grading_leaves_the_callers_facts_alone() -> None:
    facts: dict[str, Any] = {"child_status": ["cin"], "missing_education": True}
    grade(facts, load_matrix())
    assert facts == {"child_status": ["cin"], "missing_education": True}


def test_load_matrix_reads_the_packaged_file_once() -> None:
    assert load_matrix() is load_matrix()
    assert load_matrix().version


def test_matrix_is_read_only() -> None:
    matrix = load_matrix()
    with pytest.raises(TypeError):
        matrix.grades["low"] = matrix.grades["severe"]  # type: ignore[index]


def test_grades_labels_and_order() -> None:
    matrix = load_matrix()
    assert GRADES == ("catastrophic", "severe", "significant", "moderate", "low", "best_practice")
    assert tuple(matrix.grades) == GRADES
    assert matrix.label("catastrophic") == "Catastrophic"
    assert matrix.label("best_practice") == "Best practice"
    assert matrix.label(NONE) == "No formal review"
    assert [rank(g) for g in (NONE, *reversed(GRADES))] == list(range(7))


def test_higher_grades() -> None:
    matrix = load_matrix()
    assert matrix.higher_grades("catastrophic") == ()
    assert matrix.higher_grades("significant") == ("catastrophic", "severe")
    assert matrix.higher_grades("best_practice") == GRADES[:-1]
    assert matrix.higher_grades(NONE) == GRADES
    with pytest.raises(ValueError, match="unknown grade"):
        matrix.higher_grades("dreadful")


def test_info_gives_the_appendix_wording_of_each_row() -> None:
    matrix = load_matrix()
    catastrophic = matrix.info("catastrophic")
    assert "the child has died" in catastrophic.incident
    assert "must always trigger a SCR" in catastrophic.statutory_compliance
    assert catastrophic.type_of_review == "Serious Case Review/CDOP"
    assert "SCIE" in catastrophic.approaches
    assert "Publication" in catastrophic.reputation
    assert "RIDDOR" in matrix.info("severe").incident
    assert "Death of a child" in matrix.info("significant").incident
    assert "Failure to meet internal standards" in matrix.info("moderate").statutory_compliance
    assert "Abrasions/bruises" in matrix.info("low").incident
    assert "good outcomes for children" in matrix.info("best_practice").statutory_compliance
    for g in GRADES:
        info = matrix.info(g)
        assert info.incident and info.statutory_compliance and info.type_of_review
        assert info.reputation and info.review_types and info.methodology and info.reporting
    none = matrix.info(NONE)
    assert none.review_types == ("No formal review indicated",)
    with pytest.raises(ValueError, match="unknown grade"):
        matrix.info("Severe")


def test_criteria_for_a_grade() -> None:
    matrix = load_matrix()
    assert [c.id for c in matrix.criteria_for("low")] == [
        "low_minor_injury",
        "low_internal_standards",
    ]
    assert all(c.grade == "severe" for c in matrix.criteria_for("severe"))
    assert sum(len(matrix.criteria_for(g)) for g in GRADES) == len(matrix.criteria)

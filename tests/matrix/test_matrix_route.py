"""The flags and the route follow the grade a referral has now (SPEC §3): `route_for_grade`."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from routes import CDOP, row_route

from matrix import FLAGS, GRADES, FactsError, Route, grade, load_matrix, route_for_grade

MATRIX = load_matrix()
PACKAGED = resources.files("matrix").joinpath("matrix.toml").read_text(encoding="utf-8")


def on(flags: dict[str, bool]) -> set[str]:
    return {name for name in FLAGS if flags[name]}


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"child_died": True},
        {"abuse_or_neglect": "known", "seriously_harmed": True},
        {"injury": "minor", "immediate_risk": True},
        {"good_practice": True},
    ],
)
def test_at_the_computed_grade_the_route_is_the_results(facts: dict[str, Any]) -> None:
    result = grade(facts, load_matrix())
    route = route_for_grade(facts, result.grade, load_matrix())
    assert route.grade == result.grade
    assert route.flags == result.flags
    assert (route.review_types, route.methodology, route.reporting) == (
        result.review_types,
        result.methodology,
        result.reporting,
    )
    assert route.matrix_version == result.matrix_version


def test_an_escalation_to_catastrophic_sets_scr_required() -> None:
    facts = {"child_died": True}  # any other death: significant, cdop
    assert grade(facts, load_matrix()).grade == "significant"
    route = route_for_grade(facts, "catastrophic", load_matrix())
    assert on(route.flags) == {"scr_required", "cdop"}
    info = MATRIX.info("catastrophic")
    assert route.review_types == info.review_types  # the child died: CDOP stays
    assert CDOP in route.review_types
    assert "Serious Case Review" in route.review_types
    assert route.methodology == info.methodology
    assert route.reporting == info.reporting


def test_an_escalation_below_catastrophic_keeps_the_computed_flags() -> None:
    facts = {"abuse_or_neglect": "known", "seriously_harmed": True, "interagency_concern": "none"}
    assert grade(facts, load_matrix()).grade == "significant"
    route = route_for_grade(facts, "severe", load_matrix())
    assert on(route.flags) == {"notifiable"}
    assert route.review_types == row_route(MATRIX, "severe", route.flags)
    assert CDOP not in route.review_types  # the child is alive


def test_a_lower_grade_keeps_the_statutory_flags_the_facts_give() -> None:
    facts = {"abuse_or_neglect": "known", "child_died": True}
    route = route_for_grade(facts, "significant", load_matrix())
    assert on(route.flags) == {"scr_required", "cdop", "notifiable"}
    assert route.review_types == MATRIX.info("significant").review_types


@pytest.mark.parametrize("current", [*GRADES, "none"])
def test_every_grade_of_an_empty_check(current: str) -> None:
    route = route_for_grade({}, current, load_matrix())
    assert on(route.flags) == ({"scr_required"} if current == "catastrophic" else set())
    assert route.review_types == row_route(MATRIX, current, route.flags)
    assert CDOP not in route.review_types


def test_a_grade_flag_is_data(tmp_path: Path) -> None:
    """A board whose file sets scr_required on severe gets it on an escalation to severe."""
    old = 'when_grade_matched = "catastrophic"'
    assert PACKAGED.count(old) == 1
    path = tmp_path / "matrix.toml"
    path.write_text(PACKAGED.replace(old, 'when_grade_matched = "severe"'), encoding="utf-8")
    edited = load_matrix(path)
    assert on(route_for_grade({"injury": "minor"}, "severe", edited).flags) == {"scr_required"}
    assert not route_for_grade({"injury": "minor"}, "catastrophic", edited).flags["scr_required"]


def test_to_dict_and_errors() -> None:
    route = route_for_grade({"child_died": True}, "catastrophic", load_matrix())
    assert isinstance(route, Route)
    data = route.to_dict()
    assert list(data) == [
        "grade",
        "flags",
        "review_types",
        "methodology",
        "reporting",
        "matrix_version",
    ]
    assert list(data["flags"]) == list(FLAGS)
    with pytest.raises(ValueError, match="unknown grade"):
        route_for_grade({}, "dreadful", load_matrix())
    with pytest.raises(FactsError, match="injurie"):
        route_for_grade({"injurie": "minor"}, "low", load_matrix())

"""Property: raising any fact towards more concern never lowers the grade nor clears a flag."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from matrix import FLAGS, grade, load_matrix, rank

MATRIX = load_matrix()
INJURY_ORDER = ("none", "minor", "hospital_treatment", "hospital_admission_over_24h")
BOOL_FACTS = tuple(name for name, spec in MATRIX.facts.items() if spec.type == "bool")


def _value(name: str) -> st.SearchStrategy[Any]:
    spec = MATRIX.facts[name]
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    return st.lists(st.sampled_from(spec.values), unique=True)


# Any facts: each key present or absent (absent keys take the defaults).
FACTS = st.fixed_dictionaries({}, optional={name: _value(name) for name in MATRIX.facts})


@st.composite
def raised(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """A facts object and a copy with one fact raised towards more concern."""
    before = draw(FACTS)
    full = {**{n: s.default for n, s in MATRIX.facts.items()}, **before}
    options: list[tuple[str, Any]] = [(n, True) for n in BOOL_FACTS if full[n] is False]
    level = INJURY_ORDER.index(full["injury"])
    options += [("injury", higher) for higher in INJURY_ORDER[level + 1 :]]
    if full["abuse_or_neglect"] == "none":
        options += [("abuse_or_neglect", "suspected"), ("abuse_or_neglect", "known")]
    if not options:  # every fact already at its most serious: raise nothing, grade must hold
        return before, dict(before)
    name, value = draw(st.sampled_from(options))
    return before, {**before, name: value}


@settings(max_examples=400, deadline=None)
@given(raised())
def test_raising_a_fact_never_lowers_the_grade(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    low, high = grade(before), grade(after)
    assert rank(high.grade) >= rank(low.grade), (before, after, low.grade, high.grade)


@settings(max_examples=400, deadline=None)
@given(raised())
def test_raising_a_fact_never_clears_a_flag(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    low, high = grade(before), grade(after)
    for flag in FLAGS:
        assert high.flags[flag] or not low.flags[flag], (flag, before, after)


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_every_result_is_consistent(facts: dict[str, Any]) -> None:
    result = grade(facts)
    grades = [m.grade for m in result.matched]
    # the grade is the highest matched row, and matches are ordered highest first
    assert grades == sorted(grades, key=rank, reverse=True)
    assert result.grade == (grades[0] if grades else "none")
    # best practice only when no concern criterion matched
    if "best_practice" in grades:
        assert grades == ["best_practice"]
    assert result.flags["scr_required"] == ("catastrophic" in grades)
    assert result.review_types == MATRIX.info(result.grade).review_types

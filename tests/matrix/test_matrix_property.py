"""Properties: raising any fact towards more concern never lowers the grade nor clears a flag;
every result, its could_be and the route of any later grade are consistent with the matrix."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from routes import row_route

from matrix import FLAGS, GRADES, grade, load_matrix, rank, route_for_grade

MATRIX = load_matrix()
INJURY_ORDER = ("none", "minor", "hospital_treatment", "hospital_admission_over_24h")
# Answers that are known, least concern first (2013.3 made the grade follow these orders too:
# 2013.2 graded a statutory failure alone below an internal one). "unknown" is in no order.
ORDERS = {
    "injury": INJURY_ORDER,
    "standards": ("none", "minor_noncompliance", "internal_policy", "statutory_or_professional"),
    "interagency_concern": ("none", "curiosity", "cause_for_concern"),
}
ABUSE = ("known", "suspected")
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
    for name, order in ORDERS.items():
        if full[name] in order:
            level = order.index(full[name])
            options += [(name, higher) for higher in order[level + 1 :]]
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
    low, high = grade(before, load_matrix()), grade(after, load_matrix())
    assert rank(high.grade) >= rank(low.grade), (before, after, low.grade, high.grade)


@settings(max_examples=400, deadline=None)
@given(raised())
def test_raising_a_fact_never_clears_a_flag(pair: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = pair
    low, high = grade(before, load_matrix()), grade(after, load_matrix())
    for flag in FLAGS:
        assert high.flags[flag] or not low.flags[flag], (flag, before, after)


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_every_result_is_consistent(facts: dict[str, Any]) -> None:
    result = grade(facts, load_matrix())
    grades = [m.grade for m in result.matched]
    # the grade is the highest matched row, and matches are ordered highest first
    assert grades == sorted(grades, key=rank, reverse=True)
    assert result.grade == (grades[0] if grades else "none")
    # best practice only when no concern criterion matched
    if "best_practice" in grades:
        assert grades == ["best_practice"]
    assert result.flags["scr_required"] == ("catastrophic" in grades)
    assert result.review_types == row_route(MATRIX, result.grade, result.flags)
    full = {**{n: s.default for n, s in MATRIX.facts.items()}, **facts}
    notifiable = full["abuse_or_neglect"] in ABUSE and (
        full["child_died"] or full["seriously_harmed"]
    )
    assert result.flags["notifiable"] == notifiable


@settings(max_examples=300, deadline=None)
@given(FACTS)
def test_could_be_names_only_higher_grades_an_unknown_answer_gives(facts: dict[str, Any]) -> None:
    result = grade(facts, load_matrix())
    full = {**{n: s.default for n, s in MATRIX.facts.items()}, **facts}
    ranks = [rank(c.grade) for c in result.could_be]
    assert ranks == sorted(ranks, reverse=True)
    if full["good_practice"]:
        assert result.could_be == ()
    for entry in result.could_be:
        spec = MATRIX.facts[entry.fact]
        assert spec.unknown is not None and full[entry.fact] == spec.unknown
        assert entry.value != spec.unknown
        assert rank(entry.grade) > rank(result.grade)
        assert grade({**facts, entry.fact: entry.value}, load_matrix()).grade == entry.grade
        assert MATRIX.could_be_text(entry)
    # and nothing is left out: every other answer of an unknown fact that raises the grade
    if not full["good_practice"]:
        listed = {(c.fact, c.value) for c in result.could_be}
        for name, spec in MATRIX.facts.items():
            if spec.unknown is None or full[name] != spec.unknown:
                continue
            for value in spec.values:
                raises = rank(grade({**facts, name: value}, load_matrix()).grade) > rank(
                    result.grade
                )
                assert ((name, value) in listed) == raises


@settings(max_examples=200, deadline=None)
@given(FACTS, st.sampled_from((*GRADES, "none")))
def test_the_route_follows_any_grade(facts: dict[str, Any], current: str) -> None:
    result = grade(facts, load_matrix())
    route = route_for_grade(facts, current, load_matrix())
    for flag in FLAGS:
        assert route.flags[flag] or not result.flags[flag]
    assert route.flags["scr_required"] == (
        result.flags["scr_required"] or current == "catastrophic"
    )
    assert route.review_types == row_route(MATRIX, current, route.flags)

"""A differential check of the grading engine against an independent reading of SPEC §3.

`reference` below is written from the words of SPEC §3 (matrix version 2013.3) alone, without
the engine's code or data file: the facts and their defaults, the table of criteria per grade,
the precedence (the grade is the highest row with a matching criterion; best_practice only for
good practice with no concern criterion; "none" when nothing matched), the statutory flags and
the 2013.3 "could be" rule. A property test over random fact sets (every fact of the schema,
any of them missing so that it takes its default) asserts that the engine agrees with it on the
grade, the flags that are set and the could_be entries; a table of named synthetic cases, with
the expected answer written by hand from the spec, is checked against both.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matrix import grade
from matrix.engine import load_matrix

# --- the schema of SPEC §3 -------------------------------------------------------------------

DEFAULTS: dict[str, Any] = {
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
    "child_status": [],
    "interagency_concern": "unknown",
    "standards": "unknown",
}

ABUSE_VALUES = ("known", "suspected", "none")
INJURY_VALUES = ("none", "minor", "hospital_treatment", "hospital_admission_over_24h")
STATUS_VALUES = ("cp_plan", "cin", "significant_services")
INTERAGENCY_VALUES = ("cause_for_concern", "curiosity", "none", "unknown")
STANDARDS_VALUES = (
    "statutory_or_professional",
    "internal_policy",
    "minor_noncompliance",
    "none",
    "unknown",
)
BOOLEAN_FACTS = tuple(name for name, default in DEFAULTS.items() if isinstance(default, bool))
# The facts that can be "unknown", and the answers that could replace "unknown".
UNKNOWABLE: dict[str, tuple[str, ...]] = {
    "interagency_concern": tuple(v for v in INTERAGENCY_VALUES if v != "unknown"),
    "standards": tuple(v for v in STANDARDS_VALUES if v != "unknown"),
}

# Highest first. best_practice sits above "none" (a good-practice check is a result; "none" is
# "nothing matched") and below every concern grade (it applies only when no concern matched).
GRADES = ("catastrophic", "severe", "significant", "moderate", "low", "best_practice", "none")
RANK = {name: len(GRADES) - i for i, name in enumerate(GRADES)}
CONCERN_GRADES = GRADES[:5]

FLAGS = ("scr_required", "scr_unless_no_concerns", "cdop", "urgent", "notifiable")


# --- the independent reading -----------------------------------------------------------------


def _with_defaults(facts: dict[str, Any]) -> dict[str, Any]:
    full = dict(DEFAULTS)
    full.update(facts)
    return full


def _concern_rows(f: dict[str, Any]) -> dict[str, bool]:
    """For each concern grade of the table, whether any of its criteria matches."""
    abuse = f["abuse_or_neglect"] in ("known", "suspected")
    died = f["child_died"]  # a suspected suicide is a death: it is graded as one (needs abuse)
    harmed = f["seriously_harmed"]
    inter = f["interagency_concern"]
    std = f["standards"]
    injury = f["injury"]
    statutory = std == "statutory_or_professional"
    return {
        "catastrophic": (
            (abuse and died)
            or (abuse and harmed and inter == "cause_for_concern")
            or (died and f["death_in_custody"])
        ),
        "severe": (
            (abuse and harmed and inter in ("curiosity", "unknown"))
            or injury == "hospital_admission_over_24h"
            or f["permanent_disability"]
            or f["sexual_abuse_or_cse"]
            or f["parent_domestic_homicide"]
        ),
        "significant": (
            died
            or (injury == "hospital_treatment" and statutory)
            or (f["significant_self_harm"] and statutory)
            or (abuse and harmed)  # 2013.3: whatever is said of inter-agency working
            or statutory  # 2013.3: on its own
        ),
        "moderate": (
            injury == "hospital_treatment"
            or f["significant_self_harm"]
            or (
                (f["parents_charged_with_neglect"] or f["missing_education"])
                and bool(f["child_status"])
            )
        ),
        "low": injury == "minor" or std in ("internal_policy", "minor_noncompliance"),
    }


def _grade_only(f: dict[str, Any]) -> str:
    rows = _concern_rows(f)
    for name in CONCERN_GRADES:
        if rows[name]:
            return name
    if f["good_practice"]:
        return "best_practice"
    return "none"


def reference(facts: dict[str, Any]) -> tuple[str, set[str], list[tuple[str, str, str]]]:
    """(grade, the flags that are set, could_be as (grade, fact, value), highest first)."""
    f = _with_defaults(facts)
    result = _grade_only(f)
    rows = _concern_rows(f)

    abuse = f["abuse_or_neglect"] in ("known", "suspected")
    flags: set[str] = set()
    if rows["catastrophic"]:
        flags.add("scr_required")
    if abuse and f["seriously_harmed"] and f["interagency_concern"] != "none":
        flags.add("scr_unless_no_concerns")
    if f["child_died"]:
        flags.add("cdop")
    if f["immediate_risk"]:
        flags.add("urgent")
    if abuse and (f["child_died"] or f["seriously_harmed"]):
        flags.add("notifiable")

    could_be: list[tuple[str, str, str]] = []
    if not f["good_practice"]:  # a good-practice check is not asked about concerns
        for fact, answers in UNKNOWABLE.items():
            if f[fact] != "unknown":
                continue
            for answer in answers:
                other = _grade_only({**f, fact: answer})  # one answer changed, all else kept
                if RANK[other] > RANK[result]:
                    could_be.append((other, fact, answer))
        could_be.sort(key=lambda entry: -RANK[entry[0]])
    return result, flags, could_be


# --- reading the engine's answer ---------------------------------------------------------------


def _name(value: Any) -> str:
    """A grade as its name, whether the engine gives a string or an enum member."""
    return str(getattr(value, "value", value))


def engine(facts: dict[str, Any]) -> tuple[str, set[str], list[tuple[str, str, str]]]:
    result = grade(dict(facts), load_matrix())
    flags = {name for name, on in result.flags.items() if on}
    could_be = [(_name(c.grade), str(c.fact), _name(c.value)) for c in result.could_be]
    return _name(result.grade), flags, could_be


def assert_agree(facts: dict[str, Any]) -> None:
    want_grade, want_flags, want_could = reference(facts)
    got_grade, got_flags, got_could = engine(facts)
    assert got_grade == want_grade, (facts, got_grade, want_grade)
    assert got_flags == want_flags, (facts, got_flags, want_flags)
    assert set(got_could) == set(want_could), (facts, got_could, want_could)
    assert len(got_could) == len(set(got_could)), got_could  # no entry twice
    ranks = [RANK[g] for g, _, _ in got_could]
    assert ranks == sorted(ranks, reverse=True), got_could  # highest grade first


# --- property: random fact sets over the whole schema ------------------------------------------

FACT_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    **{name: st.booleans() for name in BOOLEAN_FACTS},
    "abuse_or_neglect": st.sampled_from(ABUSE_VALUES),
    "injury": st.sampled_from(INJURY_VALUES),
    "child_status": st.lists(st.sampled_from(STATUS_VALUES), unique=True, max_size=3),
    "interagency_concern": st.sampled_from(INTERAGENCY_VALUES),
    "standards": st.sampled_from(STANDARDS_VALUES),
}
assert set(FACT_STRATEGIES) == set(DEFAULTS)

facts_strategy = st.fixed_dictionaries({}, optional=FACT_STRATEGIES)


@settings(max_examples=500, deadline=None)
@given(facts_strategy)
def test_engine_agrees_with_the_independent_reading(facts: dict[str, Any]) -> None:
    assert_agree(facts)


def test_defaults_are_the_same_as_every_key_given() -> None:
    assert engine({}) == engine(DEFAULTS)


# --- named synthetic cases, the answers written by hand from SPEC §3 ---------------------------

ABUSE_HARMED = {"abuse_or_neglect": "known", "seriously_harmed": True}
NOTHING_UNKNOWN = {"interagency_concern": "none", "standards": "none"}

# name: (facts, grade, flags, could_be as a set of (grade, fact, value))
CASES: dict[str, tuple[dict[str, Any], str, set[str], set[tuple[str, str, str]]]] = {
    "an empty check: standards could raise it": (
        {},
        "none",
        set(),
        {
            ("significant", "standards", "statutory_or_professional"),
            ("low", "standards", "internal_policy"),
            ("low", "standards", "minor_noncompliance"),
        },
    ),
    "nothing matched, every answer known": (NOTHING_UNKNOWN, "none", set(), set()),
    "good practice, unknowns not asked": ({"good_practice": True}, "best_practice", set(), set()),
    "good practice with immediate risk": (
        {"good_practice": True, "immediate_risk": True},
        "best_practice",
        {"urgent"},
        set(),
    ),
    "good practice yet a minor injury": (
        {"good_practice": True, "injury": "minor"},
        "low",
        set(),
        set(),
    ),
    "known abuse and the child died": (
        {"abuse_or_neglect": "known", "child_died": True, **NOTHING_UNKNOWN},
        "catastrophic",
        {"scr_required", "cdop", "notifiable"},
        set(),
    ),
    "suspected abuse, suspected suicide": (
        {"abuse_or_neglect": "suspected", "child_died": True, "suspected_suicide": True},
        "catastrophic",
        {"scr_required", "cdop", "notifiable"},
        set(),
    ),
    "suspected suicide without abuse": (
        {"child_died": True, "suspected_suicide": True, **NOTHING_UNKNOWN},
        "significant",
        {"cdop"},
        set(),
    ),
    "death in custody without abuse": (
        {"child_died": True, "death_in_custody": True},
        "catastrophic",
        {"scr_required", "cdop"},
        set(),
    ),
    "abuse, serious harm, cause for concern": (
        {**ABUSE_HARMED, "interagency_concern": "cause_for_concern"},
        "catastrophic",
        {"scr_required", "scr_unless_no_concerns", "notifiable"},
        set(),
    ),
    "abuse, serious harm, inter-agency unknown": (
        ABUSE_HARMED,
        "severe",
        {"scr_unless_no_concerns", "notifiable"},
        {("catastrophic", "interagency_concern", "cause_for_concern")},
    ),
    "abuse, serious harm, some curiosity": (
        {**ABUSE_HARMED, "interagency_concern": "curiosity", "standards": "none"},
        "severe",
        {"scr_unless_no_concerns", "notifiable"},
        set(),
    ),
    "abuse, serious harm, no inter-agency concerns (2013.3)": (
        {**ABUSE_HARMED, **NOTHING_UNKNOWN},
        "significant",
        {"notifiable"},
        set(),
    ),
    "admitted to hospital over 24 hours": (
        {"injury": "hospital_admission_over_24h", **NOTHING_UNKNOWN},
        "severe",
        set(),
        set(),
    ),
    "sexual abuse, no abuse answer, standards unknown": (
        {"sexual_abuse_or_cse": True, "interagency_concern": "none"},
        "severe",
        set(),
        set(),
    ),
    "parent's domestic homicide with immediate risk": (
        {"parent_domestic_homicide": True, "immediate_risk": True},
        "severe",
        {"urgent"},
        set(),
    ),
    "hospital treatment, statutory failure": (
        {"injury": "hospital_treatment", "standards": "statutory_or_professional"},
        "significant",
        set(),
        set(),
    ),
    "hospital treatment, standards unknown": (
        {"injury": "hospital_treatment"},
        "moderate",
        set(),
        {("significant", "standards", "statutory_or_professional")},
    ),
    "self-harm, internal policy": (
        {"significant_self_harm": True, "standards": "internal_policy"},
        "moderate",
        set(),
        set(),
    ),
    "missing education, child in need": (
        {"missing_education": True, "child_status": ["cin"], "standards": "none"},
        "moderate",
        set(),
        set(),
    ),
    "parents charged, no status": (
        {"parents_charged_with_neglect": True, "standards": "minor_noncompliance"},
        "low",
        set(),
        set(),
    ),
    "statutory failure on its own (2013.3)": (
        {"standards": "statutory_or_professional", "interagency_concern": "curiosity"},
        "significant",
        set(),
        set(),
    ),
    "minor injury, standards unknown": (
        {"injury": "minor"},
        "low",
        set(),
        {("significant", "standards", "statutory_or_professional")},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_named_case_by_hand_matches_the_reading(name: str) -> None:
    facts, want_grade, want_flags, want_could = CASES[name]
    got_grade, got_flags, got_could = reference(facts)
    assert (got_grade, got_flags, set(got_could)) == (want_grade, want_flags, want_could)


@pytest.mark.parametrize("name", list(CASES))
def test_named_case_by_hand_matches_the_engine(name: str) -> None:
    facts, want_grade, want_flags, want_could = CASES[name]
    got_grade, got_flags, got_could = engine(facts)
    assert (got_grade, got_flags, set(got_could)) == (want_grade, want_flags, want_could)

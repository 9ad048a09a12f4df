"""Synthetic case vignettes, graded as a practitioner's check would grade them (SPEC §3).

Every vignette is invented; no real child, family or case is described.
"""

from __future__ import annotations

from typing import Any

import pytest

from matrix import FLAGS, grade
from matrix.engine import load_matrix

# (description, facts, expected grade, flags expected true)
VIGNETTES: list[tuple[str, dict[str, Any], str, set[str]]] = [
    (
        "Infant admitted for a week with unexplained fractures; abuse suspected; the health "
        "visitor's concerns were never passed to children's social care",
        {
            "abuse_or_neglect": "suspected",
            "seriously_harmed": True,
            "injury": "hospital_admission_over_24h",
            "interagency_concern": "cause_for_concern",
            "standards": "statutory_or_professional",
            "child_status": ["cin"],
        },
        "catastrophic",
        {"scr_required", "scr_unless_no_concerns", "notifiable"},
    ),
    (
        "Toddler on a child protection plan for neglect dies at home",
        {"abuse_or_neglect": "known", "child_died": True, "child_status": ["cp_plan"]},
        "catastrophic",
        {"scr_required", "cdop", "notifiable"},
    ),
    (
        "Seventeen-year-old dies on remand in a secure training centre; no abuse suspected",
        {"child_died": True, "death_in_custody": True, "interagency_concern": "unknown"},
        "catastrophic",
        {"scr_required", "cdop"},
    ),
    (
        "Fifteen-year-old known to CAMHS dies by suspected suicide; no abuse or neglect",
        {"child_died": True, "suspected_suicide": True, "significant_self_harm": False},
        "significant",
        {"cdop"},
    ),
    (
        "Baby dies suddenly and unexpectedly in infancy; no abuse or neglect suspected, no "
        "concerns about any agency",
        {"child_died": True, "interagency_concern": "none", "standards": "none"},
        "significant",
        {"cdop"},
    ),
    (
        "Child seriously harmed by suspected neglect; a nurse is curious whether the school "
        "and GP shared what they knew",
        {
            "abuse_or_neglect": "suspected",
            "seriously_harmed": True,
            "interagency_concern": "curiosity",
            "injury": "hospital_treatment",
        },
        "severe",
        {"scr_unless_no_concerns", "notifiable"},
    ),
    (
        "Fourteen-year-old sexually exploited by adults she met online; child in need",
        {
            "abuse_or_neglect": "known",
            "sexual_abuse_or_cse": True,
            "child_status": ["cin"],
            "interagency_concern": "none",
        },
        "severe",
        set(),
    ),
    (
        "Children's mother killed by her partner; the children were at home",
        {"parent_domestic_homicide": True, "immediate_risk": True},
        "severe",
        {"urgent"},
    ),
    (
        "Known abuse and serious harm, but all agencies worked together well and followed "
        "procedure; the child needed hospital treatment",
        {
            "abuse_or_neglect": "known",
            "seriously_harmed": True,
            "interagency_concern": "none",
            "injury": "hospital_treatment",
            "standards": "none",
        },
        "significant",
        {"notifiable"},
    ),
    (
        "Child in residential care taken to A&E after a fall when staffing ratios required "
        "by regulation were not met",
        {"injury": "hospital_treatment", "standards": "statutory_or_professional"},
        "significant",
        set(),
    ),
    (
        "Significant episode of self-harm at school; the school's internal safeguarding "
        "procedure was not followed",
        {"significant_self_harm": True, "standards": "internal_policy"},
        "moderate",
        set(),
    ),
    (
        "Child on a child protection plan has been missing education for a term",
        {"missing_education": True, "child_status": ["cp_plan"], "abuse_or_neglect": "none"},
        "moderate",
        set(),
    ),
    (
        "Bruising noticed at nursery; the nursery's recording policy was not followed",
        {"injury": "minor", "standards": "internal_policy", "abuse_or_neglect": "none"},
        "low",
        set(),
    ),
    (
        "Early help, school nurse and police coordinated well for a family in crisis",
        {"good_practice": True},
        "best_practice",
        set(),
    ),
    (
        "Good practice example, but the child also had minor injuries",
        {"good_practice": True, "injury": "minor"},
        "low",
        set(),
    ),
    (
        "A worry about a family; the child may be in danger tonight but nothing in the matrix "
        "applies yet",
        {"immediate_risk": True, "interagency_concern": "curiosity"},
        "none",
        {"urgent"},
    ),
    (
        "Child left permanently disabled after an injury; abuse not suspected",
        {"permanent_disability": True, "injury": "hospital_admission_over_24h"},
        "severe",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("facts", "expected_grade", "expected_flags"),
    [pytest.param(f, g, fl, id=d[:60]) for d, f, g, fl in VIGNETTES],
)
def test_vignette(facts: dict[str, Any], expected_grade: str, expected_flags: set[str]) -> None:
    result = grade(facts, load_matrix())
    assert result.grade == expected_grade
    assert {name: result.flags[name] for name in FLAGS} == {
        name: name in expected_flags for name in FLAGS
    }
    assert result.matched or expected_grade == "none"

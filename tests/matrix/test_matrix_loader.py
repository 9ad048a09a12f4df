"""The matrix file is validated: broken copies written to tmp_path are refused, naming the entry."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from matrix import MatrixError, grade, load_matrix

PACKAGED = resources.files("matrix").joinpath("matrix.toml").read_text(encoding="utf-8")

SEV_ADMISSION = 'when = { fact = "injury", eq = "hospital_admission_over_24h" }'
LOW_STANDARDS = 'when = { fact = "standards", in = ["internal_policy", "minor_noncompliance"] }'
INJURY_VALUES = 'values = ["none", "minor", "hospital_treatment", "hospital_admission_over_24h"]'


def write_copy(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the packaged matrix with the one occurrence of `old` replaced by `new`."""
    assert PACKAGED.count(old) == 1, f"{old!r} must occur once in matrix.toml"
    path = tmp_path / "matrix.toml"
    path.write_text(PACKAGED.replace(old, new), encoding="utf-8")
    return path


BROKEN = [
    pytest.param(
        'version = "2013.3"\n',
        'version = "2013.3\n',
        "matrix.toml: not valid TOML",
        id="syntax error",
    ),
    pytest.param(
        'version = "2013.3"\n',
        "",
        "matrix.toml: top level: missing field 'version'",
        id="missing version",
    ),
    pytest.param(
        'version = "2013.3"\n',
        'version = "2013.3"\ncolour = "red"\n',
        "top level: unknown field 'colour'",
        id="unknown top-level field",
    ),
    pytest.param(
        SEV_ADMISSION,
        SEV_ADMISSION.replace('"injury"', '"injurie"'),
        "matrix.toml: criteria[4] (id 'sev_hospital_admission'): unknown fact 'injurie' at when",
        id="unknown fact",
    ),
    pytest.param(
        SEV_ADMISSION,
        SEV_ADMISSION.replace("over_24h", "over_48h"),
        "criteria[4] (id 'sev_hospital_admission'): injury: \"hospital_admission_over_48h\" is "
        "not allowed; allowed values: none, minor, hospital_treatment, hospital_admission_over_24h",
        id="value outside a fact's allowed set",
    ),
    pytest.param(
        LOW_STANDARDS,
        LOW_STANDARDS.replace('"internal_policy"', '"internal_policies"'),
        "criteria[17] (id 'low_internal_standards'): standards: \"internal_policies\" is not "
        "allowed",
        id="value outside the allowed set in a list",
    ),
    pytest.param(
        '{ fact = "child_status", nonempty = true },',
        '{ fact = "child_state", nonempty = true },',
        "criteria[15] (id 'mod_neglect_or_education_with_services'): unknown fact "
        "'child_state' at when.all[1]",
        id="unknown fact deep in a condition",
    ),
    pytest.param(
        '{ fact = "missing_education", eq = true },',
        '{ fact = "missing_education", eq = "yes" },',
        "criteria[15] (id 'mod_neglect_or_education_with_services'): missing_education: \"yes\" "
        "is not a boolean; allowed values: true, false at when.all[0].any[1]",
        id="wrong type for a bool fact",
    ),
    pytest.param(
        'when = { fact = "injury", eq = "minor" }',
        'when = { fact = "injury", nonempty = true }',
        "criteria[16] (id 'low_minor_injury'): operator 'nonempty' does not apply to enum fact "
        "'injury' at when",
        id="operator that does not apply",
    ),
    pytest.param(
        'when = { fact = "injury", eq = "minor" }',
        'when = { fact = "injury", equals = "minor" }',
        "criteria[16] (id 'low_minor_injury'): a test needs exactly one operator",
        id="unknown operator",
    ),
    pytest.param(
        '\nwhen = { fact = "good_practice", eq = true }',
        "\nwhen = { all = [] }",
        "criteria[18] (id 'bp_good_practice'): all needs a non-empty list at when",
        id="empty all",
    ),
    pytest.param(
        '\nwhen = { fact = "good_practice", eq = true }',
        '\nwhen = { fact = "good_practice", eq = true, any = [] }',
        "criteria[18] (id 'bp_good_practice'): a condition needs exactly one of all, any, not, "
        "fact at when",
        id="two forms in one condition",
    ),
    pytest.param(
        'id = "mod_hospital_treatment"\ngrade = "moderate"',
        'id = "mod_hospital_treatment"\ngrade = "medium"',
        "criteria[13] (id 'mod_hospital_treatment'): unknown grade 'medium'",
        id="unknown grade in a criterion",
    ),
    pytest.param(
        'id = "low_internal_standards"',
        'id = "low_minor_injury"',
        "criteria[17] (id 'low_minor_injury'): duplicate id 'low_minor_injury'",
        id="duplicate id",
    ),
    pytest.param(
        'quote = "Permanent disability/disease"\n',
        "",
        "criteria[5] (id 'sev_permanent_disability'): missing field 'quote'",
        id="missing quote",
    ),
    pytest.param(
        'when = { fact = "permanent_disability", eq = true }\n',
        "",
        "criteria[5] (id 'sev_permanent_disability'): missing field 'when'",
        id="missing condition",
    ),
    pytest.param(
        'quote = "Permanent disability/disease"\n',
        'quote = "Permanent disability/disease"\ncolour = "red"\n',
        "criteria[5] (id 'sev_permanent_disability'): unknown field 'colour'",
        id="unknown field in a criterion",
    ),
    pytest.param(
        'grade = "best_practice"\nonly_if_no_concern = true',
        'grade = "best_practice"\nonly_if_no_concern = "yes"',
        "criteria[18] (id 'bp_good_practice'): only_if_no_concern must be true or false",
        id="only_if_no_concern not a bool",
    ),
    pytest.param(
        'type_of_review = "Serious Case Review/CDOP"\n',
        "",
        "grades[0] (id 'catastrophic'): missing field 'type_of_review'",
        id="missing cell of a row",
    ),
    pytest.param(
        'id = "severe"\nlabel = "Severe"',
        'id = "serious"\nlabel = "Severe"',
        "grades[1] (id 'serious'): unknown grade 'serious'",
        id="unknown grade row",
    ),
    pytest.param(
        'id = "severe"\nlabel = "Severe"',
        'id = "catastrophic"\nlabel = "Severe"',
        "grades[1] (id 'catastrophic'): duplicate grade 'catastrophic'",
        id="duplicate grade row",
    ),
    pytest.param(
        'review_types = ["Practice manager audit or review"]',
        'review_types = "Practice manager audit or review"',
        "grades[4] (id 'low'): review_types must be a list of strings",
        id="route list not a list",
    ),
    pytest.param(
        f'{INJURY_VALUES}\ndefault = "none"',
        f'{INJURY_VALUES}\ndefault = "moderate"',
        'facts.injury: bad default: injury: "moderate" is not allowed',
        id="fact default outside its values",
    ),
    pytest.param(
        'type = "bool"\ndefault = false\ndescription = "a child is at immediate risk now"',
        'type = "boolean"\ndefault = false\ndescription = "a child is at immediate risk now"',
        "facts.immediate_risk: type must be bool, enum or set",
        id="unknown fact type",
    ),
    pytest.param(
        INJURY_VALUES,
        'values = ["none", "minor", "none"]',
        "facts.injury: values repeat",
        id="repeated fact values",
    ),
    pytest.param(
        '[flags.cdop]\ndescription = "Notify the Child Death Overview Panel."',
        '[flags.ofsted]\ndescription = "Tell the inspectors."',
        "flags.ofsted: unknown flag",
        id="unknown flag",
    ),
    pytest.param(
        'when_grade_matched = "catastrophic"',
        'when_grade_matched = "catastrophic"\nwhen = { fact = "child_died", eq = true }',
        "flags.scr_required: give exactly one of when, when_grade_matched",
        id="flag with two conditions",
    ),
    pytest.param(
        'when_grade_matched = "catastrophic"',
        'when_grade_matched = "disaster"',
        "flags.scr_required: unknown grade 'disaster'",
        id="flag on an unknown grade",
    ),
    pytest.param(
        '{ not = { fact = "interagency_concern", eq = "none" } }',
        '{ not = { fact = "interagency_concern", eq = "nobody" } }',
        'flags.scr_unless_no_concerns: interagency_concern: "nobody" is not allowed; allowed '
        "values: cause_for_concern, curiosity, none, unknown at when.all[2].not",
        id="flag condition value outside the set",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_broken_matrix_is_refused_naming_the_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = write_copy(tmp_path, old, new)
    with pytest.raises(MatrixError) as info:
        load_matrix(path)
    assert message in str(info.value)


def test_missing_flag_is_refused(tmp_path: Path) -> None:
    start = PACKAGED.index("[flags.urgent]")
    path = tmp_path / "matrix.toml"
    path.write_text(PACKAGED[:start], encoding="utf-8")
    with pytest.raises(MatrixError, match=r"flags\.urgent: missing"):
        load_matrix(path)


def test_unreadable_matrix_file(tmp_path: Path) -> None:
    with pytest.raises(MatrixError, match="cannot read the matrix file"):
        load_matrix(tmp_path / "absent.toml")


def test_packaged_copy_loads_and_grades_like_the_default(tmp_path: Path) -> None:
    path = tmp_path / "matrix.toml"
    path.write_text(PACKAGED, encoding="utf-8")
    copy = load_matrix(path)
    assert copy == load_matrix()
    assert grade({"child_died": True}, copy) == grade({"child_died": True}, load_matrix())


def test_a_board_can_edit_the_file(tmp_path: Path) -> None:
    """Move minor injuries up to moderate and bump the version: the engine follows the data."""
    text = PACKAGED.replace('version = "2013.3"', 'version = "2099.1"').replace(
        'id = "low_minor_injury"\ngrade = "low"', 'id = "low_minor_injury"\ngrade = "moderate"'
    )
    assert text.count("2099.1") == 1
    path = tmp_path / "matrix.toml"
    path.write_text(text, encoding="utf-8")
    edited = load_matrix(path)
    result = grade({"injury": "minor"}, edited)
    assert result.grade == "moderate"
    assert result.matrix_version == "2099.1"
    assert result.review_types == edited.info("moderate").review_types
    assert grade({"injury": "minor"}, load_matrix()).grade == "low"

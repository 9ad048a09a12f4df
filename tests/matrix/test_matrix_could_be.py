"""The "could be" of SPEC §3 (2013.3): what another answer to an unknown fact would make of the
grade, as data (`unknown`, `answers`, `[could_be]` in matrix.toml) and in words."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from matrix import CouldBe, MatrixError, could_be_text, grade, load_matrix

PACKAGED = resources.files("matrix").joinpath("matrix.toml").read_text(encoding="utf-8")
ABUSE_HARM = {"abuse_or_neglect": "suspected", "seriously_harmed": True}

# (case id, facts, expected could_be as JSON)
CASES: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = [
    (
        "abuse, serious harm, inter-agency working not known",
        {**ABUSE_HARM, "interagency_concern": "unknown"},
        [{"grade": "catastrophic", "if": {"interagency_concern": "cause_for_concern"}}],
    ),
    (
        "hospital treatment, standards not known",
        {"injury": "hospital_treatment", "standards": "unknown"},
        [{"grade": "significant", "if": {"standards": "statutory_or_professional"}}],
    ),
    (
        "self-harm, both not known: only the standards could raise it",
        {"significant_self_harm": True},
        [{"grade": "significant", "if": {"standards": "statutory_or_professional"}}],
    ),
    (
        "nothing given: highest first, then the schema's order of answers",
        {},
        [
            {"grade": "significant", "if": {"standards": "statutory_or_professional"}},
            {"grade": "low", "if": {"standards": "internal_policy"}},
            {"grade": "low", "if": {"standards": "minor_noncompliance"}},
        ],
    ),
    ("good practice: not asked about concerns", {"good_practice": True}, []),
    (
        "good practice even with both facts unknown",
        {"good_practice": True, "standards": "unknown", "interagency_concern": "unknown"},
        [],
    ),
    (
        "inter-agency working known (curiosity): not an unknown, so nothing",
        {**ABUSE_HARM, "interagency_concern": "curiosity", "standards": "none"},
        [],
    ),
    (
        "catastrophic already: nothing is higher",
        {"abuse_or_neglect": "known", "child_died": True},
        [],
    ),
    (
        "severe with standards unknown: a statutory failure only gives significant",
        {"injury": "hospital_admission_over_24h", "interagency_concern": "none"},
        [],
    ),
    (
        "every fact answered",
        {"injury": "minor", "standards": "none", "interagency_concern": "none"},
        [],
    ),
]


@pytest.mark.parametrize(
    ("facts", "expected"), [pytest.param(f, e, id=name) for name, f, e in CASES]
)
def test_could_be(facts: dict[str, Any], expected: list[dict[str, Any]]) -> None:
    result = grade(facts, load_matrix())
    data = result.to_dict()
    assert data["could_be"] == expected
    assert json.loads(json.dumps(data)) == data


def test_each_entry_is_what_that_answer_grades() -> None:
    facts: dict[str, Any] = {"injury": "minor"}
    result = grade(facts, load_matrix())
    assert result.grade == "low"
    assert result.could_be == (CouldBe("significant", "standards", "statutory_or_professional"),)
    for entry in result.could_be:
        assert grade({**facts, entry.fact: entry.value}, load_matrix()).grade == entry.grade


def test_the_sentence_of_spec_3() -> None:
    entry = grade({**ABUSE_HARM}, load_matrix()).could_be[0]
    assert could_be_text(entry, load_matrix()) == (
        "Could be Catastrophic if there is cause for concern about how agencies worked "
        "together: find out before deciding"
    )
    matrix = load_matrix()
    assert matrix.could_be_text(entry) == could_be_text(entry, matrix)
    treatment = grade({"injury": "hospital_treatment"}, load_matrix()).could_be[0]
    assert could_be_text(treatment, load_matrix()) == (
        "Could be Significant if professional standards or statutory requirements were not "
        "met: find out before deciding"
    )


def test_every_answer_of_an_unknown_fact_has_words() -> None:
    matrix = load_matrix()
    unknowns = {name: spec for name, spec in matrix.facts.items() if spec.unknown is not None}
    assert set(unknowns) == {"interagency_concern", "standards"}
    for spec in unknowns.values():
        for value in spec.values:
            if value != spec.unknown:
                assert spec.answer(value)
    with pytest.raises(ValueError, match="no words"):
        matrix.facts["standards"].answer("unknown")


def edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = PACKAGED
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "matrix.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_words_and_the_unknown_values_are_data(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        (
            'sentence = "Could be {grade} if {answer}: find out before deciding"',
            'sentence = "{answer}? Then {grade}."',
        ),
        ('cause_for_concern = "there is cause for concern', 'cause_for_concern = "agencies failed'),
        (
            'default = "unknown"\nunknown = "unknown"\ndescription = "which',
            'default = "unknown"\ndescription = "which',
        ),
    )
    matrix = load_matrix(path)
    result = grade({**ABUSE_HARM}, matrix)
    assert [matrix.could_be_text(c) for c in result.could_be] == [
        "agencies failed about how agencies worked together? Then Catastrophic."
    ]
    # standards no longer counts as unknown in this file: {} gives no could_be
    assert grade({}, matrix).could_be == ()


BROKEN = [
    pytest.param(
        ('unknown = "unknown"\ndescription = "which', 'unknown = "dunno"\ndescription = "which'),
        "facts.standards: unknown must be one of its values",
        id="unknown value outside the values",
    ),
    pytest.param(
        (
            'default = false\ndescription = "the child has died"',
            'default = false\nunknown = "unknown"\ndescription = "the child has died"',
        ),
        "facts.child_died: only an enum fact can name an unknown value",
        id="unknown on a bool fact",
    ),
    pytest.param(
        ('none = "no failure to meet standards was identified"', 'nothing = "no failure"'),
        "facts.standards.answers: 'nothing' is not one of its values",
        id="answer for a value the fact does not have",
    ),
    pytest.param(
        ('minor_noncompliance = "there was minor non-compliance"\n', ""),
        "facts.standards: answers gives no words for minor_noncompliance",
        id="an answer without words",
    ),
    pytest.param(
        ('curiosity = "there is curiosity', 'curiosity = " "\nx = "'),
        "facts.interagency_concern.answers.curiosity: the words must be non-empty text",
        id="blank words",
    ),
    pytest.param(
        (
            '[could_be]\nsentence = "Could be {grade} if {answer}: find out before deciding"\n'
            'skip_when = { fact = "good_practice", eq = true }\n',
            "",
        ),
        "could_be: missing",
        id="no could_be table",
    ),
    pytest.param(
        ("if {answer}: find out", "if {answer} by {deadline}: find out"),
        "could_be: sentence may use only {grade} and {answer}, not {deadline}",
        id="a field the sentence cannot have",
    ),
    pytest.param(
        ("Could be {grade} if {answer}: find", "Could be {grade}: find"),
        "could_be: sentence must say {answer}",
        id="a sentence without the answer",
    ),
    pytest.param(
        (
            'skip_when = { fact = "good_practice", eq = true }',
            'skip_when = { fact = "good_practise", eq = true }',
        ),
        "could_be: unknown fact 'good_practise' at skip_when",
        id="skip_when over an unknown fact",
    ),
    pytest.param(
        (
            'skip_when = { fact = "good_practice", eq = true }',
            'skip_when = { fact = "good_practice", eq = true }\ncolour = "red"',
        ),
        "could_be: unknown field 'colour'",
        id="unknown field in could_be",
    ),
]


@pytest.mark.parametrize(("change", "message"), BROKEN)
def test_a_broken_could_be_is_refused(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(MatrixError) as info:
        load_matrix(edited(tmp_path, change))
    assert message in str(info.value)

"""The pure grading engine: loads the packaged matrix once and grades facts against it.

`grade(facts, matrix)` validates the facts, evaluates every criterion of the matrix, takes the
highest grade with a matching criterion (criteria marked `only_if_no_concern` count only when no
concern grade matched), evaluates the flags and returns a frozen `Result` reporting every match,
with `could_be`: the higher grades another answer to a fact whose value is unknown would give,
found by grading again with each other answer. `route_for_grade(facts, grade, matrix)` gives the
flags and route of the grade a referral has now (escalated or not); `could_be_text` says a
could_be entry in the matrix file's words. Each takes the matrix (the profile) it works on: none
means a profile by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from os import PathLike
from pathlib import Path

from matrix.conditions import evaluate
from matrix.facts import validate_facts
from matrix.loader import parse_toml
from matrix.model import (
    FLAGS,
    GRADES,
    NONE,
    CouldBe,
    Criterion,
    FactsError,
    FactValue,
    Match,
    Matrix,
    MatrixError,
    Result,
    Route,
    rank,
)

__all__ = [
    "FLAGS",
    "GRADES",
    "NONE",
    "CouldBe",
    "FactsError",
    "Match",
    "Matrix",
    "MatrixError",
    "Result",
    "Route",
    "could_be_text",
    "grade",
    "load_matrix",
    "load_profile",
    "normalize_facts",
    "profile_matrix",
    "profile_path",
    "rank",
    "route_for_grade",
]

DEFAULT_MATRIX = "matrix.toml"
DEFAULT_PROFILE = "2013"
PROFILES: dict[str, str] = {DEFAULT_PROFILE: DEFAULT_MATRIX, "wt2023": "wt2023.toml"}
"""The packaged profiles (SPEC §3, Profiles): the `MATRIX` setting's names and their files."""


def profile_path(value: str | PathLike[str] | None) -> Path:
    """The matrix file a `MATRIX` setting (or `--matrix`) names: a packaged profile (`2013`,
    `wt2023`) or the path of a board's own file; the 2013 profile when empty or None."""
    name = str(value or DEFAULT_PROFILE)
    if name in PROFILES:
        return Path(__file__).with_name(PROFILES[name])
    return Path(name)


def load_matrix(path: str | PathLike[str] | None = None) -> Matrix:
    """Load and validate a matrix file; the packaged `matrix/matrix.toml` when `path` is None.

    A packaged profile's file is read once per process; another path is read on every call (so
    a board can check an edited file).
    """
    if path is None:
        return _packaged(DEFAULT_MATRIX)
    file = Path(path)
    if file.parent == Path(__file__).parent and file.name in PROFILES.values():
        return _packaged(file.name)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError(f"{file.name}: cannot read the matrix file: {exc}") from None
    return parse_toml(text, source=file.name)


def profile_matrix(name: str) -> Matrix:
    """The packaged matrix of a profile recorded on a referral (the 2013 one for a name that is
    not packaged: a board's own file is the caller's to load)."""
    return load_matrix(profile_path(name if name in PROFILES else DEFAULT_PROFILE))


def load_profile(value: str | PathLike[str] | None) -> Matrix:
    """Load the matrix a `MATRIX` setting names (see `profile_path`); `MatrixError` names an
    unknown profile or the bad entry of a broken file."""
    name = str(value or DEFAULT_PROFILE)
    path = profile_path(name)
    if name not in PROFILES and not path.is_file():
        raise MatrixError(
            f"no matrix profile {name!r}: give {' or '.join(PROFILES)}, "
            "or the path of a matrix file"
        )
    return load_matrix(path)


@lru_cache(maxsize=len(PROFILES))
def _packaged(name: str) -> Matrix:
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return parse_toml(text, source=name)


def normalize_facts(facts: object, matrix: Matrix) -> dict[str, FactValue]:
    """Validate facts against `matrix` and fill in defaults (set facts as tuples); raises
    `FactsError`."""
    return validate_facts(facts, matrix.facts)


def grade(facts: object, matrix: Matrix) -> Result:
    """Grade `facts` (a mapping of SPEC §3 fact names) on `matrix` (the profile is always the
    caller's: `load_matrix()` for the packaged 2013 one).

    Raises `FactsError` for an unknown key, a wrong type or a value outside the allowed set.
    """
    m = matrix
    values = validate_facts(facts, m.facts)
    outcome, hits, flags = _evaluate(m, values)
    info = m.info(outcome)
    return Result(
        grade=outcome,
        flags=flags,
        matched=tuple(Match(c.grade, c.id, c.quote, c.ref) for c in hits),
        review_types=m.review_types(outcome, flags),
        methodology=info.methodology,
        reporting=info.reporting,
        matrix_version=m.version,
        could_be=_could_be(m, values, outcome),
    )


def route_for_grade(facts: object, current_grade: str, matrix: Matrix) -> Route:
    """The flags and route that the grade a referral has now implies (SPEC §3: "the flags and
    the route always follow the grade").

    `current_grade` may be above the computed one (escalated by a person) or below it. The flags
    are those the facts give, plus those the matrix sets for `current_grade` itself (a flag with
    `when_grade_matched` of that grade: an escalation to catastrophic sets `scr_required`); the
    route (review types, methodology, reporting) is `current_grade`'s row. Raises `FactsError`
    for bad facts and `ValueError` for an unknown grade.
    """
    m = matrix
    values = validate_facts(facts, m.facts)
    info = m.info(current_grade)
    _, _, computed = _evaluate(m, values)
    flags = {
        name: computed[name] or rule.when_grade_matched == current_grade
        for name, rule in m.flags.items()
    }
    return Route(
        grade=current_grade,
        flags=flags,
        review_types=m.review_types(current_grade, flags),
        methodology=info.methodology,
        reporting=info.reporting,
        matrix_version=m.version,
    )


def could_be_text(entry: CouldBe, matrix: Matrix) -> str:
    """A `Result.could_be` entry in `matrix`'s words (see `Matrix.could_be_text`)."""
    return matrix.could_be_text(entry)


def _evaluate(
    m: Matrix, values: Mapping[str, FactValue]
) -> tuple[str, list[Criterion], dict[str, bool]]:
    """The grade, the matching criteria (highest grade first) and the flags of valid facts."""
    hits = [c for c in m.criteria if evaluate(c.when, values)]
    concern = any(m.grades[c.grade].concern for c in hits if not c.only_if_no_concern)
    if concern:
        hits = [c for c in hits if not c.only_if_no_concern]
    hits.sort(key=lambda c: GRADES.index(c.grade))  # stable: file order within a grade
    outcome = hits[0].grade if hits else NONE
    matched_grades = {c.grade for c in hits}
    flags = {
        name: (
            rule.when_grade_matched in matched_grades
            if rule.when is None
            else evaluate(rule.when, values)
        )
        for name, rule in m.flags.items()
    }
    return outcome, hits, flags


def _could_be(m: Matrix, values: Mapping[str, FactValue], outcome: str) -> tuple[CouldBe, ...]:
    """For each fact at its unknown value, each other answer that would grade above `outcome`:
    highest grade first, then in the schema's order of facts and answers."""
    rule = m.could_be
    if rule is None or (rule.skip_when is not None and evaluate(rule.skip_when, values)):
        return ()
    level = rank(outcome)
    found = []
    for name, spec in m.facts.items():
        if spec.unknown is None or values[name] != spec.unknown:
            continue
        for answer in spec.values:
            if answer == spec.unknown:
                continue
            other, _, _ = _evaluate(m, {**values, name: answer})
            if rank(other) > level:
                found.append(CouldBe(other, name, answer))
    found.sort(key=lambda entry: -rank(entry.grade))  # stable: schema order within a grade
    return tuple(found)

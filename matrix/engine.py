"""The pure grading engine: loads the packaged matrix once and grades facts against it.

`grade(facts)` validates the facts, evaluates every criterion of the matrix, takes the highest
grade with a matching criterion (criteria marked `only_if_no_concern` count only when no concern
grade matched), evaluates the flags and returns a frozen `Result` reporting every match.
"""

from __future__ import annotations

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
    FactsError,
    FactValue,
    Match,
    Matrix,
    MatrixError,
    Result,
    rank,
)

__all__ = [
    "FLAGS",
    "GRADES",
    "NONE",
    "FactsError",
    "Match",
    "Matrix",
    "MatrixError",
    "Result",
    "grade",
    "load_matrix",
    "normalize_facts",
    "rank",
]

DEFAULT_MATRIX = "matrix.toml"


def load_matrix(path: str | PathLike[str] | None = None) -> Matrix:
    """Load and validate a matrix file; the packaged `matrix/matrix.toml` when `path` is None.

    The packaged matrix is read once per process; an explicit path is read on every call (so a
    board can check an edited file).
    """
    if path is None:
        return _packaged()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError(f"{file.name}: cannot read the matrix file: {exc}") from None
    return parse_toml(text, source=file.name)


@lru_cache(maxsize=1)
def _packaged() -> Matrix:
    text = Path(__file__).with_name(DEFAULT_MATRIX).read_text(encoding="utf-8")
    return parse_toml(text, source=DEFAULT_MATRIX)


def normalize_facts(facts: object, matrix: Matrix | None = None) -> dict[str, FactValue]:
    """Validate facts and fill in defaults (set facts as tuples); raises `FactsError`."""
    m = matrix if matrix is not None else load_matrix()
    return validate_facts(facts, m.facts)


def grade(facts: object, matrix: Matrix | None = None) -> Result:
    """Grade `facts` (a mapping of SPEC §3 fact names) on `matrix` (the packaged one by default).

    Raises `FactsError` for an unknown key, a wrong type or a value outside the allowed set.
    """
    m = matrix if matrix is not None else load_matrix()
    values = validate_facts(facts, m.facts)
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
    info = m.info(outcome)
    return Result(
        grade=outcome,
        flags=flags,
        matched=tuple(Match(c.grade, c.id, c.quote, c.ref) for c in hits),
        review_types=info.review_types,
        methodology=info.methodology,
        reporting=info.reporting,
        matrix_version=m.version,
    )

"""The Board's Appendix 3 grading matrix: the data file `matrix.toml` and a pure engine over it.

Imports nothing else of this project. `grade(facts)` gives a frozen `Result`; `load_matrix()`
gives the validated `Matrix` (wording of each row, criteria, flags, facts schema).
"""

from matrix.engine import grade, load_matrix, normalize_facts
from matrix.model import (
    FLAGS,
    GRADES,
    NONE,
    FactsError,
    FactSpec,
    GradeInfo,
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
    "FactSpec",
    "FactsError",
    "GradeInfo",
    "Match",
    "Matrix",
    "MatrixError",
    "Result",
    "grade",
    "load_matrix",
    "normalize_facts",
    "rank",
]

"""The Board's Appendix 3 grading matrix: the data file `matrix.toml` and a pure engine over it.

Imports nothing else of this project. `grade(facts, matrix)` gives a frozen `Result` (with
`could_be`); `route_for_grade(facts, grade, matrix)` the flags and route of a referral's current
grade; `could_be_text(entry, matrix)` a could_be entry in words (the matrix, its profile, is always
the caller's); `load_matrix()` gives the validated `Matrix`
(wording of each row, criteria, flags, facts schema, the profile's terms and clocks);
`load_profile(setting)` the matrix a `MATRIX` setting names (`2013`, `wt2023` or a path).
"""

from matrix.engine import (
    could_be_text,
    grade,
    load_matrix,
    load_profile,
    normalize_facts,
    profile_path,
    route_for_grade,
)
from matrix.model import (
    FLAGS,
    GRADES,
    NONE,
    ClockRule,
    CouldBe,
    FactsError,
    FactSpec,
    GradeInfo,
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
    "ClockRule",
    "CouldBe",
    "FactSpec",
    "FactsError",
    "GradeInfo",
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
    "profile_path",
    "rank",
    "route_for_grade",
]

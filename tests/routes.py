"""What a route should say, written out from the appendix independently of the engine: a grade
row's review types in order, with CDOP only for a child who died (the `cdop` flag)."""

from __future__ import annotations

from collections.abc import Mapping

from matrix import Matrix

CDOP = "CDOP (Child Death Overview Panel)"


def row_route(matrix: Matrix, grade: str, flags: Mapping[str, bool]) -> tuple[str, ...]:
    """The review types of `grade`'s row, less CDOP when the child did not die."""
    return tuple(r for r in matrix.info(grade).review_types if r != CDOP or flags.get("cdop"))

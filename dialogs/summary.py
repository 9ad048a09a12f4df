"""The summary shown before `confirm`: the grade, why, what it means, and the answers given.

Builds the context of `templates/dialog/summary.j2` from a conversation's answers and the
matrix result; the template decides the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.core.answers import answer_lines
from dialogs.core.table import Answer
from dialogs.questions import CHECK
from matrix.model import Matrix, Result
from templates import labels

# Questions listed separately in the summary (or not at all).
_OWN_LINES = frozenset({"privacy", "agencies", "describe", "reference", "confirm"})
# The description is shown in full with the referral; the summary keeps to one message (with
# every statutory flag and could_be line the matrix may add).
DESCRIPTION_PREVIEW = 400


def _preview(text: str) -> str:
    if len(text) <= DESCRIPTION_PREVIEW:
        return text
    return text[:DESCRIPTION_PREVIEW].rstrip() + "…"


def summary_context(
    answers: Mapping[str, Answer], result: Result, matrix: Matrix
) -> dict[str, Any]:
    """Everything `dialog/summary.j2` shows, as plain values (the template escapes them), in
    the words of `matrix` (the profile that graded `result`)."""
    m = matrix
    description = answers.get("describe", "")
    reference = answers.get("reference", "")
    agencies = answers.get("agencies", [])
    return {
        "grade": result.grade,
        "grade_label": m.label(result.grade),
        "matched": [
            {"grade_label": m.label(match.grade), "text": match.text, "ref": match.ref or ""}
            for match in result.matched
        ],
        "flags": {name: bool(value) for name, value in result.flags.items()},
        # every flag the matrix defines that is set, in its order: a new flag needs no template
        "flag_lines": [
            {"name": labels.flag_short(name, m.profile), "text": rule.description}
            for name, rule in m.flags.items()
            if result.flags.get(name)
        ],
        # what finding out an unknown answer would change (none for a good-practice check)
        "could_be": [m.could_be_text(entry) for entry in result.could_be],
        "review_types": list(result.review_types),
        "methodology": list(result.methodology),
        "reporting": list(result.reporting),
        "matrix_version": result.matrix_version,
        "terms": m.terms,
        "answers": answer_lines(CHECK, answers, _OWN_LINES),
        "agencies": list(agencies) if isinstance(agencies, list) else [],
        "description": _preview(description) if isinstance(description, str) else "",
        "reference": reference if isinstance(reference, str) else "",
    }

"""The summary shown before `confirm`: the grade, why, what it means, and the answers given.

Builds the context of `templates/dialog/summary.j2` from a conversation's answers and the
matrix result; the template decides the wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.questions import BY_ID, QUESTIONS, Answer, applicable
from matrix.engine import load_matrix
from matrix.model import Matrix, Result

# Questions listed separately in the summary (or not at all).
_OWN_LINES = frozenset({"privacy", "agencies", "describe", "reference", "confirm"})
# The description is shown in full with the referral; the summary keeps to a phone screen.
DESCRIPTION_PREVIEW = 600


def answer_label(question_id: str, answer: Answer) -> str:
    """The answer as the practitioner chose it: option labels, or the text itself."""
    question = BY_ID[question_id]
    if isinstance(answer, list):
        if question.id == "agencies":
            return ", ".join(answer)
        labels = [o.label for o in question.options if o.value in answer]
        return ", ".join(labels) if labels else "None of these"
    option = question.option(answer)
    return option.label if option is not None else answer


def answer_lines(answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
    """(short name, answer label) for each applicable answered question, in the SPEC's order."""
    return [
        (q.short, answer_label(q.id, answers[q.id]))
        for q in QUESTIONS
        if q.id in answers and q.id not in _OWN_LINES and applicable(q, answers)
    ]


def _preview(text: str) -> str:
    if len(text) <= DESCRIPTION_PREVIEW:
        return text
    return text[:DESCRIPTION_PREVIEW].rstrip() + "…"


def summary_context(
    answers: Mapping[str, Answer], result: Result, matrix: Matrix | None = None
) -> dict[str, Any]:
    """Everything `dialog/summary.j2` shows, as plain values (the template escapes them)."""
    m = matrix if matrix is not None else load_matrix()
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
        "review_types": list(result.review_types),
        "methodology": list(result.methodology),
        "reporting": list(result.reporting),
        "matrix_version": result.matrix_version,
        "answers": answer_lines(answers),
        "agencies": list(agencies) if isinstance(agencies, list) else [],
        "description": _preview(description) if isinstance(description, str) else "",
        "reference": reference if isinstance(reference, str) else "",
    }

"""`triage-bot matrix`: print the grading matrix as a plain-text table.

One block per grade, highest first: each criterion's id, regulation, quoted appendix text and
condition, then the review types, methodology and reporting considerations; then the `none`
outcome and the statutory flags. `--full` adds the appendix's wording of every cell. Imports no
`telegram`.
"""

from __future__ import annotations

import argparse
import textwrap

from bot.commands.common import add_matrix_option, chosen_matrix, write_utf8
from matrix import GRADES, NONE, Matrix
from matrix.conditions import describe

WIDTH = 100
EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `--full` and `--matrix`."""
    parser.add_argument(
        "--full", action="store_true", help="also print the appendix's wording of every cell"
    )
    add_matrix_option(parser, "show", " (checks it first)")


def run(args: argparse.Namespace) -> int:
    """Print the table; 2 with a message on stderr when the matrix file is invalid."""
    matrix = chosen_matrix("matrix", args.matrix)
    if matrix is None:
        return EXIT_BAD_INPUT
    write_utf8(render_table(matrix, full=args.full))
    return 0


def render_table(matrix: Matrix, full: bool = False) -> str:
    """The whole matrix as plain text, `WIDTH` columns wide."""
    left = max(len(matrix.label(g)) for g in (*GRADES, NONE)) + 2
    lines = [f"Grading matrix version {matrix.version} (profile {matrix.profile})"]
    if matrix.title:
        lines.append(matrix.title)
    lines += [
        "The grade is the highest row with a matching criterion; every match is reported.",
        "",
        f"{'GRADE':<{left}}CRITERIA (id [regulation], appendix text, condition) AND ROUTE",
        "=" * WIDTH,
    ]
    for grade in (*GRADES, NONE):
        lines += _grade_block(matrix, grade, left, full)
        lines.append("-" * WIDTH)
    lines += ["", f"{'FLAG':<24}SET WHEN", "=" * WIDTH]
    for name, rule in matrix.flags.items():
        when = (
            f"any {rule.when_grade_matched} criterion matched"
            if rule.when is None
            else describe(rule.when)
        )
        lines += _wrapped(when, 24, first=f"{name:<24}")
        lines += _wrapped(rule.description, 26)
        if rule.route_first:
            lines += _wrapped(f"route begins with: {rule.route_first}", 26)
    if matrix.clocks:
        lines += ["", f"{'CLOCK':<24}DUE", "=" * WIDTH]
        for clock in matrix.clocks:
            due = f"{clock.label}: {clock.days} {clock.unit} days after {clock.start}"
            lines += _wrapped(f"{due} (when {clock.flag} is set)", 24, first=f"{clock.name:<24}")
    if matrix.escalation:
        lines += ["", *textwrap.wrap(matrix.escalation, WIDTH)]
    return "\n".join(lines) + "\n"


def _grade_block(matrix: Matrix, grade: str, left: int, full: bool) -> list[str]:
    info = matrix.info(grade)
    head = f"{info.label:<{left}}"
    lines: list[str] = []
    criteria = matrix.criteria_for(grade) if grade != NONE else ()
    if not criteria:
        lines.append(head + "(no criterion matched)" if grade == NONE else head + "(no criteria)")
    for criterion in criteria:
        title = criterion.id + (f"  [{criterion.ref}]" if criterion.ref else "")
        if criterion.only_if_no_concern:
            title += "  (only when no concern criterion matched)"
        lines.append((head if not lines else " " * left) + title)
        lines += _wrapped(f'"{criterion.quote}"', left + 2)
        lines += _wrapped(f"when: {describe(criterion.when)}", left + 2)
    for label, items in (
        ("Review types", info.review_types),
        ("Methodology", info.methodology),
        ("Reporting", info.reporting),
    ):
        if items:
            lines += _wrapped("; ".join(items), left + 14, first=" " * left + f"{label + ':':<14}")
    if full:
        for label, cell in (
            ("Incident", info.incident),
            ("Statutory compliance", info.statutory_compliance),
            ("Type of review", info.type_of_review),
            ("Approaches", info.approaches),
            ("Reputation", info.reputation),
        ):
            lines.append(" " * left + f"{label} (appendix):")
            for paragraph in cell.splitlines() or ["(none stated)"]:
                lines += _wrapped(paragraph, left + 2)
    return lines


def _wrapped(text: str, indent: int, first: str | None = None) -> list[str]:
    """Wrap `text` to `WIDTH`, indented by `indent`; `first` replaces the first line's indent."""
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=first if first is not None else " " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    ) or [first or ""]

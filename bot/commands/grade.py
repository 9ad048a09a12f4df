"""`triage-bot grade [FILE|-]`: grade facts JSON on the matrix and print the result JSON.

A JSON object of facts gives one result object (SPEC §6, with `could_be`); a JSON array of facts
objects gives an array of results, in order (any set of facts, e.g. a board's test cases for an
edited matrix; stored referrals are regraded by `triage-bot regrade`). The matrix is `--matrix`,
else the `MATRIX` setting (the environment over the `TRIAGE_CONFIG` file: 2013, wt2023 or a path),
else 2013; a result
under another profile than 2013 names it (`"profile": "wt2023"`). Bad input is told in one line
on stderr with exit status 2: empty input says so, and a bad item of an array is numbered from 1.
Facts that give nothing but defaults (`{}`) are graded (none) with a note on stderr. Imports no
`telegram`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.commands.common import add_matrix_option, chosen_matrix, write_utf8
from matrix import FactsError, Matrix, grade, normalize_facts
from matrix.engine import DEFAULT_PROFILE

EXIT_BAD_INPUT = 2


class InputError(Exception):
    """The input could not be read or graded; the message is for the person at the terminal."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare `FILE` (default `-`, standard input) and `--matrix`."""
    parser.add_argument(
        "file",
        nargs="?",
        default="-",
        metavar="FILE",
        help="facts JSON: one object, or an array of objects (default -, standard input)",
    )
    add_matrix_option(parser, "grade with", " (the 2013 profile by default)")


def run(args: argparse.Namespace) -> int:
    """Grade the input and print the result JSON; 2 on bad input, with a message on stderr."""
    matrix = chosen_matrix("grade", args.matrix)
    if matrix is None:
        return EXIT_BAD_INPUT
    try:
        payload = _read_json(args.file)
        output = grade_payload(payload, matrix)
    except InputError as exc:
        print(f"triage-bot grade: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for note in notes(payload, matrix):
        print(f"triage-bot grade: note: {note}", file=sys.stderr)
    write_utf8(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


def grade_payload(payload: Any, matrix: Matrix) -> dict[str, Any] | list[dict[str, Any]]:
    """Grade one facts object, or each object of an array; `InputError` names a bad item
    (numbered from 1)."""
    if isinstance(payload, dict):
        try:
            return _result(payload, matrix)
        except FactsError as exc:
            raise InputError(f"bad facts: {exc}") from None
    if isinstance(payload, list):
        results = []
        for number, item in enumerate(payload, start=1):
            if not isinstance(item, dict):
                raise InputError(f"item {number}: expected a JSON object of facts")
            try:
                results.append(_result(item, matrix))
            except FactsError as exc:
                raise InputError(f"item {number}: bad facts: {exc}") from None
        return results
    raise InputError("expected a JSON object of facts or an array of such objects")


def _result(facts: dict[str, Any], matrix: Matrix) -> dict[str, Any]:
    """One result JSON; under a profile other than the default 2013 one, with its `profile`
    (the 2013 output stays exactly as it was, for the scripts that read it)."""
    result = grade(facts, matrix).to_dict()
    return result if matrix.profile == DEFAULT_PROFILE else {**result, "profile": matrix.profile}


def notes(payload: Any, matrix: Matrix) -> list[str]:
    """Notes for valid input: each facts object that gives no fact other than its default."""
    items = [payload] if isinstance(payload, dict) else payload
    found = []
    for number, item in enumerate(items, start=1):
        if normalize_facts(item, matrix) == normalize_facts({}, matrix):
            where = f"item {number}: " if isinstance(payload, list) else ""
            found.append(f"{where}no concern facts were given: every fact took its default")
    return found


def _read_json(name: str) -> Any:
    try:
        if name == "-":
            text = sys.stdin.read()
            where = "standard input"
        else:
            text = Path(name).read_text(encoding="utf-8")
            where = name
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"cannot read {name}: {reason}") from None
    if not text.strip():
        raise InputError(
            f"no input: {where} is empty (give a JSON object of facts, or an array of them)"
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON in {where}: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError(f"invalid JSON in {where}: nested too deeply") from None

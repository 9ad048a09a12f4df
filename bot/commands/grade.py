"""`triage-bot grade [FILE|-]`: grade facts JSON on the matrix and print the result JSON.

A JSON object of facts gives one result object (SPEC §6); a JSON array of facts objects gives an
array of results (boards regrade old referrals this way when the matrix changes). Bad input is
told in one line on stderr with exit status 2. Imports no `telegram`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from matrix import FactsError, Matrix, MatrixError, grade, load_matrix

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
    parser.add_argument(
        "--matrix",
        metavar="TOML",
        default=None,
        help="grade with this matrix file instead of the packaged one",
    )


def run(args: argparse.Namespace) -> int:
    """Grade the input and print the result JSON; 2 on bad input, with a message on stderr."""
    try:
        matrix = load_matrix(args.matrix)
        payload = _read_json(args.file)
        output = grade_payload(payload, matrix)
    except (InputError, MatrixError) as exc:
        print(f"triage-bot grade: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    _write(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    return 0


def grade_payload(payload: Any, matrix: Matrix) -> dict[str, Any] | list[dict[str, Any]]:
    """Grade one facts object, or each object of an array; `InputError` names a bad item."""
    if isinstance(payload, dict):
        try:
            return grade(payload, matrix).to_dict()
        except FactsError as exc:
            raise InputError(f"bad facts: {exc}") from None
    if isinstance(payload, list):
        results = []
        for index, item in enumerate(payload):
            if not isinstance(item, dict):
                raise InputError(f"item {index}: expected a JSON object of facts")
            try:
                results.append(grade(item, matrix).to_dict())
            except FactsError as exc:
                raise InputError(f"item {index}: bad facts: {exc}") from None
        return results
    raise InputError("expected a JSON object of facts or an array of such objects")


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
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON in {where}: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise InputError(f"invalid JSON in {where}: nested too deeply") from None


def _write(text: str) -> None:
    """Write UTF-8 whatever the terminal's locale (the appendix quotes contain ’)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
    sys.stdout.flush()

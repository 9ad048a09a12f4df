"""`triage-bot export [--year YYYY] [--out FILE]`: referrals as CSV (standard output by default).

One row per referral: reference, dates, the referring agency (no practitioner identity beyond it),
grades, flags, agencies involved, status, the chair's decision, days to decision and the
description as stored (redacted at filing). The practitioner's own case reference is left out.
Cells that a spreadsheet would take for a formula are prefixed with an apostrophe. `--out FILE`
is written whole or not at all, readable by its owner alone, and never through a symbolic link
(`bot.files.private_file`). Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from storage.referrals import Referral

COLUMNS = (
    "ref",
    "year",
    "filed_at",
    "referrer_agency",
    "grade",
    "original_grade",
    "matrix_version",
    "urgent",
    "scr_required",
    "scr_unless_no_concerns",
    "cdop",
    "notifiable",
    "agencies",
    "status",
    "decision",
    "decided_at",
    "days_to_decision",
    "decision_reason",
    "description",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--year` (optional) and `--out FILE` (default: standard output)."""
    parser.add_argument("--year", type=int, default=None, help="only referrals of this year")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default stdout)")


def safe_cell(value: object) -> str:
    """A cell as text, with a leading apostrophe where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows(referrals: list[Referral]) -> Iterator[list[str]]:
    """The CSV rows (without the header) of these referrals."""
    for r in referrals:
        days = (
            f"{(r.decided_at - r.created_at).total_seconds() / 86400:.2f}" if r.decided_at else ""
        )
        values = (
            r.ref,
            r.year,
            r.created_at.isoformat(timespec="seconds"),
            r.referrer_agency,
            r.grade,
            r.original_grade,
            r.matrix_version,
            int(r.urgent),
            int(bool(r.flags.get("scr_required"))),
            int(bool(r.flags.get("scr_unless_no_concerns"))),
            int(bool(r.flags.get("cdop"))),
            int(bool(r.flags.get("notifiable"))),
            "; ".join(r.agencies),
            r.status,
            r.decision or "",
            r.decided_at.isoformat(timespec="seconds") if r.decided_at else "",
            days,
            r.decision_reason or "",
            r.description,
        )
        yield [safe_cell(v) for v in values]


def run(args: argparse.Namespace) -> int:
    """Write the CSV of the database named by TRIAGE_DB."""
    from bot.files import UnsafeTarget, check_target, private_file
    from bot.settings import SettingsError, load_settings
    from storage.db import open_db
    from storage.referrals import list_referrals

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"triage-bot export: {exc}", file=sys.stderr)
        return 2
    try:
        if args.out is not None:
            check_target(args.out)
    except UnsafeTarget as exc:
        print(f"triage-bot export: {exc}", file=sys.stderr)
        return 2
    if not settings.db_path.exists():
        print(
            f"triage-bot export: no database at {settings.db_path} (set TRIAGE_DB)", file=sys.stderr
        )
        return 2
    db = open_db(settings.db_path)
    try:
        found = list_referrals(db, args.year)
    finally:
        db.conn.close()
    if args.out is None:
        _write(sys.stdout, found)
        return 0
    try:
        with private_file(args.out, newline="") as out:
            _write(out, found)
    except (OSError, UnsafeTarget) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"triage-bot export: cannot write {args.out}: {detail}", file=sys.stderr)
        return 2
    print(f"Exported {len(found)} referrals to {args.out}.", file=sys.stderr)
    return 0


def _write(out: TextIO, found: list[Referral]) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows(found))

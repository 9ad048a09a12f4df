"""`triage-bot export [--what referrals|actions] [--year YYYY] [--out FILE]`: CSV (standard
output by default), of referrals (the default) or of the actions of reviews' action plans.

The tables are `reports.exports`: referrals with their codes and words (grade, status, decision),
plan dates and status history, the referring agency (no practitioner identity beyond it) and the
description as stored (redacted at filing); actions with their id `REF/A1`, owner, due date,
status and whether done on time. The practitioner's own case reference is left out. `--out
FILE` is written whole or not at all, readable by its owner alone, and never through a symbolic
link (`bot.files.private_file`). Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reports.exports import ACTION_COLUMNS, REFERRAL_COLUMNS, referral_rows, safe_cell

if TYPE_CHECKING:
    from sqlite_utils import Database

    from storage.referrals import Referral

COLUMNS = REFERRAL_COLUMNS
_MOVE = re.compile(r"-> ([a-z_]+)")
__all__ = ["COLUMNS", "rows", "safe_cell"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--what`, `--year` (optional) and `--out FILE` (default: standard output)."""
    parser.add_argument(
        "--what", choices=("referrals", "actions"), default="referrals", help="which table"
    )
    parser.add_argument("--year", type=int, default=None, help="only those of this year")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default stdout)")


def rows(referrals: Sequence[Referral]) -> Iterable[list[str]]:
    """The CSV rows (without the header) of these referrals, without plan dates or history."""
    return referral_rows(referrals)


def _table(db: Database, what: str, year: int | None) -> tuple[tuple[str, ...], list[list[str]]]:
    """The header and rows of the table asked for."""
    from reports.exports import action_rows, status_history
    from storage import actions, events, plans
    from storage.referrals import list_referrals

    if what == "actions":
        return ACTION_COLUMNS, list(action_rows(actions.all_actions(db, year)))
    found = list_referrals(db, year)
    answers = {}
    history = {}
    for r in found:
        plan = plans.get_plan(db, r.ref)
        if plan is not None:
            answers[r.ref] = plan.answers
        moves = [
            (e.at, m[1])
            for e in events.events_for(db, r.ref)
            if e.action in ("status", "decision") and (m := _MOVE.search(e.detail))
        ]
        history[r.ref] = status_history(moves)
    return REFERRAL_COLUMNS, list(referral_rows(found, answers, history))


def run(args: argparse.Namespace) -> int:
    """Write the CSV of the database named by TRIAGE_DB."""
    from bot.files import UnsafeTarget, check_target, private_file
    from bot.settings import SettingsError, load_settings
    from storage.db import open_db

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
        header, found = _table(db, args.what, args.year)
    finally:
        db.conn.close()
    if args.out is None:
        _write(sys.stdout, header, found)
        return 0
    try:
        with private_file(args.out, newline="") as out:
            _write(out, header, found)
    except (OSError, UnsafeTarget) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"triage-bot export: cannot write {args.out}: {detail}", file=sys.stderr)
        return 2
    print(f"Exported {len(found)} {args.what} to {args.out}.", file=sys.stderr)
    return 0


def _write(out: TextIO, header: Sequence[str], found: list[list[str]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(found)

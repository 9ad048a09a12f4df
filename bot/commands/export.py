"""`triage-bot export [--what referrals|actions|briefs|briefs-by-agency|reviews] [--year YYYY]
[--out FILE] [--with-case-reference]`: CSV (standard output by default), of referrals (the
default), of the actions of reviews' action plans, of learning briefs and their reach, or of
the reviews, one row a review where it stands.

The tables are `reports.exports`: referrals with their codes and words (grade, status, decision),
plan dates, status history and themes, the referring agency (no practitioner identity beyond it)
and the description as stored (redacted at filing); actions with their id `REF/A1`, owner, due
date, status and whether done on time; briefs with counts only (sent to, read, read rate; by
agency with `briefs-by-agency`), a brief's year being the year it was approved (or begun, if
not); reviews (approved referrals, of the year they were filed) with their stage, next date due
and working days behind plan on the board's today, its bank holidays skipped
(`reports.review_stages`), the plan's dates, agency reviews asked, in and late, and themes.

The practitioner's own case reference is left out of the referrals unless `--with-case-reference`
asks for it (data minimisation: a CSV travels). Such an export is recorded in each exported
referral's event log (`exported`, by `cli`; `triage-bot audit REF` shows it) once the CSV is
written whole (an export that fails to write records nothing), and stderr says the file holds
case references. `--out FILE` is written whole or not at
all, readable by its owner alone, and never through a symbolic link (`bot.files.private_file`).
Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reports.exports import (
    ACTION_COLUMNS,
    BRIEF_AGENCY_COLUMNS,
    BRIEF_COLUMNS,
    REFERRAL_COLUMNS,
    REVIEW_COLUMNS,
    referral_columns,
    referral_rows,
    safe_cell,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from bot.settings import Settings
    from storage.referrals import Referral

COLUMNS = REFERRAL_COLUMNS
TABLES = ("referrals", "actions", "briefs", "briefs-by-agency", "reviews")
EXPORTED_DETAIL = "case reference in a CSV export (triage-bot export --with-case-reference)"
_MOVE = re.compile(r"-> ([a-z_]+)")
__all__ = ["COLUMNS", "rows", "safe_cell"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--what`, `--year` (optional), `--out FILE` (default: standard output) and
    `--with-case-reference`."""
    parser.add_argument(
        "--what",
        choices=TABLES,
        default="referrals",
        help="which table: referrals (default), actions, briefs (one row per learning brief), "
        "briefs-by-agency (one row per brief and agency reached), reviews (one row per review, "
        "where it stands); briefs counted in the year they were approved",
    )
    parser.add_argument("--year", type=int, default=None, help="only those of this year")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default stdout)")
    parser.add_argument(
        "--with-case-reference",
        action="store_true",
        help="referrals only: add the practitioner's case reference (left out by default); "
        "recorded in each referral's event log",
    )


def rows(referrals: Sequence[Referral]) -> Iterable[list[str]]:
    """The CSV rows (without the header) of these referrals, without plan dates or history."""
    return referral_rows(referrals)


def _reviews(db: Database, year: int | None, settings: Settings) -> list[list[str]]:
    """The reviews' rows, each where it stands on the board's today."""
    import functools

    from bot.delivery.workdays import board_day, working_days_between
    from reports.exports import review_rows
    from reports.review_stages import review_rows as rows_of
    from storage.referrals import list_referrals
    from storage.themes import themes_by_ref

    count = functools.partial(working_days_between, holidays=settings.bank_holidays)
    today = board_day(dt.datetime.now(dt.UTC))
    found = rows_of(db, list_referrals(db, year), today, count)
    return list(review_rows(found, themes_by_ref(db)))


def _table(
    db: Database,
    what: str,
    year: int | None,
    with_case_reference: bool = False,
    settings: Settings | None = None,
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The header and rows of the table asked for."""
    from reports.exports import action_rows, brief_agency_rows, brief_rows, status_history
    from storage import actions, briefs, events, plans, themes
    from storage.referrals import list_referrals

    if what == "reviews":
        assert settings is not None
        return REVIEW_COLUMNS, _reviews(db, year, settings)
    if what == "actions":
        return ACTION_COLUMNS, list(action_rows(actions.all_actions(db, year)))
    if what == "briefs":
        return BRIEF_COLUMNS, list(brief_rows(briefs.brief_rows(db, year)))
    if what == "briefs-by-agency":
        return BRIEF_AGENCY_COLUMNS, list(brief_agency_rows(briefs.brief_rows(db, year)))
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
    table = referral_rows(found, answers, history, with_case_reference, themes.themes_by_ref(db))
    return referral_columns(with_case_reference), list(table)


def run(args: argparse.Namespace) -> int:
    """Write the CSV of the database named by TRIAGE_DB."""
    from bot.commands.common import open_existing
    from bot.files import UnsafeTarget, check_target, private_file

    if args.with_case_reference and args.what != "referrals":
        print("triage-bot export: --with-case-reference is for --what referrals", file=sys.stderr)
        return 2

    def check_out() -> None:
        if args.out is not None:
            check_target(args.out)

    opened = open_existing("export", check_out)
    if opened is None:
        return 2
    settings, db = opened
    try:
        header, found = _table(db, args.what, args.year, args.with_case_reference, settings)
        if args.out is None:
            _write(sys.stdout, header, found)
        else:
            try:
                with private_file(args.out, newline="") as out:
                    _write(out, header, found)
            except (OSError, UnsafeTarget) as exc:
                detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                print(f"triage-bot export: cannot write {args.out}: {detail}", file=sys.stderr)
                return 2
        if args.with_case_reference:
            _record_case_references(db, header, found)
    finally:
        db.conn.close()
    if args.out is None:
        return 0
    noun = "rows of briefs by agency" if args.what == "briefs-by-agency" else args.what
    print(f"Exported {len(found)} {noun} to {args.out}.", file=sys.stderr)
    return 0


def _record_case_references(db: Database, header: Sequence[str], found: list[list[str]]) -> None:
    """Log the export in each referral whose case reference it carried, and say so on stderr
    (only once the CSV has been written whole)."""
    from storage import events

    column = header.index("case_reference")
    held = [row[0] for row in found if row[column]]
    events.record_exports(db, held, "cli", EXPORTED_DETAIL, dt.datetime.now(dt.UTC))
    print(
        f"triage-bot export: this export holds the case references of {len(held)} "
        "referrals (recorded in their event logs); keep it as you keep the case records.",
        file=sys.stderr,
    )


def _write(out: TextIO, header: Sequence[str], found: list[list[str]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(found)

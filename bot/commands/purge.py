"""`triage-bot purge [--dry-run] [--today YYYY-MM-DD]`: apply the retention schedule now.

Erases the free text of every referral declined longer than `RETAIN_DECLINED_MONTHS` or closed
longer than `RETAIN_CLOSED_YEARS` (as the bot's daily job does; `storage.retention`), and prints
what it erased: each reference with its counts, then the totals. `--dry-run` prints what would
be erased and changes nothing; `--today` reckons from another day (default: today). Does not
import `telegram`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is YYYY-MM-DD, got {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--dry-run` and `--today YYYY-MM-DD`."""
    parser.add_argument(
        "--dry-run", action="store_true", help="print what would be erased; change nothing"
    )
    parser.add_argument(
        "--today", type=_day, default=None, help="reckon from this day (default today)"
    )


def run(args: argparse.Namespace) -> int:
    """Purge the database named by TRIAGE_DB and print what was erased."""
    from bot.commands.common import open_existing
    from storage.retention import purge
    from templates import render

    opened = open_existing("purge")
    if opened is None:
        return 2
    settings, db = opened
    today = args.today or dt.date.today()
    try:
        done = purge(
            db,
            today=today,
            declined_months=settings.retain_declined_months,
            closed_years=settings.retain_closed_years,
            now=dt.datetime.now(dt.UTC),
            actor="cli",
            dry_run=args.dry_run,
        )
    finally:
        db.conn.close()
    print(render("cli/purge.txt.j2", done=done, settings=settings))
    if not done.checkpointed:
        print(
            "triage-bot purge: warning: another process held the database's WAL; the old text "
            "leaves it at the next checkpoint (stop the bot and run purge again to be sure)",
            file=sys.stderr,
        )
    return 0

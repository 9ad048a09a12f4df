"""`triage-bot report --year YYYY [--out DIR] [--progress]`: write the annual update.

Writes `annual-report-YYYY.md` (tables) and `annual-report-YYYY.html` (tables and inline SVG bar
charts) into DIR (default: the current folder) from the database named by TRIAGE_DB, and prints
their paths. Each file is written whole or not at all, readable by its owner alone, and never
through a symbolic link (`bot.files.private_file`): one planted at either name is refused
before anything is written. A progress bar goes to stderr when it is a terminal, or with
`--progress`. Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--year` (required), `--out DIR`, `--progress`."""
    parser.add_argument("--year", type=int, required=True, help="the year to report on")
    parser.add_argument(
        "--out", type=Path, default=Path("."), help="folder to write the report into (default .)"
    )
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr even when it is not a terminal",
    )


def run(args: argparse.Namespace) -> int:
    """Compute the figures of the year and write the two documents."""
    import functools

    from bot.commands.common import open_existing
    from bot.delivery.workdays import board_day, working_days_between
    from bot.files import UnsafeTarget, check_target, private_file
    from reports.annual import gather_years, render_report

    if not 1900 <= args.year <= 9999:
        print(
            f"triage-bot report: --year must be a year such as 2026, got {args.year}",
            file=sys.stderr,
        )
        return 2
    targets = paths(args.out, args.year)

    def check_out() -> None:
        if args.out.exists() and not args.out.is_dir():
            raise UnsafeTarget(f"{args.out} is not a folder")
        for path in targets:
            check_target(path)

    opened = open_existing("report", check_out)
    if opened is None:
        return 2
    settings, db = opened
    try:
        show = bool(args.progress or sys.stderr.isatty())
        today = board_day(dt.datetime.now(dt.UTC))
        count = functools.partial(working_days_between, holidays=settings.bank_holidays)
        figures = gather_years(db, args.year, today, sys.stderr, show, count)
    finally:
        db.conn.close()
    report = render_report(figures, today, settings.load_matrix().terms)
    try:
        for path, text in zip(targets, (report.markdown, report.html), strict=True):
            with private_file(path) as out:
                out.write(text)
    except (OSError, UnsafeTarget) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        print(f"triage-bot report: cannot write into {args.out}: {detail}", file=sys.stderr)
        return 2
    print(f"Annual update {args.year}: {figures.year.total} referrals.")
    for path in targets:
        print(path)
    return 0


def paths(folder: Path, year: int) -> tuple[Path, Path]:
    """The Markdown and HTML files of `year`'s update in `folder`."""
    stem = folder / f"annual-report-{year}"
    return stem.with_suffix(".md"), stem.with_suffix(".html")

"""`triage-bot invite --agency NAME [--days N] [--lead]`: issue a one-time invite code for a
practitioner (with `--lead`, one that registers the agency's lead: they get its actions).

Prints one line of explanation, then the code alone as the last line (so scripts can take it with
`tail -n 1`). An empty agency is refused; an agency not in the configured AGENCIES is accepted
with a warning. Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

DEFAULT_DAYS = 14


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--agency NAME` (required), `--days N` (how long the code stays valid) and `--lead`."""
    parser.add_argument("--agency", required=True, help="the practitioner's agency")
    parser.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"days the code stays valid (default {DEFAULT_DAYS})",
    )
    parser.add_argument(
        "--lead",
        action="store_true",
        help="register the agency's lead (they get each new action of the agency)",
    )


def run(args: argparse.Namespace) -> int:
    """Create the code in the database named by TRIAGE_DB and print it last."""
    from bot.commands.common import settings_for
    from storage.db import open_db
    from storage.practitioners import create_invite

    agency = " ".join(str(args.agency).split())
    if not agency:
        print("triage-bot invite: --agency must name an agency", file=sys.stderr)
        return 2
    if args.days <= 0:
        print(f"triage-bot invite: --days must be positive, got {args.days}", file=sys.stderr)
        return 2
    settings = settings_for("invite")
    if settings is None:
        return 2
    known = {name.casefold(): name for name in settings.agencies}
    if agency.casefold() in known:
        agency = known[agency.casefold()]
    else:
        print(
            f"triage-bot invite: warning: {agency!r} is not one of the configured agencies "
            f"({', '.join(settings.agencies)}); issuing the code anyway",
            file=sys.stderr,
        )
    now = dt.datetime.now(dt.UTC)
    db = open_db(settings.db_path)
    try:
        code = create_invite(db, agency, "cli", now, ttl_days=args.days, lead=args.lead)
    finally:
        db.conn.close()
    until = (now + dt.timedelta(days=args.days)).strftime("%Y-%m-%d %H:%M UTC")
    whom = f"the lead of {agency}" if args.lead else agency
    print(
        f"One-time invite for {whom}, valid until {until}: "
        f"the practitioner sends /start followed by this code to the bot."
    )
    print(code)
    return 0

"""`triage-bot audit REF`: a referral's whole event log — who, when, what and why — including
who viewed it (`/case`, `/tor`) and what the retention schedule erased. Does not import
`telegram`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from storage.events import Event
    from storage.referrals import Referral


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`REF`, the referral's reference."""
    parser.add_argument("ref", help="the referral's reference, such as LIR-2026-0001")


def run(args: argparse.Namespace) -> int:
    """Print the event log of REF from the database named by TRIAGE_DB."""
    from bot.commands.common import actor_label, read_existing
    from storage.events import events_for
    from storage.referrals import get_referral
    from templates import render

    def read(db: Database) -> tuple[Referral | None, list[Event]]:
        referral = get_referral(db, args.ref)
        return referral, events_for(db, referral.ref) if referral is not None else []

    opened = read_existing("audit", read)
    if opened is None:
        return 2
    settings, (referral, log) = opened
    if referral is None:
        print(f"triage-bot audit: no referral {args.ref.strip().upper()}", file=sys.stderr)
        return 1
    rows = [
        (
            e.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
            actor_label(settings, e.actor, referral.referrer_id),
            e.action,
            e.detail,
        )
        for e in log
    ]
    width = max((len(who) for _, who, _, _ in rows), default=0)
    print(render("cli/audit.txt.j2", referral=referral, rows=rows, width=width))
    return 0

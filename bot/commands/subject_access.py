"""`triage-bot subject-access --user ID`: what is held about one Telegram user, for the board to
answer a subject access request: the registration, the referrals they filed (reference, dates,
status), the questions the board relayed to them and their answers, the learning briefs sent to them
and which they read, their briefs opt-out, their presses as a safeguarding partner's lead, their
updates on actions, their invitations to learning events, every event where they are the actor,
unfinished work, and how many messages went to their chat. The board reads it before disclosing it:
referrals are about children, and their descriptions are not printed (`/case REF` shows them), nor
are the briefs' texts. Does not import `telegram`.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--user ID`, the person's Telegram user id."""
    parser.add_argument("--user", type=int, required=True, help="the person's Telegram user id")


def run(args: argparse.Namespace) -> int:
    """Print what the database named by TRIAGE_DB holds about the user."""
    from bot.commands.common import read_existing
    from storage.rights import held_about
    from templates import labels, render

    opened = read_existing("subject-access", lambda db: held_about(db, args.user))
    if opened is None:
        return 2
    settings, held = opened
    partner = settings.partner_of(args.user)
    role = (
        "independent chair"
        if settings.is_chair(args.user)
        else f"lead of a safeguarding partner ({labels.phrase(f'partner_{partner}')})"
        if partner is not None
        else "board officer"
        if settings.is_officer(args.user)
        else "none"
    )
    print(render("cli/subject_access.txt.j2", held=held, role=role))
    return 0

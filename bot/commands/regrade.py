"""`triage-bot regrade [--dry-run] [--matrix TOML]`: stored referrals on the current matrix.

Lists every referral in the database (`TRIAGE_DB`) whose grade or flags the matrix would change:
its reference, old and new grade, old and new flags. Without `--dry-run` it applies each change
in its own transaction with a `regraded` event keeping the old and new values
(`storage.regrades`). A grade a person escalated above the matrix's stays while the matrix's
grade is not higher; the flags follow the grade the referral then has (`route_for_grade`). A
referral the chair has already decided keeps its decision and status; the change is in its
event log. Only the chair records a lower outcome (SPEC §3), so a decided referral the matrix
grades higher takes the higher grade and the board group is told, while one it grades lower
keeps its grade and flags and the lower grade goes to the deciders as a card (`Accept lower
grade` / `Keep`, `services.regrading`); an undecided one takes the matrix's grade either way,
its grade being the matrix's suggestion until decided. Referrals whose stored facts the matrix
refuses are named on stderr and left as they are (exit status 1). The matrix is `--matrix`, else
the `MATRIX` setting's; only the referrals graded under its profile are considered (a 2013
referral is never regraded on the wt2023 file, nor the reverse). Imports no `telegram`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.commands.common import add_matrix_option
from matrix import (
    FLAGS,
    FactsError,
    Matrix,
    MatrixError,
    grade,
    load_profile,
    rank,
    route_for_grade,
)

if TYPE_CHECKING:
    from storage.referrals import Referral
    from storage.regrades import Regrade

EXIT_PARTLY = 1
EXIT_BAD_INPUT = 2
ACTOR = "cli"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--dry-run` (list, write nothing) and `--matrix` (another matrix file)."""
    parser.add_argument(
        "--dry-run", action="store_true", help="list the changes without writing them"
    )
    add_matrix_option(
        parser, "regrade with", "; only the referrals graded under that profile are regraded"
    )


def plan(referral: Referral, matrix: Matrix) -> Regrade | None:
    """The referral's values under `matrix`, or None when neither its grade, its matrix grade
    nor its flags would change. Raises `FactsError` when the matrix refuses the stored facts."""
    from storage.regrades import Regrade

    result = grade(referral.facts, matrix)
    escalated = referral.grade != referral.original_grade
    keep = escalated and rank(referral.grade) > rank(result.grade)
    current = referral.grade if keep else result.grade
    flags = {name: route_for_grade(referral.facts, current, matrix).flags[name] for name in FLAGS}
    old_flags = {name: bool(referral.flags.get(name, False)) for name in FLAGS}
    if (current, result.grade, flags) == (referral.grade, referral.original_grade, old_flags):
        return None
    return Regrade(
        grade=current,
        original_grade=result.grade,
        flags=flags,
        matched=tuple(m.to_dict() for m in result.matched),
        result=result.to_dict(),
        matrix_version=matrix.version,
    )


def describe(referral: Referral, new: Regrade | Referral) -> str:
    """One line: the reference, old and new grade, old and new flags (and what else holds)."""
    line = (
        f"{referral.ref}  grade {referral.grade} -> {new.grade}"
        f"  flags {_names(referral.flags)} -> {_names(new.flags)}"
    )
    if (referral.grade, new.grade) != (referral.original_grade, new.original_grade):
        line += f"  (matrix grade {referral.original_grade} -> {new.original_grade})"
    if referral.decision is not None and rank(new.grade) < rank(referral.grade):
        line += (
            f"  [already decided ({referral.decision}, status {referral.status}):"
            f" lower grade proposed to the deciders, {referral.grade} kept until one accepts]"
        )
    elif referral.decision is not None:
        line += (
            f"  [already decided ({referral.decision}, status {referral.status}):"
            " decision and status kept]"
        )
    return line


def run(args: argparse.Namespace) -> int:
    """List (and without --dry-run apply) the changes; 2 on a bad setting, database or matrix."""
    from bot.commands.common import existing_db, settings_for
    from services.regrading import regrade
    from storage.referrals import list_referrals

    settings = settings_for("regrade")
    if settings is None:
        return EXIT_BAD_INPUT
    try:
        matrix = load_profile(args.matrix) if args.matrix else settings.load_matrix()
    except MatrixError as exc:
        print(f"triage-bot regrade: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    db = existing_db("regrade", settings)
    if db is None:
        return EXIT_BAD_INPUT
    changed = decided = refused = 0
    try:
        referrals = [r for r in list_referrals(db) if r.profile == matrix.profile]
        for referral in referrals:
            try:
                if args.dry_run:
                    new = plan(referral, matrix)
                    if new is not None:
                        print(describe(referral, new))
                        changed += 1
                        decided += referral.decision is not None
                    continue
                done = regrade(
                    db,
                    referral.ref,
                    lambda r: plan(r, matrix),
                    ACTOR,
                    dt.datetime.now(dt.UTC),
                    board_chat_id=settings.board_chat_id,
                    decider_ids=settings.decider_ids,
                )
            except FactsError as exc:
                print(f"triage-bot regrade: {referral.ref}: cannot regrade: {exc}", file=sys.stderr)
                refused += 1
                continue
            if done is not None:
                print(describe(done.before, done.new))
                changed += 1
                decided += done.before.decision is not None
    finally:
        db.conn.close()
    print(_summary(args.dry_run, changed, len(referrals), decided, matrix.version))
    return EXIT_PARTLY if refused else 0


def _summary(dry_run: bool, changed: int, total: int, decided: int, version: str) -> str:
    if not changed:
        return f"No referral's grade or flags change under matrix {version} ({total} checked)."
    kept = f"; {decided} already decided keep their decision and status" if decided else ""
    if dry_run:
        return (
            f"{changed} of {total} referrals would change under matrix {version}{kept}"
            " (dry run: nothing written)."
        )
    return (
        f"Regraded {changed} of {total} referrals under matrix {version}{kept}; each change is"
        " in the referral's event log."
    )


def _names(flags: Mapping[str, bool]) -> str:
    on = [name for name in FLAGS if flags.get(name)]
    return ", ".join(on) if on else "none"

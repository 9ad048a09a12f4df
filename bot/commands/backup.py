"""`triage-bot backup PATH [--force]`: copy the live database with SQLite's online backup.

Safe while the bot runs (WAL mode): the copy is a consistent snapshot, readable by its owner
alone (0600), renamed into place whole or not written at all. Refuses to overwrite an existing
file unless `--force`, and refuses a folder or a symbolic link as PATH (one line, exit 2).
Prints the path written and how many referrals it holds. Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`PATH` of the copy, and `--force` to overwrite an existing file."""
    parser.add_argument("path", type=Path, help="file to write the copy to")
    parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")


def run(args: argparse.Namespace) -> int:
    """Back up the database named by TRIAGE_DB to PATH."""
    from bot.commands.common import settings_for
    from storage.backup import BackupError, backup_database

    settings = settings_for("backup")
    if settings is None:
        return 2
    try:
        referrals = backup_database(settings.db_path, args.path, force=args.force)
    except BackupError as exc:
        print(f"triage-bot backup: {exc}", file=sys.stderr)
        return 2
    noun = "referral" if referrals == 1 else "referrals"
    print(f"Backed up {settings.db_path} to {args.path} ({referrals} {noun}).")
    return 0

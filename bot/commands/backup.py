"""`triage-bot backup PATH [--force]`: copy the live database with SQLite's online backup.

Safe while the bot runs (WAL mode): the copy is a consistent snapshot, readable by its owner
alone (0600), renamed into place whole or not written at all. Refuses to overwrite an existing
file unless `--force`, and refuses a folder or a symbolic link as PATH (one line, exit 2).
Prints the path written and how many referrals it holds. Records in the database when the
backup was made (never where), so a purge can say which backups still hold what it erased; a
database too busy to take that record is a warning, the backup itself stands. Does not import
`telegram`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`PATH` of the copy, and `--force` to overwrite an existing file."""
    parser.add_argument("path", type=Path, help="file to write the copy to")
    parser.add_argument("--force", action="store_true", help="overwrite PATH if it exists")


def run(args: argparse.Namespace) -> int:
    """Back up the database named by TRIAGE_DB to PATH."""
    from bot.commands.common import settings_for
    from storage.backup import BackupError, backup_database, record_backup
    from storage.db import open_db

    settings = settings_for("backup")
    if settings is None:
        return 2
    try:
        referrals = backup_database(settings.db_path, args.path, force=args.force)
    except BackupError as exc:
        print(f"triage-bot backup: {exc}", file=sys.stderr)
        return 2
    try:
        db = open_db(settings.db_path)
        try:
            record_backup(db, dt.datetime.now(dt.UTC))
        finally:
            db.conn.close()
    except sqlite3.Error as exc:
        print(
            f"triage-bot backup: warning: the backup was not recorded ({exc}); a purge will "
            "not count it among the backups that still hold what it erases",
            file=sys.stderr,
        )
    noun = "referral" if referrals == 1 else "referrals"
    print(f"Backed up {settings.db_path} to {args.path} ({referrals} {noun}).")
    return 0

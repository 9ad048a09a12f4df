"""Online backup: a consistent copy of the live database with SQLite's backup API.

Works while the bot writes (WAL mode): the copy is a snapshot of one moment. It is written to a
temporary file beside the destination and renamed into place, so a half-written backup never
carries the destination's name. The copy is a self-contained file (rollback journal, not WAL).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from storage.db import connect


class BackupError(Exception):
    """The backup cannot be made; the message says why."""


def backup_database(source: str | Path, dest: str | Path, *, force: bool = False) -> int:
    """Copy the database at `source` to `dest`; returns how many referrals the copy holds.

    Refuses to overwrite an existing `dest` unless `force`, and refuses a missing `source`.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    if dest.exists() and not force:
        raise BackupError(f"{dest} already exists (use --force to overwrite it)")
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError("the backup cannot overwrite the database itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = connect(source)
    try:
        copy = sqlite3.connect(str(partial), isolation_level=None)
        try:
            src.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            referrals = _count_referrals(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from None
    finally:
        src.close()
    # A stale WAL beside the old copy would be replayed into the new one: remove it first.
    for suffix in ("-wal", "-shm"):
        dest.with_name(dest.name + suffix).unlink(missing_ok=True)
    os.replace(partial, dest)
    return referrals


def _count_referrals(conn: sqlite3.Connection) -> int:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'referrals'"
    ).fetchone()
    if has_table is None:
        return 0
    return int(conn.execute("SELECT count(*) FROM referrals").fetchone()[0])

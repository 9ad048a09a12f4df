"""Online backup: a consistent copy of the live database with SQLite's backup API.

Works while the bot writes (WAL mode): the copy is a snapshot of one moment. It is written to a
private temporary file (0600) beside the destination and renamed into place, so a half-written
backup never carries the destination's name, and removed on any failure, so none is left behind.
A destination that is a folder or a symbolic link is refused (the copy is never written through
a link). The copy is a self-contained file (rollback journal, not WAL).

Each backup made is recorded in the live database (`backups`: when, never where), because a
backup outlives the retention schedule: a purge erases text from the database, not from the
copies made before it, and says how many of those still hold it (`backups_between`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from storage.db import FOLDER_MODE, connect, transaction
from storage.timestamps import from_iso, to_iso


class BackupError(Exception):
    """The backup cannot be made; the message says why."""


@dataclass(frozen=True, slots=True)
class Backups:
    """How many backups were made in a span of time, and the latest of them."""

    count: int
    latest: dt.datetime | None


def backup_database(source: str | Path, dest: str | Path, *, force: bool = False) -> int:
    """Copy the database at `source` to `dest`; returns how many referrals the copy holds.
    The caller records it (`record_backup`).

    Refuses to overwrite an existing `dest` unless `force`, and refuses a missing `source`, a
    `dest` that is a folder or a symbolic link, and the database itself as `dest`.
    """
    source, dest = Path(source), Path(dest)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    _check_destination(source, dest, force)
    try:
        dest.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent)
    except OSError as exc:
        raise BackupError(f"cannot write into {dest.parent}: {exc.strerror or exc}") from None
    os.close(fd)  # created 0600; SQLite takes the empty file as a new database
    partial = Path(name)
    try:
        referrals = _copy(source, partial)
        # A stale WAL beside the old copy would be replayed into the new one: remove it first.
        for suffix in ("-wal", "-shm"):
            dest.with_name(dest.name + suffix).unlink(missing_ok=True)
        os.replace(partial, dest)
        _sync_folder(dest.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"backup failed: {exc}") from None
    except OSError as exc:
        raise BackupError(f"cannot write {dest}: {exc.strerror or exc}") from None
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return referrals


def record_backup(db: Database, now: dt.datetime) -> None:
    """Record that a backup of `db` was made at `now`."""
    with transaction(db):
        db.table("backups").insert({"made_at": to_iso(now)})


def backups_between(db: Database, since: dt.datetime, before: dt.datetime) -> Backups:
    """The backups made from `since` until just before `before`."""
    row = next(
        db.query(
            "SELECT count(*) AS n, max(made_at) AS latest FROM backups"
            " WHERE made_at >= ? AND made_at < ?",
            (to_iso(since), to_iso(before)),
        )
    )
    latest = row["latest"]
    return Backups(int(row["n"]), None if latest is None else from_iso(str(latest)))


def _check_destination(source: Path, dest: Path, force: bool) -> None:
    if dest.is_symlink():
        raise BackupError(f"{dest} is a symbolic link: the backup is never written through one")
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder: give the name of the file to write in it")
    if dest.exists() and not force:
        raise BackupError(f"{dest} already exists (use --force to overwrite it)")
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError("the backup cannot overwrite the database itself")


def _copy(source: Path, partial: Path) -> int:
    """Copy `source` into the (empty) file `partial` as a rollback-journal database."""
    src = connect(source)
    try:
        copy = sqlite3.connect(str(partial), isolation_level=None)
        try:
            src.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            return _count_referrals(copy)
        finally:
            copy.close()
    finally:
        src.close()


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (where the platform allows a folder to be synced)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _count_referrals(conn: sqlite3.Connection) -> int:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'referrals'"
    ).fetchone()
    if has_table is None:
        return 0
    return int(conn.execute("SELECT count(*) FROM referrals").fetchone()[0])

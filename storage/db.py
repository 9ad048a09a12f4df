"""Opening the database and running transactions.

`open_db` gives a `sqlite_utils.Database` over a connection in driver autocommit mode
(`isolation_level=None`): nothing is wrapped in a transaction behind our back, and `transaction`
decides where each one begins and ends. The database runs in WAL mode (readers never block the
writer, and an online backup can run while the bot writes), with foreign keys enforced, a busy
timeout so that two writers queue instead of failing, and `secure_delete` (erased text is zeroed
in the file, not left in free space; `checkpoint` then empties the WAL of its old copies).

`transaction(db)` opens `BEGIN IMMEDIATE` (the write lock is taken at the start, so a
read-then-write such as allocating the next reference cannot race another process) and commits,
or rolls back on any exception. Nested use becomes a savepoint, so storage functions that open a
transaction can be composed inside a caller's transaction. sqlite-utils' own writes inside it join
the transaction through their savepoints.

The database holds personal data: a new database file is created readable by its owner alone
(0600; SQLite gives its -wal and -shm the database file's mode) in a folder created 0700,
whatever the process's umask.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000
FILE_MODE = 0o600
FOLDER_MODE = 0o700

Params = Sequence[Any] | dict[str, Any]


def connect(path: str | Path) -> sqlite3.Connection:
    """A raw connection with this package's settings; no migrations (see `open_db`)."""
    conn = sqlite3.connect(
        str(path),
        isolation_level=None,
        check_same_thread=False,
        timeout=BUSY_TIMEOUT_MS / 1000,
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # what is deleted or overwritten is zeroed
    return conn


def open_db(path: str | Path) -> Database:
    """Open (creating it and its folder if needed) the database at `path`, migrated to the latest.

    WAL journal, `synchronous=FULL` (a committed referral survives the process being killed
    and a power cut alike: the board must never lose one), foreign keys on, busy timeout of
    five seconds. The connection may be used from another thread than the one that opened it
    (the asyncio loop's), but by one thread at a time.
    """
    from storage.migrations import migrate

    path = Path(path)
    create_private(path)
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    db = Database(conn)
    migrate(db)
    return db


def create_private(path: Path) -> None:
    """Create `path`'s folder (0700) and an empty file (0600) unless the file exists already;
    an existing file and folder keep their modes. SQLite takes an empty file as a new database."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` on an exception; a savepoint when nested."""
    conn = db.conn
    if conn.in_transaction:
        name = f"sp_{secrets.token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database file and truncate it to nothing (`wal_checkpoint(TRUNCATE)`);
    False when a reader kept part of it (the next checkpoint finishes the job)."""
    busy, _, _ = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def execute(db: Database, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """Run one statement on the connection (inside the caller's transaction, if one is open)."""
    return db.conn.execute(sql, params)


def fetch_all(db: Database, sql: str, params: Params = ()) -> list[dict[str, Any]]:
    """Every row of a query, as dicts keyed by column name."""
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def fetch_one(db: Database, sql: str, params: Params = ()) -> dict[str, Any] | None:
    """The first row of a query as a dict, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    keys = [column[0] for column in cursor.description]
    cursor.close()
    return dict(zip(keys, row, strict=True))


def fetch_value(db: Database, sql: str, params: Params = ()) -> Any:
    """The first column of the first row of a query, or None."""
    cursor = db.conn.execute(sql, params)
    row = cursor.fetchone()
    cursor.close()
    return None if row is None else row[0]


def to_json(value: Any) -> str:
    """JSON text as stored: keys sorted, Unicode kept."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> Any:
    """Read stored JSON text back."""
    return json.loads(text)

"""Opening the database, its transactions, and JSON as stored.

`open_db` gives a `sqlite_utils.Database` over a connection in driver autocommit mode
(`isolation_level=None`): nothing is wrapped in a transaction behind our back, and `transaction`
decides where each one begins and ends. The database runs in WAL mode (readers never block the
writer, and an online backup can run while the bot writes), with foreign keys enforced, a busy
timeout so that two writers queue instead of failing, and `secure_delete` (erased text is zeroed
in the file, not left in free space; `checkpoint` then empties the WAL of its old copies). It is
migrated to the latest schema on opening (`storage.migrations`).

The storage modules read and write through sqlite-utils: `db.table(name)` for inserts, upserts,
lookups by key and updates by key, `db.query` and `db.execute` for the SQL a query needs (joins,
aggregates, JSON functions, and the updates that must match more than a key: a row still pending,
a brief still awaiting the chair), and what runs at every answer or poll in one statement each: the
draft's read and save (`storage.drafts`), the outbox's due rows (`fetch`; the `Table` API reads
the schema on every call), and every look-up by key (`get_or_none`, over the `Store` that
`open_db` gives, which keeps each table's primary key). A read of many rows by key passes the
keys as one JSON parameter (`one_of`). sqlite-utils' own writes inside `transaction` join it
through their savepoints.

The database holds personal data: a new database file is created readable by its owner alone
(0600; SQLite gives its -wal and -shm the database file's mode) in a folder created 0700,
whatever the process's umask.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError, Table

from storage.migrations import migrate

BUSY_TIMEOUT_MS = 5000
FILE_MODE = 0o600
FOLDER_MODE = 0o700


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
    path = Path(path)
    create_private(path)
    conn = connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    db = Store(conn)
    migrate(db)
    db.forget_keys()
    return db


def create_private(path: Path) -> None:
    """Create `path`'s folder (0700) and an empty file (0600) unless the file exists already;
    an existing file and folder keep their modes. SQLite takes an empty file as a new database."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


@contextmanager
def transaction(db: Database, *, durable: bool = True) -> Iterator[Database]:
    """`BEGIN IMMEDIATE` … `COMMIT`, or `ROLLBACK` on an exception; a savepoint when nested.

    `durable=False` (a draft's save, nothing else) commits with `synchronous=NORMAL`: no fsync
    of its own, which blocked the event loop 1.5-2 ms per answer (0.1-0.15 ms of it CPU).
    Under WAL that is still atomic and survives the process being killed; only a power cut can
    lose it, together with other such saves since the last durable commit, whose fsync of the
    log covers every frame before it. So a filed referral, a decision, an outbox row are as
    durable as ever, and what a power cut can cost is the last few answers of a draft.

    The write lock is taken at the start, so a read-then-write (allocating the next reference,
    counting a refusal, a compare-and-set on a status) cannot race another process, and a
    second writer waits its turn (the busy timeout) instead of failing halfway. sqlite-utils
    has no equivalent: its `Database.atomic()` opens a deferred `BEGIN`, which takes the lock
    only at the first write. Nested use is `atomic()`'s savepoint, so storage functions that
    open a transaction compose inside a caller's.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    if not durable:
        db.execute("PRAGMA synchronous = NORMAL")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise
    finally:
        if not durable:
            db.execute("PRAGMA synchronous = FULL")


def checkpoint(db: Database) -> bool:
    """Copy the WAL into the database file and truncate it to nothing (`wal_checkpoint(TRUNCATE)`);
    False when a reader kept part of it (the next checkpoint finishes the job)."""
    busy, _, _ = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return int(busy) == 0


def to_json(value: Any) -> str:
    """JSON text as stored: keys sorted, Unicode kept, no spaces (sqlite-utils would store a
    dict or list it is given unsorted and spaced; a value is always stored as this same text)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> Any:
    """Read stored JSON text back."""
    return json.loads(text)


def fetch(db: Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows one statement gives (a SELECT, a write with RETURNING), read to the end, as
    dicts: `db.query` without the savepoint sqlite-utils puts around it, so one statement
    rather than three, for what runs at every answer and every poll of the outbox."""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def literal_in(column: str, values: Sequence[str]) -> str:
    """SQL saying `column` is one of our own constant `values` (statuses), written out as
    literals: SQLite uses a partial index only for a query whose condition is written as the
    index's is (migration 21), which a `?` each would not be."""
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def one_of(column: str) -> str:
    """SQL saying `column` is one of the values of a JSON list passed as one parameter (`to_json`
    of the list): one statement for any number of values, where a `?` each would meet SQLite's
    limit on a statement's parameters."""
    return f"{column} IN (SELECT value FROM json_each(?))"


class Store(Database):
    """The database as `open_db` gives it: sqlite-utils' `Database`, remembering each table's
    primary key for `get_or_none`. `Table.get` reads the schema (the table's names and its
    `PRAGMA table_info`) before every look-up, three statements for the one that reads the
    row; the schema changes only in migrations, which `open_db` runs before any look-up (and
    `forget_keys` is called after them)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self._keys: dict[str, tuple[str, ...]] = {}

    def primary_key(self, name: str) -> tuple[str, ...]:
        """The columns of table `name`'s primary key (read once)."""
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = tuple(self.table(name).pks)
        return keys

    def forget_keys(self) -> None:
        """Read the primary keys afresh (after a migration)."""
        self._keys.clear()


def get_or_none(table: Table, key: Any) -> dict[str, Any] | None:
    """The row of `table` whose primary key is `key` (a tuple for a compound key), or None, as
    sqlite-utils' `Table.get` (which raises `NotFoundError` for a missing row) reads it; over a
    `Store`, in one statement."""
    db = table.db
    if not isinstance(db, Store):
        try:
            return table.get(key)
        except NotFoundError:
            return None
    keys = db.primary_key(table.name)
    values = tuple(key) if isinstance(key, list | tuple) else (key,)
    if len(values) != len(keys):
        return None
    where = " AND ".join(f"[{column}] = ?" for column in keys)
    rows = fetch(db, f"SELECT * FROM [{table.name}] WHERE {where}", values)
    return rows[0] if rows else None

"""The schema's numbered migrations and the runner that applies them; `PRAGMA user_version`
records the last applied.

Each step is a module of this package, `vNN_what.py`: its docstring says what it does, its
`STATEMENTS` are its SQL. `STEPS` are those modules in the order of their names, and a step's
number is its place there (`vNN` says it, and a test holds the two equal). A step's
statements run in one transaction together with the version bump, so a step is either wholly
applied or not at all, and running `migrate` again is a no-op. Add a change as the next module,
`vNN_what.py`; never edit an applied one: the databases already migrated depend on it as it is.

The steps are SQL as written, not sqlite-utils' `create_table`/`add_column`: the schema needs
CHECK constraints, AUTOINCREMENT, a table-level UNIQUE, triggers and partial indexes, which those
cannot express, and a fresh database must get the very schema an upgraded one has. The runner is
not sqlite-utils' `Migrations` either: that keeps its record in a table of its own (the files
already made record `user_version`) and reads what is pending before its `BEGIN`, so two
processes starting together could both apply a step. Here the version is read again under the
write lock (`BEGIN IMMEDIATE`).

Imports nothing of ours: `storage.db.open_db` calls `migrate`, never the other way round.
"""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from dataclasses import dataclass
from types import ModuleType

from sqlite_utils import Database


class MigrationError(RuntimeError):
    """The database was written by a newer version of this program."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema change: its number, what it does, and its statements."""

    version: int
    description: str
    statements: tuple[str, ...]


def _steps() -> tuple[ModuleType, ...]:
    """The step modules of this package (`v01_initial`, `v02_…`), in the order of their names."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("v"))
    return tuple(importlib.import_module(f"{__name__}.{name}") for name in names)


STEPS = _steps()

# A step's number is its place; its description, its module's docstring.
MIGRATIONS: tuple[Migration, ...] = tuple(
    Migration(number, " ".join(str(step.__doc__).split()), step.STATEMENTS)
    for number, step in enumerate(STEPS, 1)
)

LATEST = MIGRATIONS[-1].version


def current_version(db: Database) -> int:
    """The schema version recorded in the database file (0 for an empty database)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Apply every migration not yet applied, each in its own transaction; return the version.

    Safe to run from several processes at once: the version is read again under the write lock.
    """
    if current_version(db) > LATEST:
        raise MigrationError(
            f"the database is at schema version {current_version(db)}, newer than this "
            f"program's {LATEST}; upgrade the program"
        )
    for migration in MIGRATIONS:
        if current_version(db) < migration.version:
            _apply(db, migration)
    return current_version(db)


def _apply(db: Database, migration: Migration) -> None:
    """One step and its version bump in one `BEGIN IMMEDIATE` transaction (unless another
    process applied it meanwhile); rolled back whole on any error."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if current_version(db) < migration.version:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version:d}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def schema() -> dict[str, tuple[str, ...]]:
    """Every table of the latest schema and its columns, in order (read from a fresh in-memory
    database, so it is what `migrate` builds; for the generated privacy notice)."""
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    try:
        migrate(db)
        names = sorted(name for name in db.table_names() if not name.startswith("sqlite_"))
        return {name: tuple(db.table(name).columns_dict) for name in names}
    finally:
        db.close()

"""The numbered migrations: a database file made at any older schema version opens and is
migrated to the very schema a new one gets, keeping its rows; the steps are numbered by their
place; the migrations import nothing from `storage.db`, which runs them."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import migrations
from storage.db import connect, open_db
from storage.migrations import LATEST, MIGRATIONS, current_version
from storage.practitioners import get_practitioner

MIGRATIONS_DIR = Path(migrations.__file__).parent
REGISTERED = "2025-03-01T09:00:00.000000+00:00"


def _made_at(path: Path, version: int) -> None:
    """A database file as a program at schema `version` left it, with one practitioner."""
    db = Database(connect(path))
    for migration in MIGRATIONS[:version]:
        for statement in migration.statements:
            db.conn.execute(statement)
        db.conn.execute(f"PRAGMA user_version = {migration.version}")
    db.conn.execute(
        "INSERT INTO practitioners (user_id, agency, registered_at) VALUES (?, ?, ?)",
        (4242, "Health", REGISTERED),
    )
    db.conn.close()


def _schema(db: Database) -> list[tuple[str, str, str]]:
    rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    return [tuple(row) for row in rows.fetchall()]


@pytest.mark.parametrize("version", range(1, LATEST))
def test_a_database_made_at_an_older_version_opens_migrated(tmp_path: Path, version: int) -> None:
    old = tmp_path / "old.db"
    _made_at(old, version)
    fresh = open_db(tmp_path / "fresh.db")
    upgraded = open_db(old)
    assert current_version(upgraded) == LATEST
    assert _schema(upgraded) == _schema(fresh)
    kept = get_practitioner(upgraded, 4242)
    assert kept is not None
    assert (kept.agency, kept.registered_at) == ("Health", dt.datetime.fromisoformat(REGISTERED))
    assert (kept.lead, kept.briefs_off) == (False, False)  # the columns later steps added
    upgraded.conn.close()
    fresh.conn.close()


def test_each_step_is_numbered_by_its_place() -> None:
    for migration, step in zip(MIGRATIONS, migrations.STEPS, strict=True):
        assert step.__name__.rsplit(".", 1)[1].startswith(f"v{migration.version:02d}_")
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST + 1))
    steps = {p.stem for p in MIGRATIONS_DIR.glob("v*.py")}
    assert steps == {step.__name__.rsplit(".", 1)[1] for step in migrations.STEPS}


@pytest.mark.parametrize("module", sorted(MIGRATIONS_DIR.glob("*.py")), ids=lambda p: p.name)
def test_the_migrations_import_nothing_from_the_module_that_runs_them(module: Path) -> None:
    tree = ast.parse(module.read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storage")
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("storage")
    }
    assert imported <= {"storage.migrations"}

"""Fixtures for the storage tests: a fresh database file per test and a filing helper."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from storage_helpers import Filer, file_sample

from storage.db import open_db
from storage.referrals import Referral


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's database lives (not yet created)."""
    return tmp_path / "data" / "triage.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh, migrated database file in tmp_path."""
    database = open_db(db_path)
    yield database
    database.conn.close()


@pytest.fixture
def file_one(db: Database) -> Filer:
    """File a synthetic referral in the test's database (keyword options as `file_sample`)."""

    def _file(**options: Any) -> Referral:
        return file_sample(db, **options)

    return _file

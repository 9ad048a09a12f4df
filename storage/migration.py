"""What a schema migration is (its number, what it does, its statements), and the error of a
database newer than the program. The migrations themselves are `storage.migrations`."""

from __future__ import annotations

from dataclasses import dataclass


class MigrationError(RuntimeError):
    """The database was written by a newer version of this program."""


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema change: its number, what it does, and its statements."""

    version: int
    description: str
    statements: tuple[str, ...]

"""Migration 3: outbox claims: a row is claimed before its send, so a send cut short is known after
a crash.

Applied databases depend on it as it is: never edit it; add a new numbered step instead.
"""

from __future__ import annotations

DESCRIPTION = (
    "outbox claims: a row is claimed before its send, so a send cut short is known after a crash"
)

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE outbox ADD COLUMN claimed_at TEXT",
    "ALTER TABLE outbox ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0",
)

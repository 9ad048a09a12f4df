"""Step 3: Outbox claims: a row is claimed before its send, so a send cut short is known after a
crash."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE outbox ADD COLUMN claimed_at TEXT",
    "ALTER TABLE outbox ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0",
)

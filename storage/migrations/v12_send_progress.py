"""Step 12: An outbox row of several messages (a long learning brief: its parts, then its document)
records how many went out, so a send cut short resumes after them rather than repeating them;
the message carrying the buttons keeps its Telegram id from the moment it is sent."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0",
)

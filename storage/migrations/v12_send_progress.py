"""Migration 12: an outbox row of several messages (a long learning brief: its parts, then its
document) records how many went out, so a send cut short resumes after them rather than
repeating them; the message carrying the buttons keeps its Telegram id from the moment it is
sent.

Applied databases depend on it as it is: never edit it; add a new numbered step instead.
"""

from __future__ import annotations

DESCRIPTION = (
    "an outbox row of several messages (a long learning brief: its parts, then its document)"
    " records how many went out, so a send cut short resumes after them rather than repeating"
    " them; the message carrying the buttons keeps its Telegram id from the moment it is sent"
)

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0",
)

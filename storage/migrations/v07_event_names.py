"""Migration 7: events name their actor: the person's first name as Telegram gave it at the time
(nullable: older events and roles such as cli have none), so a log names people, never shows
ids.

Applied databases depend on it as it is: never edit it; add a new numbered step instead.
"""

from __future__ import annotations

DESCRIPTION = (
    "events name their actor: the person's first name as Telegram gave it at the time (nullable:"
    " older events and roles such as cli have none), so a log names people, never shows ids"
)

STATEMENTS: tuple[str, ...] = ("ALTER TABLE events ADD COLUMN actor_name TEXT",)

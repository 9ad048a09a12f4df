"""Step 7: Events name their actor: the person's first name as Telegram gave it at the time
(nullable: older events and roles such as cli have none), so a log names people, never shows
ids."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = ("ALTER TABLE events ADD COLUMN actor_name TEXT",)

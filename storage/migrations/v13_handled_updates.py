"""Step 13: The webhook remembers which update ids it has handled, and when, so that an update
Telegram sends again (its answer was slow, or the bot restarted) is answered without being
handled twice; rows older than Telegram's retry window are pruned as new ones come. Each
`triage-bot backup` is recorded (when it was made, never where), so a purge can say how many
backups made before it still hold the text it erased."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE handled_updates (
        update_id INTEGER PRIMARY KEY,
        handled_at TEXT NOT NULL
    )""",
    "CREATE INDEX handled_updates_by_time ON handled_updates (handled_at)",
    """CREATE TABLE backups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        made_at TEXT NOT NULL
    )""",
)

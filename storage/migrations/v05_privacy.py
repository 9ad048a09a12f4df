"""Step 5: Privacy: the events' words move to event_texts (erasable without touching the log), the
log lets an actor be replaced by a pseudonym and nothing else, and a referral records when its
free text was erased under the retention schedule."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE event_texts (
            event_id INTEGER PRIMARY KEY REFERENCES events(id),
            text TEXT NOT NULL
        )""",
    "INSERT INTO event_texts (event_id, text) SELECT id, detail FROM events WHERE detail <> ''",
    "ALTER TABLE events DROP COLUMN detail",
    "DROP TRIGGER events_append_only_update",
    # The one change the log allows: a person who asked to be forgotten (no longer
    # registered) has their id replaced by a pseudonym; who did what, when, stays.
    """CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        WHEN NOT (
            NEW.id IS OLD.id AND NEW.ref IS OLD.ref AND NEW.at IS OLD.at
            AND NEW.action IS OLD.action
            AND OLD.actor GLOB '[0-9]*' AND NEW.actor GLOB 'forgotten-[0-9a-f]*'
            AND NOT EXISTS (
                SELECT 1 FROM practitioners WHERE user_id = CAST(OLD.actor AS INTEGER)
            )
        )
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed');
        END""",
    "CREATE INDEX events_actor ON events(actor)",
    "ALTER TABLE referrals ADD COLUMN erased_at TEXT",
)

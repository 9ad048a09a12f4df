"""Step 18: The practitioners' learning event of a review (SPEC §9, "The learning event"): one
event a review (its times, place and version, and when its feedback questions were queued), who
was invited to it and their answer, each attendee's feedback questionnaire while it is answered,
and the feedback itself, kept apart from who gave it (no user id, no time, a random key)."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE learning_events (
            ref TEXT PRIMARY KEY REFERENCES referrals(ref),
            version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            place TEXT NOT NULL,
            scheduled_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            questions_queued_at TEXT,
            CHECK (ends_at > starts_at)
        )""",
    """CREATE TABLE event_invitations (
            ref TEXT NOT NULL REFERENCES learning_events(ref),
            user_id INTEGER NOT NULL,
            agency TEXT NOT NULL,
            invited_at TEXT NOT NULL,
            answer TEXT CHECK (answer IN ('coming', 'not_coming')),
            answered_at TEXT,
            PRIMARY KEY (ref, user_id)
        )""",
    """CREATE TABLE event_feedback_sessions (
            ref TEXT NOT NULL REFERENCES learning_events(ref),
            user_id INTEGER NOT NULL,
            state TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            queued_at TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
            PRIMARY KEY (ref, user_id)
        )""",
    """CREATE TABLE event_feedback (
            id TEXT PRIMARY KEY,
            ref TEXT NOT NULL REFERENCES learning_events(ref),
            learned TEXT NOT NULL,
            differently TEXT NOT NULL,
            safety INTEGER NOT NULL CHECK (safety BETWEEN 1 AND 5)
        )""",
    "CREATE INDEX learning_events_to_ask ON learning_events (ends_at)"
    " WHERE questions_queued_at IS NULL",
    "CREATE INDEX event_invitations_by_user ON event_invitations (user_id)",
)

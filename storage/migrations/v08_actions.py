"""Step 8: Findings and actions of a review's action plan (each action owned by an agency, due on a
date, its history in the event log), the overdue digest sent once a day, and agency leads (a
role with the practitioner, and on the invite that registers them)."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE findings (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (ref, seq)
        )""",
    """CREATE TABLE actions (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            seq INTEGER NOT NULL,
            agency TEXT NOT NULL,
            due TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'started', 'done', 'dropped')),
            outcome TEXT,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT,
            PRIMARY KEY (ref, seq)
        )""",
    "CREATE INDEX actions_open ON actions(status, due)",
    """CREATE TABLE digests_sent (
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (kind, day)
        )""",
    "ALTER TABLE practitioners ADD COLUMN lead INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE invites ADD COLUMN lead INTEGER NOT NULL DEFAULT 0",
)

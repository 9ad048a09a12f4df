"""Step 17: Individual agency reviews (SPEC §9, items 10, 11 and 13): one row a review and
agency the plan named (asked when its terms were agreed; `asked_at` empty while the agency has
no lead to ask), who holds it, its questionnaire's state and answers as it is written, and when
it was submitted (late or not); the submitted chronology entries and action points, one row
each, so that one chronology reads every agency's entries in date order."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE agency_reviews (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            agency TEXT NOT NULL,
            due TEXT NOT NULL,
            created_at TEXT NOT NULL,
            asked_at TEXT,
            holder_id INTEGER,
            holder_name TEXT,
            started_at TEXT,
            state TEXT,
            answers TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT,
            submitted_at TEXT,
            late INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
            PRIMARY KEY (ref, agency)
        )""",
    """CREATE TABLE agency_review_entries (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            agency TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('chronology', 'action_point')),
            seq INTEGER NOT NULL CHECK (seq >= 1),
            day TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (ref, agency, kind, seq)
        )""",
    "CREATE INDEX agency_review_entries_by_day ON agency_review_entries (ref, kind, day)",
    "CREATE INDEX agency_reviews_open ON agency_reviews (due) WHERE submitted_at IS NULL",
)

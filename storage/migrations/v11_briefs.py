"""Step 11: Learning briefs (SPEC §7): each brief's sections, its state and the chair's approval;
who read which brief; practitioners may opt out of briefs."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE briefs (
            ref TEXT PRIMARY KEY REFERENCES referrals(ref),
            status TEXT NOT NULL DEFAULT 'drafting'
                CHECK (status IN ('drafting', 'awaiting_chair', 'sent_back', 'approved')),
            state TEXT NOT NULL,
            agencies TEXT NOT NULL DEFAULT '[]',
            what_happened TEXT,
            learned TEXT,
            to_do TEXT,
            find_out_more TEXT,
            officer_id INTEGER NOT NULL,
            reason TEXT,
            decided_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            approved_at TEXT
        )""",
    """CREATE TABLE brief_reads (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            user_id INTEGER NOT NULL,
            agency TEXT NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (ref, user_id)
        )""",
    "ALTER TABLE practitioners ADD COLUMN briefs_off INTEGER NOT NULL DEFAULT 0",
)

"""Step 15: Terms of reference agreed by the review panel (SPEC §9): each review's terms as sent
(the version, whom to, whether all must agree, when sent and agreed) and each panel member's
answer to a version (agreed, or sent back with the reason)."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE terms (
            ref TEXT PRIMARY KEY REFERENCES referrals(ref),
            version INTEGER NOT NULL CHECK (version >= 1),
            status TEXT NOT NULL CHECK (status IN ('with_panel', 'sent_back', 'agreed')),
            panel TEXT NOT NULL DEFAULT '[]',
            all_needed INTEGER NOT NULL DEFAULT 0 CHECK (all_needed IN (0, 1)),
            sent_at TEXT NOT NULL,
            agreed_at TEXT
        )""",
    """CREATE TABLE terms_answers (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            version INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            name TEXT,
            answer TEXT NOT NULL CHECK (answer IN ('agreed', 'sent_back')),
            reason TEXT,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (ref, version, user_id)
        )""",
)

"""Step 10: Working Together 2023's joint decision: each safeguarding partner's latest press on a
referral's card (the partner, their lead, the outcome, the No review reason, when)."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE partner_presses (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            partner TEXT NOT NULL CHECK (partner IN ('la', 'icb', 'police')),
            user_id INTEGER NOT NULL,
            name TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined')),
            reason TEXT,
            pressed_at TEXT NOT NULL,
            PRIMARY KEY (ref, partner)
        )""",
)

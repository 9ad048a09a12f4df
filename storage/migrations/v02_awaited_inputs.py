"""Step 2: Awaited inputs: what a person's next typed message answers (a reason, a question)."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE awaited_inputs (
            user_id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT REFERENCES referrals(ref),
            data TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""",
)

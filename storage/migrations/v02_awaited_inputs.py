"""Migration 2: awaited inputs: what a person's next typed message answers (a reason, a question).

Applied databases depend on it as it is: never edit it; add a new numbered step instead.
"""

from __future__ import annotations

DESCRIPTION = "awaited inputs: what a person's next typed message answers (a reason, a question)"

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE awaited_inputs (
            user_id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT REFERENCES referrals(ref),
            data TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""",
)

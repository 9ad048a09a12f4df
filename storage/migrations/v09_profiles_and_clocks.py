"""Step 9: Working Together 2023: every referral records the matrix profile it was graded under,
and its statutory clocks (name, start, due date, closed or not, outcome) as a JSON list."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE referrals ADD COLUMN profile TEXT NOT NULL DEFAULT '2013'",
    "ALTER TABLE referrals ADD COLUMN clocks TEXT NOT NULL DEFAULT '[]'",
    # /queue and the daily reminders read the referrals with clocks without scanning all.
    "CREATE INDEX referrals_with_clocks ON referrals(created_at, seq) WHERE clocks <> '[]'",
)

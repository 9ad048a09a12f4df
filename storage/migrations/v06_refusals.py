"""Step 6: Refusals counted: one row a person, referral and day with a count (the event log records
the first of each), so a flood of forged presses cannot grow the log without bound."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE refusals (
            day TEXT NOT NULL,
            actor TEXT NOT NULL,
            ref TEXT NOT NULL DEFAULT '',
            count INTEGER NOT NULL,
            PRIMARY KEY (day, actor, ref)
        )""",
    "CREATE INDEX refusals_ref ON refusals(ref, day)",
)

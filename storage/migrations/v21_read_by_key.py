"""Step 21: The board's lists read only what they show, whatever the history: an index of the
open referrals alone in queue order (urgent first, then oldest), so a page of `/queue` starts at
a key and reads its few entries, never the closed referrals before them; an index of the
referrals with a statutory clock still running (their stored clocks hold an open one), so the
queue's clocks skip the clocks long closed; and an index of the open or started actions by due
date, so the most overdue are the index's first entries (it replaces step 8's index of them).
And an index of each year's filing moments and grades, so the dashboard's chart counts a year
by month and grade on the index, reading no referral; and an index of the views of each
referral by person and moment, so whether a person already looked at a referral today is one
index probe, not a read of every event of theirs or of the referral; and an index of the
agencies' leads, so the leads of an agency (`/iars`, every new action) are found by key, not
by reading every practitioner ever registered. It changes nothing that is stored.

The partial indexes' conditions are written as the queries that use them write theirs
(`storage.queue`, `storage.actions`, `storage.events`, `storage.practitioners`): SQLite uses
one only when a query's condition is the same.
"""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "CREATE INDEX referrals_open_queue ON referrals (urgent DESC, created_at, seq)"
    " WHERE status IN ('awaiting_chair', 'info_requested', 'approved', 'review_planned',"
    " 'in_review', 'report_received')",
    """CREATE INDEX referrals_open_clocks ON referrals (created_at, seq)"""
    """ WHERE instr(clocks, '"closed_at":null') > 0""",
    "CREATE INDEX actions_live_due ON actions (due, ref, seq, status)"
    " WHERE status IN ('open', 'started')",
    "DROP INDEX actions_open",  # step 8's (status, due): the index above serves its every read
    "CREATE INDEX referrals_by_year ON referrals (year, created_at, grade)",
    "CREATE INDEX events_views ON events (ref, actor, at) WHERE action = 'viewed'",
    "CREATE INDEX practitioners_leads ON practitioners (agency COLLATE NOCASE, user_id)"
    " WHERE lead = 1",
)

"""Step 4: The queue's order as an index (urgent first, then oldest; status to filter on): a page
of /queue reads a few index entries instead of sorting every open referral."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "CREATE INDEX referrals_queue_order ON referrals(urgent DESC, created_at, seq, status)",
)

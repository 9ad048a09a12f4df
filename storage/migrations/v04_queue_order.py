"""Migration 4: the queue's order as an index (urgent first, then oldest; status to filter on): a
page of /queue reads a few index entries instead of sorting every open referral.

Applied databases depend on it as it is: never edit it; add a new numbered step instead.
"""

from __future__ import annotations

DESCRIPTION = (
    "the queue's order as an index (urgent first, then oldest; status to filter on): a page of "
    "/queue reads a few index entries instead of sorting every open referral"
)

STATEMENTS: tuple[str, ...] = (
    "CREATE INDEX referrals_queue_order ON referrals(urgent DESC, created_at, seq, status)",
)

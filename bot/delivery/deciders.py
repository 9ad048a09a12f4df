"""Who decided a referral, as people read it: the deciding chair's first name as recorded with
their events (never their id), "the chair" when none was recorded, "the three safeguarding
partners" for a joint decision; and the status line of notices that show who decided and when.
"""

from __future__ import annotations

from typing import Any

from bot.context import Services
from bot.delivery.referral_texts import when
from storage import events
from storage.referrals import Referral
from templates import labels


def decided_by_name(referral: Referral, name: str | None = None) -> str:
    """Who decided: the chair's name when known, else "the chair" (never their id)."""
    del referral  # kept for callers; a person is named, or their role is
    return name or labels.phrase("the_chair")


def decider(s: Services, referral: Referral) -> str | None:
    """The deciding chair's first name as recorded with their events, or None."""
    if referral.decided_by is None:
        return None
    return events.names_of(s.db, [referral.decided_by]).get(str(referral.decided_by))


def joint_decider(s: Services, referral: Referral) -> str | None:
    """ "The three safeguarding partners" for a decision they took jointly (Approve or No
    review under a joint decision), else None (an escalation is one partner's, named as a
    chair is)."""
    if s.settings.joint and referral.decision in ("approved", "declined"):
        return labels.phrase("the_partners")
    return None


def status_context(s: Services, referral: Referral) -> dict[str, Any]:
    """The referral's status in words, and who decided and when (for notices that show it)."""
    decided = not referral.is_undecided and referral.decision is not None
    return {
        "status": labels.status_label(referral.status, referral.profile),
        "outcome": labels.decision_label(referral.decision, referral.profile) if decided else "",
        "by": decided_by_name(referral, joint_decider(s, referral) or decider(s, referral))
        if decided
        else "",
        "decided": when(referral.decided_at) if decided else "",
    }

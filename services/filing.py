"""Filing a referral: a practitioner's finished check becomes a referral (SPEC §4).

`file_check` is the use case: a registered practitioner's conversation, filed in one transaction
with its first event and the outbox rows of its notices (`storage.referrals.file_referral`),
the draft deleted; the same draft filed again changes nothing. The caller reckons the statutory
clocks that start at filing (working days are the adapter's calendar) and replies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from dialogs.practitioner import Conversation
from storage import practitioners, referrals
from storage.referral_record import Clock
from storage.referrals import Referral


def file_check(
    db: Database,
    conv: Conversation,
    *,
    draft_id: str,
    referrer_id: int,
    board_chat_id: int | None,
    chair_ids: Iterable[int],
    profile: str,
    clocks: Sequence[Clock],
    now: dt.datetime,
) -> Referral | None:
    """File `conv` (the check of draft `draft_id`) for `referrer_id`; None when they are not a
    registered practitioner (nothing is filed: the draft stays)."""
    who = practitioners.get_practitioner(db, referrer_id)
    if who is None:
        return None
    answers = conv.answers
    referral, _ = referrals.file_referral(
        db,
        draft_id=draft_id,
        referrer_id=referrer_id,
        referrer_agency=who.agency,
        facts=conv.facts(),
        result=conv.result().to_dict(),
        urgent=conv.urgent,
        agencies=list(answers.get("agencies", [])),
        description=str(answers.get("describe", "")),
        case_reference=str(answers.get("reference") or "") or None,
        board_chat_id=board_chat_id,
        chair_ids=list(chair_ids),
        now=now,
        profile=profile,
        clocks=clocks,
    )
    return referral

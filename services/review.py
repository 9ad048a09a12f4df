"""The review itself after its plan (SPEC §9): what follows the terms of reference agreed.

`on_terms_agreed` is the one function called when a review's terms are agreed
(`services.terms.agree_terms`, inside its transaction). For now it tells the board group who
agreed; it is where the individual agency reviews will be asked of each agency the plan named
(SPEC §9, "Once the terms are agreed, each agency ... is asked for it"), so that step joins the
same transaction as the agreement.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue
from storage.terms import Terms

UPDATE_AGREED = "agreed"  # the board group's notice of terms agreed (payload `event`)


def on_terms_agreed(
    db: Database, agreed: Terms, board_chat_id: int | None, now: dt.datetime
) -> None:
    """The terms `agreed` were just agreed: tell the board group who agreed (through the
    outbox). The agency reviews will be asked here. Joins the caller's transaction."""
    if board_chat_id is None:
        return
    payload = {"event": UPDATE_AGREED, "version": agreed.version}
    enqueue(db, agreed.ref, OutboxKind.TERMS_UPDATE, board_chat_id, payload, PRIORITY_NORMAL, now)

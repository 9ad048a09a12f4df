"""The Terms of Reference agreed by the review panel (SPEC §9, purpose 11): sent, agreed, sent
back.

Each use case is one transaction with its events and outbox rows (the words of the events are
here): `send_terms` (a version to each panel member, a card with `Agree terms` / `Send back`
and the document; called by `services.planning` when a plan is complete, inside its
transaction), `agree_terms` (one panel member's agreement: the terms agreed once one has
agreed, or all three partners under Working Together 2023 without `PANEL_USER_IDS`; then
`services.review.on_terms_agreed`) and `send_terms_back` (the member's reason, redacted by the
caller, to the board group). A press answers the version its button carries: an older card's
press, a version already agreed or sent back, or a plan being changed changes nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from dialogs.plan_questions import DONE_STATE
from services import review
from storage import events, plans, terms
from storage.db import transaction
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue
from storage.terms import Terms

TERMS_ACTION = "terms"
SENT = "terms of reference version {version} sent to the panel ({count})"
AGREED = "terms of reference version {version} agreed"
COUNTED = "terms of reference version {version} agreed by {count} of {needed}"
SENT_BACK = "terms of reference version {version} sent back: {reason}"
UPDATE_SENT_BACK = "sent_back"  # the board group's notice of terms sent back (payload `event`)
UPDATE_COUNTED = "counted"  # the board group's notice of one agreement of several needed


class Outcome(enum.StrEnum):
    """What a panel member's answer did."""

    AGREED = "agreed"  # the terms are agreed now
    COUNTED = "counted"  # their agreement counted; others' is still needed
    SENT_BACK = "sent_back"  # the terms went back to the board
    STALE = "stale"  # not the version with the panel (an older card), or no longer open
    ALREADY = "already"  # they had answered this version already
    NOT_PANEL = "not_panel"  # they are not on the panel this version went to
    CHANGING = "changing"  # the plan is being changed: a new version will follow


@dataclass(frozen=True)
class Answered:
    """The outcome of an answer and the terms as they are after it (None if never sent)."""

    outcome: Outcome
    terms: Terms | None


def send_terms(
    db: Database, ref: str, panel: Sequence[int], all_needed: bool, actor: int, now: dt.datetime
) -> Terms:
    """Send the next version of the terms of `ref` to each panel member (a card through the
    outbox), with its event. Joins the caller's transaction (the plan completed)."""
    with transaction(db):
        sent = terms.send(db, ref, panel, all_needed, now)
        for member in sent.panel:
            payload = {"version": sent.version}
            enqueue(db, ref, OutboxKind.TERMS_CARD, member, payload, PRIORITY_NORMAL, now)
        detail = SENT.format(version=sent.version, count=len(sent.panel))
        events.append_event(db, ref, actor, TERMS_ACTION, detail, now)
    return sent


def _refused(db: Database, ref: str, version: int, user_id: int) -> Answered:
    """Why an answer to `version` was not taken (nothing changed)."""
    current = terms.get_terms(db, ref)
    if current is not None and user_id not in current.panel:
        return Answered(Outcome.NOT_PANEL, current)
    if current is None or current.version != version or current.status != terms.WITH_PANEL:
        return Answered(Outcome.STALE, current)
    if current.answer_of(user_id) is not None:
        return Answered(Outcome.ALREADY, current)
    return Answered(Outcome.CHANGING, current)


def _changing(db: Database, ref: str) -> bool:
    """Whether the plan is being changed (not complete), so its terms cannot be answered."""
    plan = plans.get_plan(db, ref)
    return plan is None or plan.state != DONE_STATE


def agree_terms(
    db: Database,
    ref: str,
    version: int,
    user_id: int,
    name: str | None,
    now: dt.datetime,
    *,
    board_chat_id: int | None,
) -> Answered:
    """A panel member agrees version `version` of the terms of `ref`, with the event; once that
    agrees the terms, `services.review.on_terms_agreed` (the group told who agreed); while more
    agreements are needed (all three partners), the group is told who agreed so far."""
    with transaction(db):
        if _changing(db, ref):
            return _refused(db, ref, version, user_id)
        after = terms.answer(db, ref, version, user_id, name, terms.AGREE, "", now)
        if after is None:
            return _refused(db, ref, version, user_id)
        if after.status != terms.AGREED:
            detail = COUNTED.format(
                version=version, count=len(after.agreed_by), needed=len(after.panel)
            )
            events.append_event(db, ref, user_id, TERMS_ACTION, detail, now, actor_name=name)
            if board_chat_id is not None:
                count = len(after.agreed_by)
                payload = {"event": UPDATE_COUNTED, "version": version, "count": count}
                kind = OutboxKind.TERMS_UPDATE
                enqueue(db, ref, kind, board_chat_id, payload, PRIORITY_NORMAL, now)
            return Answered(Outcome.COUNTED, after)
        detail = AGREED.format(version=version)
        events.append_event(db, ref, user_id, TERMS_ACTION, detail, now, actor_name=name)
        review.on_terms_agreed(db, after, board_chat_id, now)
    return Answered(Outcome.AGREED, after)


def send_terms_back(
    db: Database,
    ref: str,
    version: int,
    user_id: int,
    name: str | None,
    reason: str,
    now: dt.datetime,
    *,
    board_chat_id: int | None,
) -> Answered:
    """A panel member sends version `version` of the terms of `ref` back with `reason`
    (already redacted), with the event; the board group is told (through the outbox)."""
    with transaction(db):
        if _changing(db, ref):
            return _refused(db, ref, version, user_id)
        after = terms.answer(db, ref, version, user_id, name, terms.SEND_BACK, reason, now)
        if after is None:
            return _refused(db, ref, version, user_id)
        detail = SENT_BACK.format(version=version, reason=reason)
        events.append_event(db, ref, user_id, TERMS_ACTION, detail, now, actor_name=name)
        if board_chat_id is not None:
            payload = {"event": UPDATE_SENT_BACK, "version": version, "user_id": user_id}
            kind = OutboxKind.TERMS_UPDATE
            enqueue(db, ref, kind, board_chat_id, payload, PRIORITY_NORMAL, now)
    return Answered(Outcome.SENT_BACK, after)

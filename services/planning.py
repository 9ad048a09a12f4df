"""Planning a review (SPEC §5): a plan begun, and each answer recorded with what it decides.

`begin_plan` stores a new plan with its "started" event; `record_plan_answer` stores the plan
after one answer, with the decision that answer records (a reason for not involving the family
or the staff) and, once complete, the plan's summary event, the referral's move to
`review_planned` (the first time) and the terms of reference sent to the review panel
(`services.terms.send_terms`; again after a change, while they are not agreed): each in one
transaction. The words of the plan's events are here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from dialogs.core.prompts import Step
from dialogs.core.table import CHANGE_STATE
from dialogs.plan import PlanSession
from services.terms import send_terms
from storage import events, plans, referrals, terms
from storage.db import transaction
from storage.lifecycle import APPROVED, REVIEW_PLANNED
from storage.terms import Terms

PLAN_ACTION = "plan"
DECISION_ACTION = "decision"
STARTED = "review plan started"
COMPLETE = "plan complete: {summary}"
TO_THE_PANEL = "; report to the Panel and the Secretary of State by {due}"
COMPLETE_REASON = "review plan complete"  # the status move's reason (kept by the retention)


def begin_plan(
    db: Database, session: PlanSession, officer_id: int, officer_name: str, now: dt.datetime
) -> None:
    """Store the new plan `session` begun by an officer, with its "started" event."""
    with transaction(db):
        plans.save_plan(db, session.ref, session.state, session.answers, officer_id, now)
        events.append_event(
            db, session.ref, officer_id, PLAN_ACTION, STARTED, now, actor_name=officer_name
        )


def record_plan_answer(
    db: Database,
    session: PlanSession,
    step: Step,
    officer_id: int,
    officer_name: str,
    now: dt.datetime,
    *,
    panel_due: dt.date | None = None,
    panel: Sequence[int] = (),
    all_needed: bool = False,
) -> Terms | None:
    """Store the plan after the answer `step`, its decision, and, when it completed the plan,
    the summary (with the day the report goes to the Panel, `panel_due`, for an LCSPR), the
    referral's move to `review_planned` and the terms sent to `panel` (every member to agree
    when `all_needed`); returns the terms sent, if they were. Back at the summary from the
    change list with nothing changed, nothing is sent again."""
    ref, name = session.ref, officer_name
    with transaction(db):
        plans.save_plan(db, ref, session.state, session.answers, officer_id, now)
        if step.decision:
            events.append_event(
                db, ref, officer_id, DECISION_ACTION, step.decision, now, actor_name=name
            )
        if not step.complete or step.question == CHANGE_STATE:
            return None
        summary = "; ".join(f"{short}: {label}" for short, label in session.lines())
        done = COMPLETE.format(summary=summary)
        if panel_due is not None:
            done += TO_THE_PANEL.format(due=panel_due.isoformat())
        events.append_event(db, ref, officer_id, PLAN_ACTION, done, now, actor_name=name)
        if referrals.require_referral(db, ref).status == APPROVED:
            referrals.set_status(
                db, ref, REVIEW_PLANNED, officer_id, COMPLETE_REASON, now, actor_name=name
            )
        if terms.agreed_at(db, ref) is not None:  # fixed once agreed (the flow refuses it)
            return None
        return send_terms(db, ref, panel, all_needed, officer_id, now)

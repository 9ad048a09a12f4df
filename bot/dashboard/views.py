"""What each view of the dashboard shows, as plain JSON values read from storage.

One function a view (`VIEWS`, by the name of its `/api/<name>` endpoint), each given the services
and the visitor: the queue with its clocks, the reviews (stage, agency reviews, actions), the
actions by agency (overdue first), the learning briefs' reach, and the year's referrals by month
and grade. Values a person reads come named by `templates.labels` (statuses, grades, action
statuses); states are short codes the page words (`late`, `soon`, `ok`, `closed`). No free
text is shown but an action's words, as stored: text erased under retention stays erased.

Every referral a view names is in that referral's audit log (`services.casework.viewed`, via
`dashboard`), once a person a referral a day, as `/case` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from bot.board.reviews import working_days
from bot.context import Services
from bot.delivery import workdays
from matrix.model import GRADES, NONE
from reports import review_stages
from services import casework
from storage import actions, agency_reviews, briefs, referrals, terms
from storage.actions import Action
from storage.db import transaction
from storage.lifecycle import IN_REVIEW, REPORT_RECEIVED, REVIEW_PLANNED, UNDECIDED
from storage.referral_record import Referral
from storage.reports import count_by_month_and_grade
from templates import labels

JSON = dict[str, Any]
VIA = "dashboard"
SOON = 2  # working days: amber from two working days before a date
REVIEWING = ("approved", REVIEW_PLANNED, IN_REVIEW, REPORT_RECEIVED)
DECISION = "decision"  # the clock of a referral waiting for its decision


def state_of(due: dt.date, today: dt.date, holidays: Iterable[dt.date]) -> str:
    """`late` past `due`, `soon` within two working days of it, else `ok`."""
    if today > due:
        return "late"
    if workdays.working_days_between(today, due, frozenset(holidays)) <= SOON:
        return "soon"
    return "ok"


def _days_left(due: dt.date, today: dt.date, holidays: frozenset[dt.date]) -> int:
    """Working days from today to `due` (negative: working days late)."""
    if today > due:
        return -workdays.working_days_between(due, today, holidays)
    return workdays.working_days_between(today, due, holidays)


def _clock(name: str, label: str, due: dt.date, today: dt.date, s: Services) -> JSON:
    holidays = s.settings.bank_holidays
    return {
        "name": name,
        "label": label,
        "due": due.isoformat(),
        "days_left": _days_left(due, today, holidays),
        "state": state_of(due, today, holidays),
    }


def clocks_of(referral: Referral, s: Services, today: dt.date) -> list[JSON]:
    """The referral's running clocks: time to decision while undecided (due the
    `REMINDER_WORKING_DAYS`-th working day after filing, as the chair's reminder reckons it),
    then each open statutory clock (under wt2023 the Panel notification and the rapid review)."""
    out = []
    if referral.status in UNDECIDED:
        filed = workdays.board_day(referral.created_at)
        due = workdays.add_working_days(
            filed, s.settings.reminder_working_days, s.settings.bank_holidays
        )
        out.append(_clock(DECISION, labels.phrase("dashboard_decision"), due, today, s))
    for clock in referral.clocks:
        if clock.is_open:
            out.append(_clock(clock.name, clock.label, clock.due_on, today, s))
    return out


def _worst(clocks: list[JSON]) -> str:
    states = {c["state"] for c in clocks}
    return next((state for state in ("late", "soon") if state in states), "ok")


def queue(s: Services, user_id: int) -> JSON:
    """The open referrals, urgent first then oldest, each with its clocks."""
    today = s.today()
    rows: list[JSON] = []
    for r in referrals.list_open(s.db):
        clocks = clocks_of(r, s, today)
        rows.append(
            {
                "ref": r.ref,
                "grade": labels.grade_label(r.grade),
                "status": labels.status_label(r.status, r.profile),
                "urgent": r.urgent,
                "filed": workdays.board_day(r.created_at).isoformat(),
                "clocks": clocks,
                "state": _worst(clocks),
            }
        )
    _viewed(s, user_id, [row["ref"] for row in rows])
    return {"today": today.isoformat(), "referrals": rows}


def _action(a: Action, today: dt.date, s: Services) -> JSON:
    live = a.is_open
    return {
        "id": a.id,
        "ref": a.ref,
        "agency": a.agency,
        "due": a.due.isoformat(),
        "text": a.text,
        "status": labels.action_status_label(a.status),
        "state": state_of(a.due, today, s.settings.bank_holidays) if live else "closed",
    }


def _where(r: Referral, stage: review_stages.ReviewStage | None) -> JSON:
    """A review's stage as `/reviews` says it, its next date due and working days behind plan
    (its status alone for a case study, which is no review)."""
    if stage is None:
        return {"stage": labels.status_label(r.status, r.profile), "due": None, "behind": 0}
    due = stage.due.isoformat() if stage.due is not None else None
    return {"stage": stage.label, "due": due, "behind": stage.behind}


def _terms_state(s: Services, ref: str) -> str | None:
    found = terms.get_terms(s.db, ref)
    return None if found is None else found.status


def _agency_review(review: agency_reviews.AgencyReview, today: dt.date, s: Services) -> JSON:
    if review.submitted:
        state = "late_in" if review.late else "in"
    elif review.asked_at is None:
        state = "not_asked"
    else:
        state = "started" if review.started_at is not None else "asked"
    live = not review.submitted
    return {
        "agency": review.agency,
        "due": review.due.isoformat(),
        "progress": state,
        "state": state_of(review.due, today, s.settings.bank_holidays) if live else "closed",
    }


def reviews(s: Services, user_id: int) -> JSON:
    """Each review under way: its stage, its terms, its agency reviews and its actions."""
    today = s.today()
    found = referrals.list_by_status(s.db, REVIEWING)
    asked = agency_reviews.for_refs(s.db, [r.ref for r in found])
    where = {st.ref: st for st in review_stages.stages(s.db, found, today, working_days(s))}
    rows: list[JSON] = [
        {
            "ref": r.ref,
            "grade": labels.grade_label(r.grade),
            **_where(r, where.get(r.ref)),
            "terms": _terms_state(s, r.ref),
            "agency_reviews": [_agency_review(a, today, s) for a in asked[r.ref]],
            "actions": [_action(a, today, s) for a in actions.actions_for(s.db, r.ref)],
        }
        for r in found
    ]
    _viewed(s, user_id, [row["ref"] for row in rows])
    return {"today": today.isoformat(), "reviews": rows}


def by_agency(s: Services, user_id: int) -> JSON:
    """Open actions by agency: agencies with overdue actions first, overdue actions first."""
    today = s.today()
    groups: dict[str, list[JSON]] = {}
    for a in actions.open_actions(s.db):  # soonest due first: the overdue lead
        groups.setdefault(a.agency, []).append(_action(a, today, s))
    ordered = sorted(
        groups.items(),
        key=lambda item: (-sum(a["state"] == "late" for a in item[1]), item[0].casefold()),
    )
    _viewed(s, user_id, sorted({a["ref"] for _, group in ordered for a in group}))
    return {
        "today": today.isoformat(),
        "agencies": [
            {"agency": agency, "late": sum(a["state"] == "late" for a in group), "actions": group}
            for agency, group in ordered
        ],
    }


def reach(s: Services, user_id: int) -> JSON:
    """This year's learning briefs: sent to and read by, in all and by agency."""
    year = s.today().year
    rows: list[JSON] = [
        {
            "ref": b.ref,
            "case_study": b.case_study,
            "approved": b.approved_at is not None,
            "sent": b.sent,
            "read": b.read,
            "agencies": [{"agency": a, "sent": n, "read": r} for a, n, r in b.by_agency],
        }
        for b in briefs.brief_rows(s.db, year)
    ]
    _viewed(s, user_id, [row["ref"] for row in rows])
    return {"year": year, "briefs": rows}


def chart(s: Services, user_id: int) -> JSON:
    """This year's referrals by month filed (the board's months) and current grade: counts
    only, counted in SQL (no referral is read)."""
    year = s.today().year
    counts = {(m, g): 0 for m in range(1, 13) for g in (*GRADES, NONE)}
    starts = [dt.datetime(year, m, 1, tzinfo=workdays.BOARD_TZ) for m in range(1, 13)]
    for (month, grade), n in count_by_month_and_grade(s.db, year, starts).items():
        counts[(month, grade if grade in GRADES else NONE)] += n
    grades = [g for g in (*GRADES, NONE) if any(counts[(m, g)] for m in range(1, 13))]
    return {
        "year": year,
        "grades": [{"grade": g, "label": labels.grade_label(g)} for g in grades],
        "months": [{"month": m, "counts": [counts[(m, g)] for g in grades]} for m in range(1, 13)],
    }


def _viewed(s: Services, user_id: int, refs: list[str]) -> None:
    """Each referral shown, in its audit log (one transaction for the lot)."""
    if not refs:
        return
    now = s.clock()
    with transaction(s.db):
        for ref in refs:
            casework.viewed(s.db, ref, user_id, VIA, now)


VIEWS: dict[str, Callable[[Services, int], JSON]] = {
    "queue": queue,
    "reviews": reviews,
    "actions": by_agency,
    "reach": reach,
    "chart": chart,
}

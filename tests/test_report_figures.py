"""The annual update's figures from SQL groups (`storage.reports.report_groups`, `action_groups`):
over a few synthetic referrals and actions chosen to differ in everything the figures count,
every figure is written out here from the data, ties and order included; the year's referrals
are read in one statement however many it holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from filed import CHAIR, file
from sqlite_utils import Database

from matrix.engine import load_matrix
from reports.annual import gather
from reports.figures import FACTS, AnnualFigures
from reports.impact import ActionFigures, action_figures
from storage import actions, plans, referrals, reports
from storage.db import open_db

YEAR = 2025
START = dt.datetime(YEAR, 3, 1, 9, 0, 0, 400, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
NO_FLAGS = {"scr_required": False, "scr_unless_no_concerns": False, "cdop": False}
DEATH = {
    "abuse_or_neglect": "known",
    "child_died": True,
    "standards": "statutory_or_professional",
    "interagency_concern": "cause_for_concern",
}
HARM = {
    "abuse_or_neglect": "suspected",
    "seriously_harmed": True,
    "injury": "hospital_admission_over_24h",
    "standards": "internal_policy",
    "interagency_concern": "curiosity",
}
TREATED = {
    "injury": "hospital_treatment",
    "missing_education": True,
    "standards": "internal_policy",
    "interagency_concern": "none",
}
BRUISES = {
    "injury": "minor",
    "child_died": False,
    "standards": "minor_noncompliance",
    "interagency_concern": "unknown",
}
SELF_HARM = {
    "injury": "minor",
    "significant_self_harm": True,
    "standards": "none",
    "interagency_concern": "none",
}
AT_RISK = {
    "abuse_or_neglect": "none",
    "immediate_risk": True,
    "permanent_disability": 1,  # not a yes: only true counts as an incident
    "standards": "unknown",
    "interagency_concern": "cause_for_concern",
}


def _file(
    db: Database,
    n: int,
    grade: str,
    facts: Mapping[str, Any],
    flags: Mapping[str, bool],
    agency: str,
    agencies: list[str],
    urgent: bool = False,
    year: int = YEAR,
) -> tuple[str, dt.datetime]:
    filed = START.replace(year=year) + n * 24 * HOUR
    result = {"grade": grade, "flags": dict(flags), "matched": [], "matrix_version": "test"}
    referral = file(
        db, facts, filed, result=result, urgent=urgent, agency=agency, agencies=agencies
    )
    return referral.ref, filed


def _decide(
    db: Database, ref: str, when: dt.datetime, decision: str, grade: str | None = None
) -> None:
    reason = "" if decision == "approved" else "synthetic reason"
    referrals.record_decision(db, ref, CHAIR, decision, reason, grade, when)


def _plan(db: Database, ref: str, when: dt.datetime, state: str, answers: dict[str, str]) -> None:
    plans.save_plan(db, ref, state, answers, CHAIR, when)
    referrals.set_status(db, ref, "review_planned", CHAIR, "", when)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """Eight referrals of YEAR (two of them alike in every figure) and one of the year before."""
    db = open_db(tmp_path / "figures.db")
    flagged = {**NO_FLAGS, "scr_required": True, "cdop": True, "notifiable": True}
    r1, t1 = _file(
        db, 0, "catastrophic", DEATH, flagged, "Police", ["Health", "Police", "Health"], urgent=True
    )
    _decide(db, r1, t1 + 12 * HOUR, "approved")
    _plan(db, r1, t1 + 13 * HOUR, "done", {"methodology": "welsh", "family": "no", "staff": "yes"})
    r2, t2 = _file(
        db,
        1,
        "severe",
        HARM,
        {"notifiable": True, "scr_required": False},
        "Health",
        ["Police", "Health"],
    )
    _decide(db, r2, t2 + 24 * HOUR, "escalated", "catastrophic")  # exactly one day
    _plan(db, r2, t2 + 25 * HOUR, "done", {"family": "yes", "staff": "no"})  # no methodology
    referrals.set_status(db, r2, "in_review", CHAIR, "", t2 + 26 * HOUR)
    r3, t3 = _file(db, 2, "moderate", TREATED, NO_FLAGS, "Education", ["Education"])
    _decide(db, r3, t3 + 72 * HOUR, "declined")
    _file(db, 3, "low", BRUISES, {}, "Health", ["Health", "Education", "Police"])  # undecided
    r5, t5 = _file(
        db, 4, "best_practice", {"good_practice": True}, {"cdop": False}, "Education", []
    )
    _decide(db, r5, t5 + 30 * 24 * HOUR, "approved")
    _plan(db, r5, t5 + 31 * 24 * HOUR, "publication_date", {"methodology": "scie", "family": "no"})
    r6, t6 = _file(db, 5, "moderate", TREATED, NO_FLAGS, "Education", ["Education"])  # as r3
    _decide(db, r6, t6 + 10 * 24 * HOUR, "declined")
    r7, t7 = _file(
        db, 6, "low", SELF_HARM, {"urgent": True}, "Voluntary | faith", ["Police", "Police"]
    )
    referrals.set_status(db, r7, "info_requested", CHAIR, "", t7 + HOUR)
    r8, t8 = _file(
        db,
        7,
        "catastrophic",
        AT_RISK,
        {"scr_required": True, "retired_flag": True},
        "Police",
        ["Children's social care", "Health"],
    )
    _decide(db, r8, t8 + 24 * HOUR - dt.timedelta(microseconds=200), "approved")  # just under a day
    old, t0 = _file(
        db, 0, "significant", DEATH, {"cdop": True}, "Health", ["Health"], year=YEAR - 1
    )
    _decide(db, old, t0 + 48 * HOUR, "approved")
    _plan(db, old, t0 + 49 * HOUR, "done", {"methodology": "scie", "family": "no", "staff": "no"})
    yield db
    db.conn.close()


def test_the_figures_count_every_referral_of_the_year_as_filed_and_decided(db: Database) -> None:
    flag = {name: rule.description for name, rule in load_matrix().flags.items()}
    figures = gather(db, YEAR)
    assert figures.mean_days == pytest.approx((0.5 + 1 + 1 + 3 + 10 + 30) / 6)
    assert figures == AnnualFigures(
        year=YEAR,
        total=8,
        urgent=2,  # the practitioner's, and the flag's (r7)
        escalated=1,
        by_grade=[("Catastrophic", 3), ("Moderate", 2), ("Low", 2), ("Best practice", 1)],
        by_route=[
            ("CDOP (Child Death Overview Panel)", 3),
            ("Serious Case Review", 3),
            ("Front line learning (SCIE) report", 2),
            ("Multi agency audit", 2),
            ("Practice manager audit or review", 2),
            ("Single agency review", 2),
            ("Audit", 1),
            (
                "Case scenarios & studies to share in the newsletter or cascade in training"
                " or Board events",
                1,
            ),
        ],
        by_referrer=[("Education", 3), ("Health", 2), ("Police", 2), ("Voluntary | faith", 1)],
        by_agency=[("Health", 4), ("Police", 4), ("Education", 3), ("Children's social care", 1)],
        by_decision=[
            ("Review approved", 3),
            ("Review approved at a higher grade", 1),
            ("No review", 2),
            ("Awaiting the chair", 2),
        ],
        flags=[
            (flag["scr_required"], 2),
            (flag["notifiable"], 2),
            (flag["urgent"], 1),
            (flag["cdop"], 1),
        ],
        decided=6,
        median_days=2.0,  # between one day exactly and three
        mean_days=figures.mean_days,
        longest_days=30.0,
        decision_buckets=[
            ("Under 1 day", 2),  # half a day, and a day less 200 microseconds
            ("1 to 2 days", 1),
            ("3 to 5 days", 1),
            ("6 to 10 days", 1),
            ("11 to 20 days", 0),
            ("Over 20 days", 1),
        ],
        reviews_by_status=[
            ("approved", 1),
            ("review planned", 2),
            ("in review", 1),
            ("report received", 0),
            ("published", 0),
            ("closed", 0),
        ],
        standards=[
            ("Professional or statutory", 1),
            ("Internal policy or procedure", 3),
            ("Minor non-compliance", 1),
            ("None identified", 1),
            ("Don't know", 1),
            ("Not asked (good practice)", 1),
        ],
        working_together=[
            ("Cause for concern", 2),
            ("Some curiosity", 1),
            ("No concerns", 3),
            ("Don't know", 1),
            ("Not asked (good practice)", 1),
        ],
        incidents=[
            ("Minor injuries or bruises", 2),
            ("Missing education", 2),
            ("Taken to hospital for treatment", 2),
            ("Abuse or neglect known", 1),
            ("Abuse or neglect suspected", 1),
            ("Admitted to hospital over 24 hours", 1),
            ("Child died", 1),
            ("Child seriously harmed", 1),
            ("Immediate risk at referral", 1),
            ("Significant self-harm", 1),
        ],
        agency_pairs=[
            ("Health + Police", 3),
            ("Children's social care + Health", 1),
            ("Education + Health", 1),
            ("Education + Police", 1),
        ],
        plans=2,
        methodology=[("Other", 1), ("Welsh model", 1)],
        family_not_involved=1,
        staff_not_involved=1,
    )


def test_the_year_before_is_counted_apart(db: Database) -> None:
    last = gather(db, YEAR - 1)
    assert (last.total, last.by_grade, last.by_decision) == (
        1,
        [("Significant", 1)],
        [("Review approved", 1)],
    )
    assert (last.decided, last.median_days, last.plans, last.methodology) == (
        1,
        2.0,
        1,
        [("SCIE", 1)],
    )
    assert (last.family_not_involved, last.staff_not_involved) == (1, 1)
    empty = gather(db, YEAR + 1)
    assert (empty.total, empty.decided, empty.median_days, empty.by_grade) == (0, 0, None, [])
    assert {n for _, n in empty.decision_buckets + empty.reviews_by_status} == {0}


def test_referrals_alike_in_every_figure_are_one_group_read_in_one_statement(
    db: Database,
) -> None:
    groups = reports.report_groups(db, YEAR, FACTS)
    assert sorted(g.count for g in groups) == [1, 1, 1, 1, 1, 1, 2]
    (pair,) = [g for g in groups if g.count == 2]
    assert (pair.grade, pair.decision, pair.agencies, pair.plan) == (
        "moderate",
        "declined",
        ("Education",),
        None,
    )
    assert pair.facts == TREATED  # only the facts asked for, as their JSON values
    assert sorted(pair.days) == [3.0, 10.0]  # each one's days to decision
    (bruised,) = [
        g
        for g in groups
        if g.grade == "low" and g.decision is None and g.status == "awaiting_chair"
    ]
    assert bruised.facts == BRUISES and bruised.flags == {} and bruised.days == ()
    seen: list[str] = []
    db.conn.set_trace_callback(lambda sql: seen.append(sql) if "referrals" in sql else None)
    try:
        gather(db, YEAR)
    finally:
        db.conn.set_trace_callback(None)
    assert len(seen) == 1  # the groups, with their days to decision


def test_a_years_actions_are_read_grouped_and_counted_where_they_stand(db: Database) -> None:
    ref = referrals.list_referrals(db, YEAR)[0].ref
    old = referrals.list_referrals(db, YEAR - 1)[0].ref
    at, due, utc = START + 24 * HOUR, dt.date(YEAR, 6, 1), dt.UTC

    def add(agency: str, on: dt.date, change: str = "", closed: dt.datetime = START) -> None:
        action = actions.add_action(db, ref, agency, on, "Share the plan.", CHAIR, at)
        if change:
            actions.change_action(db, ref, action.seq, change, CHAIR, "Synthetic.", closed)

    add("Police", due)
    add("Police", due)  # alike in every figure: one group of two
    add("Health", due, "done", dt.datetime(YEAR, 6, 1, 23, 30, tzinfo=utc))  # on its due day
    add("Health", due, "done", dt.datetime(YEAR, 6, 2, 0, 30, tzinfo=utc))
    add("Education", dt.date(YEAR, 12, 31), "dropped")
    add("Education", dt.date(YEAR + 1, 1, 31))  # not due yet at the year's end
    actions.add_action(db, old, "Police", due, "Last year's.", CHAIR, START.replace(year=YEAR - 1))
    groups = reports.action_groups(db, YEAR)
    assert sorted(g.count for g in groups) == [1, 1, 1, 1, 2]
    figures = action_figures(groups, dt.date(YEAR, 12, 31))
    assert figures == ActionFigures(
        recorded=6,
        done_on_time=1,
        done_late=1,
        overdue=2,
        dropped=1,
        still_open=1,
        by_agency=[
            ("Education", (2, 0, 0, 0, 1)),
            ("Health", (2, 1, 1, 0, 0)),
            ("Police", (2, 0, 0, 2, 0)),
        ],
    )
    assert [g.count for g in reports.action_groups(db, YEAR - 1)] == [1]

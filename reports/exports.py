"""The CSV tables `triage-bot export --what referrals|actions|briefs|briefs-by-agency|reviews`
writes, as plain rows (no I/O).

Referrals: one row per referral, codes with their words beside them (grade, status, decision),
the review plan's dates, the status history and the review's practice themes (`; ` between
them); the practitioner's identity is left out beyond
their agency, and so is their own case reference unless asked for (`case_reference`, right
after `ref`). Actions: one row per action of a review's action plan, its id `REF/A1`, owner,
due date, status, whether it was done on time, and its evidence or reason. Briefs: one row per
learning brief (case study or not, the agencies it was for, status, when approved, sent to, read,
read rate); briefs by agency: one row per brief and agency it reached. Reviews: one row per
review, where it stands (stage, next date due, working days behind: `reports.review_stages`),
the plan's dates, its agency reviews asked, in and late, and its overdue actions. Counts only: no
practitioner is named or numbered. Cells a spreadsheet would take for a formula start with an
apostrophe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from reports.reach import percent
from reports.review_stages import PLAN_DATES as REVIEW_DATES
from reports.review_stages import ReviewRow
from storage.actions import Action
from storage.briefs import BriefRow
from storage.referral_record import Referral
from templates import labels

REFERRAL_COLUMNS = (
    "ref",
    "year",
    "filed_at",
    "referrer_agency",
    "grade",
    "grade_words",
    "original_grade",
    "matrix_version",
    "urgent",
    "scr_required",
    "scr_unless_no_concerns",
    "cdop",
    "notifiable",
    "agencies",
    "status",
    "status_words",
    "decision",
    "decision_words",
    "decided_at",
    "days_to_decision",
    "decision_reason",
    "iar_due",
    "report_due",
    "publication_date",
    "status_history",
    "themes",
    "description",
)
ACTION_COLUMNS = (
    "id",
    "ref",
    "agency",
    "due",
    "status",
    "status_words",
    "recorded_at",
    "closed_at",
    "on_time",
    "text",
    "outcome",
)
BRIEF_COLUMNS = (
    "ref",
    "case_study",
    "agencies",
    "status",
    "created_at",
    "approved_at",
    "sent_to",
    "read",
    "read_rate",
)
BRIEF_AGENCY_COLUMNS = ("ref", "agency", "sent_to", "read", "read_rate")
REVIEW_COLUMNS = (
    "ref",
    "year",
    "grade",
    "grade_words",
    "status",
    "status_words",
    "decided_at",
    "stage",
    "stage_words",
    "next_due",
    "next_due_is",
    "working_days_behind",
    "iar_due",
    "report_due",
    "publication_date",
    "agency_reviews_asked",
    "agency_reviews_in",
    "agency_reviews_late",
    "actions_overdue",
    "themes",
)
ALL_AGENCIES = "all"  # the `agencies` cell of a brief for every practitioner
CASE_REFERENCE = "case_reference"
PLAN_DATES = ("iar_due", "report_due", "publication_date")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell as text, with a leading apostrophe where a spreadsheet would see a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def referral_columns(with_case_reference: bool = False) -> tuple[str, ...]:
    """The referrals' header: `REFERRAL_COLUMNS`, with `case_reference` after `ref` if asked."""
    if not with_case_reference:
        return REFERRAL_COLUMNS
    return (REFERRAL_COLUMNS[0], CASE_REFERENCE, *REFERRAL_COLUMNS[1:])


def referral_rows(
    referrals: Sequence[Referral],
    plan_answers: Mapping[str, Mapping[str, object]] | None = None,
    history: Mapping[str, str] | None = None,
    with_case_reference: bool = False,
    themes: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[list[str]]:
    """The referrals' rows (without the header); `plan_answers`, `history` and the reviews'
    `themes` by reference; the practitioner's case reference after `ref` only
    `with_case_reference`."""
    for r in referrals:
        days = (
            f"{(r.decided_at - r.created_at).total_seconds() / 86400:.2f}" if r.decided_at else ""
        )
        plan = (plan_answers or {}).get(r.ref, {})
        values = (
            r.ref,
            r.year,
            r.created_at.isoformat(timespec="seconds"),
            r.referrer_agency,
            r.grade,
            labels.grade_label(r.grade),
            r.original_grade,
            r.matrix_version,
            int(r.urgent),
            *(int(bool(r.flags.get(f))) for f in ("scr_required", "scr_unless_no_concerns")),
            *(int(bool(r.flags.get(f))) for f in ("cdop", "notifiable")),
            "; ".join(r.agencies),
            r.status,
            labels.status_label(r.status),
            r.decision or "",
            labels.decision_label(r.decision) if r.decision else "",
            r.decided_at.isoformat(timespec="seconds") if r.decided_at else "",
            days,
            r.decision_reason or "",
            *(str(plan.get(name, "")) for name in PLAN_DATES),
            (history or {}).get(r.ref, ""),
            "; ".join((themes or {}).get(r.ref, ())),
            r.description,
        )
        if with_case_reference:
            values = (values[0], r.case_reference or "", *values[1:])
        yield [safe_cell(v) for v in values]


def action_rows(actions: Sequence[Action]) -> Iterator[list[str]]:
    """The actions' rows (without the header)."""
    for a in actions:
        closed = a.closed_at.date() if a.closed_at else None
        on_time = "" if a.status != "done" or closed is None else int(closed <= a.due)
        values = (
            a.id,
            a.ref,
            a.agency,
            a.due.isoformat(),
            a.status,
            labels.action_status_label(a.status),
            a.recorded_at.isoformat(timespec="seconds"),
            a.closed_at.isoformat(timespec="seconds") if a.closed_at else "",
            on_time,
            a.text,
            a.outcome or "",
        )
        yield [safe_cell(v) for v in values]


def _rate(read: int, sent: int) -> str:
    rate = percent(read, sent)
    return "" if rate is None else f"{rate}%"


def brief_rows(briefs: Sequence[BriefRow]) -> Iterator[list[str]]:
    """One row per brief (without the header): its reach in counts, no one named."""
    for b in briefs:
        values = (
            b.ref,
            int(b.case_study),
            "; ".join(b.agencies) or ALL_AGENCIES,
            b.status,
            b.created_at.isoformat(timespec="seconds"),
            b.approved_at.isoformat(timespec="seconds") if b.approved_at else "",
            b.sent,
            b.read,
            _rate(b.read, b.sent),
        )
        yield [safe_cell(v) for v in values]


def brief_agency_rows(briefs: Sequence[BriefRow]) -> Iterator[list[str]]:
    """One row per brief and agency it reached (without the header)."""
    for b in briefs:
        for agency, sent, read in b.by_agency:
            yield [safe_cell(v) for v in (b.ref, agency, sent, read, _rate(read, sent))]


def review_rows(
    reviews: Sequence[ReviewRow], themes: Mapping[str, Sequence[str]] | None = None
) -> Iterator[list[str]]:
    """One row per review (without the header): where it stands (`reports.review_stages`),
    the plan's dates, its agency reviews (asked, in, late), its overdue actions and its practice
    themes (`themes` by reference, `; ` between them)."""
    for row in reviews:
        st = row.stage
        values = (
            st.ref,
            row.year,
            st.grade,
            labels.grade_label(st.grade),
            st.status,
            labels.status_label(st.status),
            row.decided.isoformat() if row.decided else "",
            st.stage.value,
            st.label,
            st.due.isoformat() if st.due else "",
            st.due_for or "",
            st.behind,
            *(row.dates.get(name, "") for name in REVIEW_DATES),
            st.asked,
            st.submitted,
            st.late,
            row.overdue_actions,
            "; ".join((themes or {}).get(st.ref, ())),
        )
        yield [safe_cell(v) for v in values]


def status_history(moves: Sequence[tuple[dt.datetime, str]]) -> str:
    """A referral's status moves as one cell: "2026-03-02 approved; 2026-03-09 review_planned"."""
    return "; ".join(f"{at.date().isoformat()} {status}" for at, status in moves)

"""The figures of the annual update (framework item 14: "An annual update on progress and themes
emerging of management reviews undertaken in the course of the year"), computed in one pass.

Referrals of the year by grade, review route, referring agency, agencies involved and the chair's
decision; time from filing to decision (median and distribution); reviews by status; and the
themes recurring in the practitioners' answers (standards not met, agencies working together,
the incidents, the agencies most often involved together) and in the review plans (family and
staff not involved). Imports no `telegram`.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from dialogs.plan_questions import METHODOLOGIES
from dialogs.questions import BY_ID as QUESTIONS
from matrix.engine import load_matrix
from matrix.model import GRADES, NONE
from storage.lifecycle import STATUSES, UNDECIDED
from storage.plans import Plan
from storage.reports import ReportRow

Rows = list[tuple[str, int]]

DECISIONS = {
    "approved": "Review approved",
    "escalated": "Approved at a higher grade",
    "declined": "No review",
}
UNDECIDED_LABEL = "Awaiting the chair"
# (label, lowest days, highest days exclusive) of the time-to-decision distribution.
BUCKETS: tuple[tuple[str, float, float], ...] = (
    ("Under 1 day", 0.0, 1.0),
    ("1 to 2 days", 1.0, 3.0),
    ("3 to 5 days", 3.0, 6.0),
    ("6 to 10 days", 6.0, 11.0),
    ("11 to 20 days", 11.0, 21.0),
    ("Over 20 days", 21.0, float("inf")),
)
# Yes/no facts that name an incident, and how the report names them.
INCIDENTS: dict[str, str] = {
    "child_died": "Child died",
    "seriously_harmed": "Child seriously harmed",
    "permanent_disability": "Permanent disability",
    "sexual_abuse_or_cse": "Sexual abuse or exploitation",
    "parent_domestic_homicide": "Parent died in domestic homicide",
    "significant_self_harm": "Significant self-harm",
    "parents_charged_with_neglect": "Parents charged with neglect",
    "missing_education": "Missing education",
    "immediate_risk": "Immediate risk at referral",
}
INJURIES = {
    "hospital_admission_over_24h": "Admitted to hospital over 24 hours",
    "hospital_treatment": "Taken to hospital for treatment",
    "minor": "Minor injuries or bruises",
}
ABUSE = {"known": "Abuse or neglect known", "suspected": "Abuse or neglect suspected"}
TOP_PAIRS = 10
NOT_ASKED = "Not asked (good practice)"
METHODS = {o.value: o.label for o in METHODOLOGIES}


def _fact_labels(question: str) -> dict[str, str]:
    """The practitioner's option labels for the facts a question sets (fact value -> label)."""
    return {str(o.fact): o.label for o in QUESTIONS[question].options if o.fact is not None}


@dataclass
class AnnualFigures:
    """Everything the annual update shows, as ordered (label, count) rows."""

    year: int
    total: int = 0
    urgent: int = 0
    escalated: int = 0
    by_grade: Rows = field(default_factory=list)
    by_route: Rows = field(default_factory=list)
    by_referrer: Rows = field(default_factory=list)
    by_agency: Rows = field(default_factory=list)
    by_decision: Rows = field(default_factory=list)
    flags: Rows = field(default_factory=list)
    decided: int = 0
    median_days: float | None = None
    mean_days: float | None = None
    longest_days: float | None = None
    decision_buckets: Rows = field(default_factory=list)
    reviews_by_status: Rows = field(default_factory=list)
    standards: Rows = field(default_factory=list)
    working_together: Rows = field(default_factory=list)
    incidents: Rows = field(default_factory=list)
    agency_pairs: Rows = field(default_factory=list)
    plans: int = 0
    methodology: Rows = field(default_factory=list)
    family_not_involved: int = 0
    staff_not_involved: int = 0


def _ordered(counter: Counter[str], order: Sequence[str] = ()) -> Rows:
    """Rows in `order` (labels with none left out), else by count, most first, then by name."""
    if order:
        return [(label, counter[label]) for label in order if counter[label]]
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def bucket(days: float) -> str:
    """The distribution bucket of a time to decision."""
    return next(label for label, low, high in BUCKETS if low <= days < high)


def compute(
    year: int,
    rows: Iterable[ReportRow],
    plans: Mapping[str, Plan] | None = None,
    tick: Callable[[], None] | None = None,
) -> AnnualFigures:
    """The figures of `year` from its referrals (`rows`) and the plans by reference.

    `tick` is called once per referral (a progress bar).
    """
    matrix = load_matrix()
    plans = plans or {}
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    days: list[float] = []
    standards_labels = _fact_labels("standards")
    together_labels = _fact_labels("together")
    flag_labels = {name: rule.description for name, rule in matrix.flags.items()}
    figures = AnnualFigures(year)
    for row in rows:
        figures.total += 1
        figures.urgent += row.urgent
        figures.escalated += row.grade != row.original_grade
        counts["grade"][matrix.label(row.grade)] += 1
        counts["route"].update(matrix.info(row.grade).review_types)
        counts["referrer"][row.referrer_agency] += 1
        counts["agency"].update(set(row.agencies))
        counts["pair"].update(" + ".join(p) for p in combinations(sorted(set(row.agencies)), 2))
        counts["flag"].update(
            flag_labels[f] for f, on in row.flags.items() if on and f in flag_labels
        )
        if row.status in UNDECIDED or row.decision is None:
            counts["decision"][UNDECIDED_LABEL] += 1
        else:
            counts["decision"][DECISIONS.get(row.decision, row.decision)] += 1
            if row.decision in ("approved", "escalated"):
                counts["review"][row.status] += 1
        taken = row.days_to_decision
        if taken is not None:
            days.append(taken)
            counts["bucket"][bucket(taken)] += 1
        facts = row.facts
        standard = facts.get("standards")
        counts["standards"][standards_labels.get(str(standard), NOT_ASKED)] += 1
        together = facts.get("interagency_concern")
        counts["together"][together_labels.get(str(together), NOT_ASKED)] += 1
        counts["incident"].update(
            label for key, label in INCIDENTS.items() if facts.get(key) is True
        )
        injury = INJURIES.get(str(facts.get("injury", "none")))
        abuse = ABUSE.get(str(facts.get("abuse_or_neglect", "none")))
        counts["incident"].update(label for label in (injury, abuse) if label)
        plan = plans.get(row.ref)
        if plan is not None and plan.state == "done":
            figures.plans += 1
            method = METHODS.get(str(plan.answers.get("methodology")), "Other")
            counts["method"][method] += 1
            figures.family_not_involved += plan.answers.get("family") == "no"
            figures.staff_not_involved += plan.answers.get("staff") == "no"
        if tick is not None:
            tick()
    grade_order = [matrix.label(g) for g in (*GRADES, NONE)]
    figures.by_grade = _ordered(counts["grade"], grade_order)
    figures.by_route = _ordered(counts["route"])
    figures.by_referrer = _ordered(counts["referrer"])
    figures.by_agency = _ordered(counts["agency"])
    figures.by_decision = _ordered(counts["decision"], [*DECISIONS.values(), UNDECIDED_LABEL])
    figures.flags = _ordered(counts["flag"])
    figures.decided = len(days)
    if days:
        figures.median_days = statistics.median(days)
        figures.mean_days = statistics.fmean(days)
        figures.longest_days = max(days)
    figures.decision_buckets = [(label, counts["bucket"][label]) for label, _, _ in BUCKETS]
    review_statuses = [s for s in STATUSES if s not in (*UNDECIDED, "declined")]
    figures.reviews_by_status = [
        (status.replace("_", " "), counts["review"][status]) for status in review_statuses
    ]
    figures.standards = _ordered(counts["standards"], [*standards_labels.values(), NOT_ASKED])
    figures.working_together = _ordered(counts["together"], [*together_labels.values(), NOT_ASKED])
    figures.incidents = _ordered(counts["incident"])
    figures.agency_pairs = _ordered(counts["pair"])[:TOP_PAIRS]
    figures.methodology = _ordered(counts["method"])
    return figures

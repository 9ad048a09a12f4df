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
from dialogs.questions import CHECK
from matrix.engine import load_matrix
from matrix.model import GRADES, NONE
from storage.lifecycle import DECLINED, STATUSES, UNDECIDED
from storage.plans import Plan
from storage.referrals import DECISIONS
from storage.reports import ReportRow
from templates.labels import decision_label, grade_label, status_label

Rows = list[tuple[str, int]]

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
    return {str(o.fact): o.label for o in CHECK.by_id[question].options if o.fact is not None}


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

    `tick` is called once per referral (a progress bar). The loop counts raw values (grade ids,
    flag names, fact values); they are turned into people's words once, after it.
    """
    plans = plans or {}
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    days: list[float] = []
    figures = AnnualFigures(year)
    grades, flags, incidents = counts["grade"], counts["flag"], counts["incident"]
    for row in rows:
        figures.total += 1
        figures.urgent += row.urgent
        figures.escalated += row.grade != row.original_grade
        grades[row.grade] += 1
        counts["referrer"][row.referrer_agency] += 1
        involved = sorted(set(row.agencies))
        for agency in involved:
            counts["agency"][agency] += 1
        for pair in combinations(involved, 2):
            counts["pair"][" + ".join(pair)] += 1
        for flag, on in row.flags.items():
            if on:
                flags[flag] += 1
        if row.status in UNDECIDED or row.decision is None:
            counts["decision"][decision_label(None)] += 1
        else:
            counts["decision"][decision_label(row.decision)] += 1
            if row.decision in ("approved", "escalated"):
                counts["review"][row.status] += 1
        taken = row.days_to_decision
        if taken is not None:
            days.append(taken)
            counts["bucket"][bucket(taken)] += 1
        facts = row.facts
        counts["standards"][str(facts.get("standards"))] += 1
        counts["together"][str(facts.get("interagency_concern"))] += 1
        for key, value in facts.items():
            if value is True and key in INCIDENTS:
                incidents[INCIDENTS[key]] += 1
        for label in (
            INJURIES.get(str(facts.get("injury"))),
            ABUSE.get(str(facts.get("abuse_or_neglect"))),
        ):
            if label:
                incidents[label] += 1
        plan = plans.get(row.ref)
        if plan is not None and plan.state == "done":
            figures.plans += 1
            counts["method"][METHODS.get(str(plan.answers.get("methodology")), "Other")] += 1
            figures.family_not_involved += plan.answers.get("family") == "no"
            figures.staff_not_involved += plan.answers.get("staff") == "no"
        if tick is not None:
            tick()
    _words(figures, counts, days)
    return figures


def _relabel(counter: Counter[str], labels: Mapping[str, str], other: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in counter.items():
        out[labels.get(key, other)] += n
    return out


def _words(
    figures: AnnualFigures, counts: defaultdict[str, Counter[str]], days: list[float]
) -> None:
    """Fill the figures' rows from the raw counts, in people's words and a stable order."""
    matrix = load_matrix()
    standards_labels = _fact_labels("standards")
    together_labels = _fact_labels("together")
    routes: Counter[str] = Counter()
    for grade_id, n in counts["grade"].items():
        for route in matrix.info(grade_id).review_types:
            routes[route] += n
    grade_labels = {g: grade_label(g) for g in (*GRADES, NONE)}
    flag_labels = {name: rule.description for name, rule in matrix.flags.items()}
    figures.by_grade = _ordered(
        _relabel(counts["grade"], grade_labels, "?"), list(grade_labels.values())
    )
    figures.by_route = _ordered(routes)
    figures.by_referrer = _ordered(counts["referrer"])
    figures.by_agency = _ordered(counts["agency"])
    decisions = [decision_label(d) for d in (*DECISIONS, None)]
    figures.by_decision = _ordered(counts["decision"], decisions)
    flags = Counter({flag_labels[f]: n for f, n in counts["flag"].items() if f in flag_labels})
    figures.flags = _ordered(flags)
    figures.decided = len(days)
    if days:
        figures.median_days = statistics.median(days)
        figures.mean_days = statistics.fmean(days)
        figures.longest_days = max(days)
    figures.decision_buckets = [(label, counts["bucket"][label]) for label, _, _ in BUCKETS]
    review_statuses = [s for s in STATUSES if s not in (*UNDECIDED, DECLINED)]
    figures.reviews_by_status = [
        (status_label(status), counts["review"][status]) for status in review_statuses
    ]
    figures.standards = _ordered(
        _relabel(counts["standards"], standards_labels, NOT_ASKED),
        [*standards_labels.values(), NOT_ASKED],
    )
    figures.working_together = _ordered(
        _relabel(counts["together"], together_labels, NOT_ASKED),
        [*together_labels.values(), NOT_ASKED],
    )
    figures.incidents = _ordered(counts["incident"])
    figures.agency_pairs = _ordered(counts["pair"])[:TOP_PAIRS]
    figures.methodology = _ordered(counts["method"])

"""The figures of the annual update (framework item 14: "An annual update on progress and themes
emerging of management reviews undertaken in the course of the year"), computed in one pass
over the year's referrals grouped by what is counted (`storage.reports.report_groups`).

Referrals of the year by grade, review route, referring agency, agencies involved and the chair's
decision; time from filing to decision (median and distribution); reviews by status; and the
themes recurring in the practitioners' answers (standards not met, agencies working together,
the incidents, the agencies most often involved together) and in the review plans (family and
staff not involved). Imports no `telegram`.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from dialogs.plan_questions import METHODOLOGIES
from dialogs.questions import CHECK
from matrix.engine import load_matrix
from matrix.model import GRADES, NONE
from storage.lifecycle import DECLINED, STATUSES, UNDECIDED
from storage.referrals import DECISIONS
from storage.reports import ReportGroup
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
# The facts the figures count, read for each group of referrals.
FACTS: tuple[str, ...] = (
    "standards",
    "interagency_concern",
    "injury",
    "abuse_or_neglect",
    *INCIDENTS,
)
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


def compute(year: int, groups: Iterable[ReportGroup]) -> AnnualFigures:
    """The figures of `year` from its referrals grouped by what is counted (`groups`, read with
    the facts `FACTS`), with the days each decided one took.

    The loop counts raw values (grade ids, flag names, fact values), a group's referrals at once;
    they are turned into people's words once, after it.
    """
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    days: list[float] = []
    figures = AnnualFigures(year)
    grades, flags, incidents = counts["grade"], counts["flag"], counts["incident"]
    for group in groups:
        n = group.count
        days.extend(group.days)
        figures.total += n
        figures.urgent += n * group.urgent
        figures.escalated += n * group.escalated
        grades[group.grade] += n
        counts["referrer"][group.referrer_agency] += n
        involved = sorted(set(group.agencies))
        for agency in involved:
            counts["agency"][agency] += n
        for pair in combinations(involved, 2):
            counts["pair"][" + ".join(pair)] += n
        for flag, on in group.flags.items():
            if on:
                flags[flag] += n
        if group.status in UNDECIDED or group.decision is None:
            counts["decision"][decision_label(None)] += n
        else:
            counts["decision"][decision_label(group.decision)] += n
            if group.decision in ("approved", "escalated"):
                counts["review"][group.status] += n
        facts = group.facts
        counts["standards"][str(facts.get("standards"))] += n
        counts["together"][str(facts.get("interagency_concern"))] += n
        for key, value in facts.items():
            if value is True and key in INCIDENTS:
                incidents[INCIDENTS[key]] += n
        for label in (
            INJURIES.get(str(facts.get("injury"))),
            ABUSE.get(str(facts.get("abuse_or_neglect"))),
        ):
            if label:
                incidents[label] += n
        plan = group.plan
        if plan is not None:
            figures.plans += n
            counts["method"][METHODS.get(str(plan.get("methodology")), "Other")] += n
            figures.family_not_involved += n * (plan.get("family") == "no")
            figures.staff_not_involved += n * (plan.get("staff") == "no")
    days.sort()
    for label, low, high in BUCKETS:
        counts["bucket"][label] = bisect_left(days, high) - bisect_left(days, low)
    _words(figures, counts, days)
    return figures


def _relabel(counter: Counter[str], labels: Mapping[str, str], other: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in counter.items():
        out[labels.get(key, other)] += n
    return out


def _words(
    figures: AnnualFigures, counts: defaultdict[str, Counter[str]], days: Sequence[float]
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

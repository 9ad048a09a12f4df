"""What the annual update shows of the learning briefs (SPEC §7, "briefs (sent, reach and read
rate, by agency)"): the approved briefs of a year (reviews' briefs and case studies of good
practice), how many practitioners they were delivered to, how many pressed Read it, the read
rate, and the same by agency. Pure: the stored briefs with their reach in, figures out. Imports
no `telegram`.

A brief belongs to the year it was approved, the moment it was queued to its recipients
(`storage.briefs.brief_rows`); its deliveries and reads count under that year even when they
came in the next. "Sent to" counts deliveries (one per practitioner per brief, as `/reach` says
it); "practitioners reached" counts different people. A rate is a whole percentage, rounded as
`/reach` rounds it, and None when nothing was sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from storage.briefs import APPROVED, BriefRow


def percent(read: int, sent: int) -> int | None:
    """`read` as a whole percentage of `sent`, or None when nothing was sent."""
    return round(100 * read / sent) if sent else None


@dataclass(frozen=True, slots=True)
class AgencyReach:
    """One agency's deliveries and reads of a year's briefs."""

    agency: str
    sent: int
    read: int

    @property
    def rate(self) -> int | None:
        """Read as a whole percentage of sent (None when none were sent)."""
        return percent(self.read, self.sent)


@dataclass
class BriefFigures:
    """Counts of one year's approved learning briefs and their reach, overall and by agency
    (most delivered first)."""

    year: int
    briefs: int = 0
    reviews: int = 0
    case_studies: int = 0
    sent: int = 0
    people: int = 0
    read: int = 0
    by_agency: list[AgencyReach] = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        """Read as a whole percentage of sent (None when none were sent)."""
        return percent(self.read, self.sent)

    @property
    def rate_by_agency(self) -> list[tuple[str, float]]:
        """(agency, read rate %) of each agency sent any, for a chart."""
        return [(a.agency, float(a.rate)) for a in self.by_agency if a.rate is not None]


def brief_figures(year: int, rows: Iterable[BriefRow], people: int = 0) -> BriefFigures:
    """The figures of `year`'s briefs (`rows`, as read for that year; those not approved are
    left out) and `people`, the different practitioners they reached."""
    figures = BriefFigures(year, people=people)
    agencies: dict[str, list[int]] = {}
    for row in rows:
        if row.status != APPROVED:
            continue
        figures.briefs += 1
        figures.case_studies += row.case_study
        for agency, sent, read in row.by_agency:
            counts = agencies.setdefault(agency, [0, 0])
            counts[0] += sent
            counts[1] += read
            figures.sent += sent
            figures.read += read
    figures.reviews = figures.briefs - figures.case_studies
    figures.by_agency = [
        AgencyReach(agency, sent, read)
        for agency, (sent, read) in sorted(
            agencies.items(), key=lambda item: (-item[1][0], item[0].casefold())
        )
    ]
    return figures


@dataclass(frozen=True, slots=True)
class AgencyBeside:
    """One agency's reach this year beside last year's (zeros where it had none)."""

    agency: str
    now: AgencyReach
    before: AgencyReach


def beside(now: BriefFigures, before: BriefFigures) -> list[AgencyBeside]:
    """Every agency reached in either year, this year's order first, then last year's others."""
    this = {a.agency: a for a in now.by_agency}
    last = {a.agency: a for a in before.by_agency}
    names: Sequence[str] = [*this, *(name for name in last if name not in this)]
    return [
        AgencyBeside(
            name, this.get(name, AgencyReach(name, 0, 0)), last.get(name, AgencyReach(name, 0, 0))
        )
        for name in names
    ]

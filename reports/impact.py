"""What the annual update shows of the learning cycle's impact (SPEC §7): the actions of the
reviews' action plans recorded in a year (done on time, done late, overdue, dropped, still open;
by agency). Pure: the year's actions grouped in, figures out. Imports no `telegram`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from storage.reports import ActionGroup

COLUMNS = ("recorded", "done_on_time", "done_late", "overdue", "dropped")


@dataclass
class ActionFigures:
    """Counts of one year's actions, and the same by owning agency: (agency, counts in the
    order of `COLUMNS`)."""

    recorded: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    dropped: int = 0
    still_open: int = 0
    by_agency: list[tuple[str, tuple[int, ...]]] = field(default_factory=list)

    @property
    def recorded_by_agency(self) -> list[tuple[str, float]]:
        """(agency, actions recorded), for a chart."""
        return [(agency, counts[0]) for agency, counts in self.by_agency]


def outcome(status: str, due: dt.date, closed_on: dt.date | None, as_of: dt.date) -> str:
    """Where an action stands on `as_of`: done_on_time, done_late, dropped, overdue or open."""
    if status == "done":
        closed = closed_on or as_of
        return "done_on_time" if closed <= due else "done_late"
    if status == "dropped":
        return "dropped"
    return "overdue" if as_of > due else "open"


def action_figures(groups: Iterable[ActionGroup], as_of: dt.date) -> ActionFigures:
    """The figures of the year's actions (read grouped: `storage.reports.action_groups`), each
    counted where it stands on `as_of`."""
    figures = ActionFigures()
    agencies: dict[str, list[int]] = {}
    for group in groups:
        n = group.count
        where = outcome(group.status, group.due, group.closed_on, as_of)
        row = agencies.setdefault(group.agency, [0] * len(COLUMNS))
        figures.recorded += n
        row[0] += n
        if where == "open":
            figures.still_open += n
            continue
        setattr(figures, where, getattr(figures, where) + n)
        row[COLUMNS.index(where)] += n
    figures.by_agency = [
        (agency, tuple(counts))
        for agency, counts in sorted(agencies.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    return figures

"""What the annual update shows of the learning cycle's impact (SPEC §7): the actions of the
reviews' action plans recorded in a year (done on time, done late, overdue, dropped, still open;
by agency). Pure: actions in, figures out. Imports no `telegram`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.actions import Action

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


def outcome(action: Action, as_of: dt.date) -> str:
    """Where one action stands on `as_of`: done_on_time, done_late, dropped, overdue or open."""
    if action.status == "done":
        closed = action.closed_at.date() if action.closed_at else as_of
        return "done_on_time" if closed <= action.due else "done_late"
    if action.status == "dropped":
        return "dropped"
    return "overdue" if as_of > action.due else "open"


def action_figures(actions: Sequence[Action], as_of: dt.date) -> ActionFigures:
    """The figures of these actions (the year's), each counted where it stands on `as_of`."""
    figures = ActionFigures()
    agencies: dict[str, list[int]] = {}
    for action in actions:
        where = outcome(action, as_of)
        row = agencies.setdefault(action.agency, [0] * len(COLUMNS))
        figures.recorded += 1
        row[0] += 1
        if where == "open":
            figures.still_open += 1
            continue
        setattr(figures, where, getattr(figures, where) + 1)
        row[COLUMNS.index(where)] += 1
    figures.by_agency = [
        (agency, tuple(counts))
        for agency, counts in sorted(agencies.items(), key=lambda item: (-item[1][0], item[0]))
    ]
    return figures

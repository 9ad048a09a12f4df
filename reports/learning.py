"""The annual update's learning events and themes (SPEC §9): how many came to the year's
practitioners' learning events, their feedback (the safety scores' mean and range, what people
will do differently), and the year's reviews counted by theme beside last year's. Read through
`storage.event_feedback.feedback_summary` and `storage.themes`, so the counts are those the
overview report shows; no one is named. Imports no `telegram`.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlite_utils import Database

from storage import event_feedback, learning_events, themes


@dataclass(frozen=True)
class EventFigures:
    """A year's learning events (those that began in it), in counts and words without names."""

    year: int
    events: int = 0
    invited: int = 0
    coming: int = 0
    feedback: int = 0
    safety: tuple[int, ...] = ()
    differently: tuple[tuple[str, str], ...] = ()  # (reference, what someone will do)

    @property
    def safety_mean(self) -> float | None:
        """The mean safety score (1 to 5), or None without feedback."""
        return statistics.fmean(self.safety) if self.safety else None

    @property
    def safety_range(self) -> tuple[int, int] | None:
        """The lowest and highest safety score, or None without feedback."""
        return (min(self.safety), max(self.safety)) if self.safety else None


def event_figures(db: Database, year: int) -> EventFigures:
    """The learning events that began in `year`, summed."""
    summaries = [
        event_feedback.feedback_summary(db, e.ref) for e in learning_events.events_in(db, year)
    ]
    return EventFigures(
        year=year,
        events=len(summaries),
        invited=sum(s.counts.invited for s in summaries),
        coming=sum(s.counts.coming for s in summaries),
        feedback=sum(s.feedback for s in summaries),
        safety=tuple(score for s in summaries for score in s.safety),
        differently=tuple((s.ref, text) for s in summaries for text in s.differently),
    )


def theme_rows(db: Database, year: int) -> list[tuple[str, int, int]]:
    """(theme, reviews of `year`, reviews of the year before), most frequent first."""
    now, before = themes.counts_by_year(db, year), themes.counts_by_year(db, year - 1)
    names = set(now) | set(before)
    return sorted(
        ((name, now.get(name, 0), before.get(name, 0)) for name in names),
        key=lambda row: (-row[1], -row[2], row[0]),
    )

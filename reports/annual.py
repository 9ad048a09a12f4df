"""The annual update as documents: figures read from the database, rendered as Markdown (tables)
and as HTML (the same tables, with inline SVG bar charts). With two years' figures it shows the
actions of the reviews' action plans (`reports.impact`) and the learning briefs' reach
(`reports.reach`), each year beside the year before, each review of the year on its own row
(SPEC §7 and §9: reference, grade, decided, stage, next date due, working days behind, the
plan's dates, agency reviews asked, in and late, overdue actions: `reports.review_stages`) when
given the board's count of working days, and the practitioners' learning events and the reviews'
themes (`reports.learning`). Imports no `telegram`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO, TypeVar

from sqlite_utils import Database

from matrix.model import TERMS_2013
from reports.charts import bar_chart
from reports.figures import FACTS, AnnualFigures, compute
from reports.impact import ActionFigures, action_figures
from reports.learning import EventFigures, event_figures, theme_rows
from reports.markdown import md_escape
from reports.progress_bar import Progress
from reports.reach import BriefFigures, beside, brief_figures
from reports.review_stages import PLAN_DATES, ReviewRow, WorkingDays, review_rows, year_reviews
from storage import briefs, reports
from templates import render
from templates.labels import grade_label

T = TypeVar("T")
PARTS = 10  # the parts `gather_years` reads, one step of its progress bar each


@dataclass(frozen=True)
class YearFigures:
    """A year's figures (referrals, actions, briefs) beside the year before's, for comparison."""

    year: AnnualFigures
    actions: ActionFigures
    last_year: AnnualFigures
    last_actions: ActionFigures
    briefs: BriefFigures
    last_briefs: BriefFigures
    reviews: tuple[ReviewRow, ...] | None = None  # None: not asked for (no working days)
    events: EventFigures | None = None
    last_events: EventFigures | None = None
    themes: tuple[tuple[str, int, int], ...] = ()  # (theme, reviews this year, last year)


@dataclass(frozen=True)
class AnnualReport:
    """The rendered update and its figures."""

    figures: AnnualFigures
    markdown: str
    html: str

    def write(self, folder: Path) -> tuple[Path, Path]:
        """Write `annual-report-YYYY.md` and `.html` into `folder` (created); their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        stem = folder / f"annual-report-{self.figures.year}"
        md_path, html_path = stem.with_suffix(".md"), stem.with_suffix(".html")
        md_path.write_text(self.markdown, encoding="utf-8")
        html_path.write_text(self.html, encoding="utf-8")
        return md_path, html_path


def gather(db: Database, year: int) -> AnnualFigures:
    """The referral figures of `year`: one read of its referrals, however many there are."""
    return compute(year, reports.report_groups(db, year, FACTS))


def gather_years(
    db: Database,
    year: int,
    today: dt.date,
    stream: TextIO,
    show_progress: bool,
    working_days: WorkingDays | None = None,
) -> YearFigures:
    """`year`'s figures (referrals, actions and briefs) beside the year before's, with a progress
    bar on `stream` when asked (a step a part); each year's actions as they stand at its end, or
    `today` for a year not yet over; with `working_days` (the board's count), each review of the
    year where it stands `today`."""

    def as_of(y: int) -> dt.date:
        return min(today, dt.date(y, 12, 31))

    with Progress(PARTS, stream, show_progress, what="parts") as progress:

        def done(part: T) -> T:
            progress.tick()
            return part

        return YearFigures(
            year=done(gather(db, year)),
            actions=done(action_figures(reports.action_groups(db, year), as_of(year))),
            last_year=done(gather(db, year - 1)),
            last_actions=done(action_figures(reports.action_groups(db, year - 1), as_of(year - 1))),
            briefs=done(_briefs(db, year)),
            last_briefs=done(_briefs(db, year - 1)),
            reviews=done(
                None
                if working_days is None
                else tuple(review_rows(db, year_reviews(db, year), today, working_days))
            ),
            events=done(event_figures(db, year)),
            last_events=done(event_figures(db, year - 1)),
            themes=done(tuple(theme_rows(db, year))),
        )


def _briefs(db: Database, year: int) -> BriefFigures:
    return brief_figures(year, briefs.brief_rows(db, year), reports.brief_people(db, year))


def _days(value: float | None) -> str:
    return "none decided" if value is None else f"{value:.1f} days"


def _mean(figures: EventFigures) -> str:
    """The safety scores' mean and range, as the update reads them."""
    mean, spread = figures.safety_mean, figures.safety_range
    if mean is None or spread is None:
        return "no feedback"
    return f"{mean:.1f} (from {spread[0]} to {spread[1]})"


def _rate(value: int | None) -> str:
    return "none sent" if value is None else f"{value}%"


def _review_row(row: ReviewRow) -> dict[str, object]:
    """One review's row as the update shows it (dates in words, the stage as people say it)."""
    st = row.stage

    def day(value: dt.date | str | None) -> str:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                return ""
        return value.strftime("%d %b %Y") if value else ""

    return {
        "ref": st.ref,
        "grade": grade_label(st.grade),
        "decided": day(row.decided),
        "stage": st.label,
        "due": day(st.due),
        "behind": st.behind,
        "dates": [day(row.dates.get(name, "")) for name in PLAN_DATES],
        "asked": st.asked,
        "submitted": st.submitted,
        "late": st.late,
        "overdue": row.overdue_actions,
    }


def render_report(
    figures: AnnualFigures | YearFigures,
    generated: dt.date,
    terms: Mapping[str, str] | None = None,
) -> AnnualReport:
    """The update as Markdown and HTML, naming the framework in `terms` (a matrix profile's; the
    2013 framework's by default); with `YearFigures`, the actions, the briefs and last year
    beside."""
    years = figures if isinstance(figures, YearFigures) else None
    f = years.year if years is not None else figures
    assert isinstance(f, AnnualFigures)
    context = {
        "terms": dict(TERMS_2013 if terms is None else terms),
        "f": f,
        "p": years.last_year if years is not None else None,
        "a": years.actions if years is not None else None,
        "pa": years.last_actions if years is not None else None,
        "b": years.briefs if years is not None else None,
        "pb": years.last_briefs if years is not None else None,
        "by_agency": beside(years.briefs, years.last_briefs) if years is not None else [],
        "reviews": (
            [_review_row(r) for r in years.reviews]
            if years is not None and years.reviews is not None
            else None
        ),
        "ev": years.events if years is not None else None,
        "pev": years.last_events if years is not None else None,
        "themes": years.themes if years is not None else (),
        "mean": _mean,
        "rate": _rate,
        "days": _days,
        "generated": generated.strftime("%d %B %Y"),
    }
    markdown = render("report/annual.md.j2", md=md_escape, **context) + "\n"
    html = render("report/annual.html.j2", chart=bar_chart, **context) + "\n"
    return AnnualReport(f, markdown, html)

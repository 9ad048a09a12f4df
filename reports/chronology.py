"""The multi-agency chronology of a review (SPEC §9, item 11) as documents: HTML and CSV.

Every chronology entry of the submitted individual agency reviews, in one table in date order
(then agency, then the order the agency gave: `storage.agency_reviews.chronology`), each row
with its date, agency and entry as stored (redacted by the one intake). The agencies asked
whose agency review is not in yet are named above the table. `build_chronology(db, ref,
generated)` reads it (`reports.overview.NotReady` as the overview report: no complete plan, or
no agency review in yet); the CSV's cells are made safe for a spreadsheet
(`reports.exports.safe_cell`). The fixed words are `templates/overview/words.j2`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from reports.blocks import Table
from reports.exports import safe_cell
from reports.overview import day_words, read_review, words
from storage.agency_reviews import Entry
from templates import render

CSV_COLUMNS = ("date", "agency", "entry")


@dataclass(frozen=True)
class ChronologyDocument:
    """The rendered chronology, how many entries it holds, and its file names."""

    ref: str
    entries: int
    html: str
    csv: str
    agencies: tuple[str, ...] = ()  # the agencies whose entries it holds, by name
    awaited: tuple[str, ...] = ()  # the agencies asked whose agency review is not in yet

    @property
    def html_name(self) -> str:
        return f"Chronology-{self.ref}.html"

    @property
    def csv_name(self) -> str:
        return f"Chronology-{self.ref}.csv"


def csv_text(entries: Sequence[Entry]) -> str:
    """The chronology as CSV: a header, then one row an entry (ISO dates)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        writer.writerow([safe_cell(v) for v in (e.day.isoformat(), e.agency, e.text)])
    return out.getvalue()


def render_chronology(
    ref: str,
    entries: Sequence[Entry],
    awaited: Sequence[str],
    generated: dt.date,
    terms: Mapping[str, str] | None = None,
) -> ChronologyDocument:
    """Both documents from the entries (in date order) and the agencies still awaited."""
    w = words(terms)
    table = Table(
        str(w.chronology_caption).format(ref=ref),
        (str(w.date_column), str(w.agency_column), str(w.entry_column)),
        tuple((day_words(e.day), e.agency, e.text) for e in entries),
    )
    html = render(
        "overview/chronology.html.j2",
        title=str(w.chronology_title).format(ref=ref),
        intro=str(w.chronology_intro).format(ref=ref, generated=day_words(generated)),
        waiting=str(w.chronology_waiting).format(agencies=", ".join(awaited)) if awaited else "",
        privacy=str(w.privacy),
        block=table,
    )
    agencies = tuple(sorted({e.agency for e in entries}))
    return ChronologyDocument(
        ref, len(entries), html + "\n", csv_text(entries), agencies, tuple(awaited)
    )


def build_chronology(db: Database, ref: str, generated: dt.date) -> ChronologyDocument:
    """The chronology of `ref` as stored now (`NotReady` when no agency review is in yet)."""
    review = read_review(db, ref)
    return render_chronology(
        review.referral.ref, review.chronology, review.awaited, generated, review.terms
    )

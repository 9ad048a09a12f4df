"""The practice themes of a review (SPEC §9, "Themes"; framework item 14, "themes emerging"):
at most `MOST` a review, chosen by the officers from the `THEMES` setting (`DEFAULT_THEMES`
unless given; `read_themes` reads it, for `bot.settings`).

`toggle` adds or removes one theme (a fourth is refused, nothing changed) under the write lock,
with its event; `themes_of(db, ref)` reads a review's themes (for the overview report, the
export and the annual update); `counts_by_year` counts the year's reviews (referrals filed in
it) by theme.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlite_utils import Database

from storage.db import get_or_none, transaction
from storage.events import append_event
from storage.timestamps import to_iso

MOST = 3  # the most themes a review has
MAX_THEME = 60  # the longest theme (its button and the group's notice)

# The practice themes of the `THEMES` setting by default, after the national Panel's reports.
DEFAULT_THEMES: tuple[str, ...] = (
    "information sharing",
    "risk assessment",
    "voice of the child",
    "professional curiosity and challenge",
    "domestic abuse",
    "parental mental health",
    "parental substance misuse",
    "neglect",
    "exploitation and risk outside the home",
    "babies",
    "children with disabilities",
    "race, ethnicity and culture",
    "children missing education",
    "escalation between agencies",
)
THEMES_EVENT = "themes"


def read_themes(value: object, error: type[Exception] = ValueError) -> tuple[str, ...]:
    """The `THEMES` setting's themes: separated by semicolons (a theme may hold a comma), or a
    TOML list; at least one, each once, none over `MAX_THEME` characters (else `error`, its
    message naming the setting)."""
    parts = value if isinstance(value, list | tuple) else str(value).split(";")
    found = tuple(" ".join(str(part).split()) for part in parts if str(part).strip())
    if not found:
        raise error("THEMES must name at least one theme, separated by semicolons")
    if len({theme.casefold() for theme in found}) != len(found):
        raise error("THEMES names a theme twice")
    long = next((theme for theme in found if len(theme) > MAX_THEME), None)
    if long is not None:
        raise error(f"THEMES: a theme is at most {MAX_THEME} characters, got {long!r}")
    return found


class Toggled(enum.StrEnum):
    """What a toggle did."""

    ADDED = "added"
    REMOVED = "removed"
    FULL = "full"  # a fourth theme: refused


def themes_of(db: Database, ref: str) -> list[str]:
    """The themes of a review, in the order chosen."""
    rows = db.table("review_themes").rows_where(
        "ref = ?", (ref,), order_by="chosen_at, rowid", select="theme"
    )
    return [str(row["theme"]) for row in rows]


def toggle(
    db: Database, ref: str, theme: str, officer_id: int, officer_name: str | None, now: dt.datetime
) -> Toggled:
    """Add `theme` to the review, or take it off when it has it; a theme beyond `MOST` is
    refused. One transaction with its event."""
    table = db.table("review_themes")
    with transaction(db):
        if get_or_none(table, (ref, theme)) is not None:
            table.delete((ref, theme))
            outcome = Toggled.REMOVED
        elif table.count_where("ref = ?", (ref,)) >= MOST:
            return Toggled.FULL
        else:
            row = {"ref": ref, "theme": theme, "chosen_by": officer_id, "chosen_at": to_iso(now)}
            table.insert(row)
            outcome = Toggled.ADDED
        append_event(
            db, ref, officer_id, THEMES_EVENT, f"{outcome}: {theme}", now, actor_name=officer_name
        )
    return outcome


def record_done(
    db: Database, ref: str, officer_id: int, officer_name: str | None, now: dt.datetime
) -> list[str]:
    """Record that the officers settled the review's themes (an event); returns them."""
    chosen = themes_of(db, ref)
    with transaction(db):
        detail = "themes settled: " + ("; ".join(chosen) or "none")
        append_event(db, ref, officer_id, THEMES_EVENT, detail, now, actor_name=officer_name)
    return chosen


def counts_by_year(db: Database, year: int) -> dict[str, int]:
    """How many reviews (referrals filed in `year`) have each theme: the themes read first, each
    one's referral by key (never a read of the referrals table)."""
    rows = db.query(
        "SELECT t.theme, count(DISTINCT t.ref) AS n FROM review_themes t"
        " CROSS JOIN referrals r ON r.ref = t.ref WHERE r.year = ? GROUP BY t.theme",
        (year,),
    )
    return {str(row["theme"]): int(row["n"]) for row in rows}


def themes_by_ref(db: Database) -> dict[str, list[str]]:
    """Every review's themes by reference (for the export)."""
    found: dict[str, list[str]] = {}
    for row in db.table("review_themes").rows_where(order_by="ref, chosen_at, rowid"):
        found.setdefault(str(row["ref"]), []).append(str(row["theme"]))
    return found

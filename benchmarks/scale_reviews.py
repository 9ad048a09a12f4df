"""The synthetic reviews of the scale benchmark (`scale.py`): a planned review's plan, its terms
agreed by the chair, and its individual agency reviews, asked, started, written and (most)
submitted with their chronology entries and action points, each through the storage functions
the bot's own use cases call, so every row is as the bot writes it. Synthetic text only.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlite_utils import Database

from storage import agency_reviews, plans, terms

OFFICER = 3001
LEAD_BASE = 50_000  # made-up leads' user ids, one an agency


def plan_answers(agencies: list[str], at: dt.datetime) -> dict[str, Any]:
    """A complete plan's answers for a review planned at `at` (its dates follow from it)."""
    day = at.date()
    return {
        "methodology": "scie",
        "iar_agencies": agencies,
        "family": "no",
        "family_reason": "The family asked not to be involved.",
        "staff": "yes",
        "panel": "na",
        "publication": "short",
        "period": f"{(day - dt.timedelta(days=180)).isoformat()} to {day.isoformat()}",
        "enquiry": ["Why was the worry not shared?", "Was the child seen alone?"],
        "iar_due": (day + dt.timedelta(days=30)).isoformat(),
        "report_due": (day + dt.timedelta(days=90)).isoformat(),
        "publication_date": (day + dt.timedelta(days=180)).isoformat(),
        "author": "Independent reviewer",
    }


def add_review(
    db: Database, rng: random.Random, ref: str, agencies: tuple[str, ...], at: dt.datetime
) -> None:
    """Plan the review of `ref` planned at `at`, agree its terms, and have two or three of
    `agencies` write their agency reviews (each submitted but one in five)."""
    asked = rng.sample(list(agencies), rng.randrange(2, 4))
    answers = plan_answers(asked, at)
    plans.save_plan(db, ref, "done", answers, OFFICER, at)
    chair = 2001
    sent = terms.send(db, ref, (chair,), False, at)
    agreed = at + dt.timedelta(days=2)
    terms.answer(db, ref, sent.version, chair, "Chair", terms.AGREE, "", agreed)
    due = dt.date.fromisoformat(answers["iar_due"])
    agency_reviews.ask(db, ref, asked, due, agreed)
    for n, agency in enumerate(asked):
        lead = LEAD_BASE + agencies.index(agency)
        agency_reviews.mark_asked(db, ref, agency, agreed)
        begun = agreed + dt.timedelta(days=1 + n)
        agency_reviews.start(db, ref, agency, lead, f"Lead of {agency}", "chronology", begun)
        first = at.date() - dt.timedelta(days=rng.randrange(20, 170))
        entries = [
            (first + dt.timedelta(days=10 * k), f"Contact {k + 1}: {agency} saw the family.")
            for k in range(rng.randrange(2, 6))
        ]
        points = [(due + dt.timedelta(days=60), f"{agency} to audit its referrals.")]
        written = {
            "chronology": [f"{d.isoformat()} {t}" for d, t in entries],
            "analysis": f"{agency} shared concerns late.",
            "went_well": "The school noticed early.",
            "lessons": "Share sooner.",
            "action_points": [f"{d.isoformat()} {t}" for d, t in points],
        }
        agency_reviews.save_progress(db, ref, agency, "summary", written, begun)
        if rng.random() < 0.8:
            sent_on = begun + dt.timedelta(days=rng.randrange(5, 40))
            agency_reviews.submit(db, ref, agency, entries, points, sent_on.date(), sent_on)


def sample_reviews(db: Database, count: int) -> list[str]:
    """Up to `count` reviews with an agency review in, spread across the year."""
    rows = db.execute(
        "SELECT DISTINCT ref FROM agency_reviews WHERE submitted_at IS NOT NULL ORDER BY ref"
    ).fetchall()
    return [str(r[0]) for r in rows[:: max(1, len(rows) // count)]][:count]

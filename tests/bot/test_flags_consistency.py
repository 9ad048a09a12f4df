"""Flags never fall behind the grade: over a seeded random database, every referral's stored
flags include those its current grade's row implies (`route_for_grade(facts, grade, matrix).flags`).

Referrals are filed through storage with random facts and their matrix result; some are then
escalated to a random higher grade, by the chair's decision or a later grade change, through
`services.decisions` and `services.grading`, the code path the bot's handlers use.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from filed import file

from matrix import grade, load_matrix, route_for_grade
from services import decisions, grading
from storage import referrals
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CHAIR = 2001


def random_facts(rng: random.Random) -> dict[str, Any]:
    """A random but valid set of facts over the matrix's schema (each fact set or left out)."""
    facts: dict[str, Any] = {}
    for name, spec in load_matrix().facts.items():
        if rng.random() < 0.4:
            continue
        if spec.type == "bool":
            facts[name] = rng.random() < 0.3
        elif spec.type == "set":
            facts[name] = [v for v in spec.values if rng.random() < 0.3]
        else:
            facts[name] = rng.choice(spec.values)
    return facts


def test_every_referral_carries_the_flags_of_its_grade(tmp_path: Path) -> None:
    rng = random.Random(20130)
    db = open_db(tmp_path / "triage.db")
    matrix = load_matrix()
    escalated = 0
    for n in range(300):
        facts = random_facts(rng)
        filed = file(
            db,
            facts,
            NOW + dt.timedelta(minutes=n),
            result=grade(facts, load_matrix()).to_dict(),
            referrer=1000 + n % 7,
            agencies=["Health"],
            description="Synthetic case.",
            board_chat_id=None,
            chair_ids=[CHAIR],
            draft_id=f"draft-{n}",
        )
        higher = matrix.higher_grades(filed.grade)
        if not higher or rng.random() < 0.4:
            continue
        new_grade = rng.choice(higher)
        at = NOW + dt.timedelta(minutes=n, seconds=30)
        if rng.random() < 0.5:
            decisions.decide(
                db,
                filed,
                CHAIR,
                "escalated",
                "more is known",
                new_grade,
                at,
                matrix=matrix,
                board_chat_id=None,
            )
        else:
            grading.escalate(db, filed, CHAIR, new_grade, "more is known", at, matrix=matrix)
        escalated += 1
    assert escalated > 50

    raised_scr = 0
    for referral in referrals.list_referrals(db):
        implied = route_for_grade(referral.facts, referral.grade, load_matrix()).flags
        have = {name for name, on in referral.flags.items() if on}
        assert {name for name, on in implied.items() if on} <= have, referral.ref
        if referral.grade != referral.original_grade and referral.grade == "catastrophic":
            assert referral.flags["scr_required"], referral.ref
            raised_scr += 1
    assert raised_scr > 0
    db.conn.close()

"""Helpers for the storage tests: a fixed clock, synthetic matrix results, and the synthetic
referral they file (through `filed.file`; imported by the tests and by conftest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from filed import file
from sqlite_utils import Database

from storage.referrals import Referral

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

BOARD_CHAT = -1001234
CHAIRS = (7001, 7002)
REFERRER = 5001

# The `file_one` fixture: files a synthetic referral, keyword options as `file_sample`.
Filer = Callable[..., Referral]


def sample_result(grade: str = "severe", urgent: bool = False) -> dict[str, Any]:
    """A synthetic matrix result in the shape of `Result.to_dict()`."""
    return {
        "grade": grade,
        "flags": {
            "scr_required": grade == "catastrophic",
            "scr_unless_no_concerns": False,
            "cdop": False,
            "urgent": urgent,
        },
        "matched": [{"grade": grade, "id": f"{grade}_example", "text": "a quoted criterion"}],
        "review_types": ["multi-agency management overview report"],
        "methodology": ["Welsh model", "SCIE"],
        "reporting": ["local media interest"],
        "matrix_version": "2026.1",
    }


def file_sample(
    db: Database,
    *,
    user_id: int = REFERRER,
    grade: str = "severe",
    urgent: bool = False,
    now: dt.datetime = NOW,
    board_chat_id: int | None = BOARD_CHAT,
) -> Referral:
    """The storage tests' synthetic referral (a made-up result of `grade`) by `user_id`, filed
    by the one test-side filing helper, `filed.file`."""
    return file(
        db,
        {"seriously_harmed": True},
        now,
        result=sample_result(grade, urgent),
        urgent=urgent,
        referrer=user_id,
        description="A synthetic description with [REDACTED] in it.",
        case_reference="CASE-1",
        board_chat_id=board_chat_id,
        chair_ids=CHAIRS,
    )

"""A referral as the rest of the product sees it: the frozen record read from its row, the
reference's format, and what a decision did. Writing lives in `storage.referrals`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storage.db import from_json
from storage.lifecycle import OPEN, UNDECIDED
from storage.timestamps import from_iso, from_iso_or_none


class UnknownReferral(LookupError):
    """No referral has this reference."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"no referral {ref}")
        self.ref = ref


@dataclass(frozen=True, slots=True)
class Referral:
    """A filed referral as stored. `grade` is the current grade (after any escalation),
    `original_grade` the matrix's; `result` is the matrix result as computed at filing, or at
    the last regrade on a newer matrix (`storage.regrades`)."""

    ref: str
    draft_id: str
    year: int
    seq: int
    referrer_id: int
    referrer_agency: str
    facts: Mapping[str, Any]
    result: Mapping[str, Any]
    grade: str
    original_grade: str
    matched: tuple[Mapping[str, Any], ...]
    flags: Mapping[str, bool]
    matrix_version: str
    urgent: bool
    agencies: tuple[str, ...]
    description: str
    case_reference: str | None
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    decided_by: int | None
    decided_at: dt.datetime | None
    decision: str | None
    decision_reason: str | None

    @property
    def is_open(self) -> bool:
        """Whether the board still has work on it (see `storage.lifecycle.OPEN`)."""
        return self.status in OPEN

    @property
    def is_undecided(self) -> bool:
        """Whether the chair has yet to decide."""
        return self.status in UNDECIDED


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    """What `record_decision` did: `recorded` False means someone had already decided, and
    `referral` (its `decided_by`, `decided_at`, `decision`) tells who and when."""

    recorded: bool
    referral: Referral


def from_row(row: dict[str, Any]) -> Referral:
    """A referral as read from its row (JSON columns decoded, timestamps parsed)."""
    return Referral(
        ref=row["ref"],
        draft_id=row["draft_id"],
        year=row["year"],
        seq=row["seq"],
        referrer_id=row["referrer_id"],
        referrer_agency=row["referrer_agency"],
        facts=from_json(row["facts"]),
        result=from_json(row["result"]),
        grade=row["grade"],
        original_grade=row["original_grade"],
        matched=tuple(from_json(row["matched"])),
        flags=from_json(row["flags"]),
        matrix_version=row["matrix_version"],
        urgent=bool(row["urgent"]),
        agencies=tuple(from_json(row["agencies"])),
        description=row["description"],
        case_reference=row["case_reference"],
        status=row["status"],
        created_at=from_iso(row["created_at"]),
        updated_at=from_iso(row["updated_at"]),
        decided_by=row["decided_by"],
        decided_at=from_iso_or_none(row["decided_at"]),
        decision=row["decision"],
        decision_reason=row["decision_reason"],
    )

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
class Clock:
    """A statutory clock of a referral (SPEC §3, Profiles): started on a day, due on a day (the
    caller reckons working days), and closed at a moment with an outcome, or still open."""

    name: str
    label: str
    started_on: dt.date
    due_on: dt.date
    closed_at: dt.datetime | None = None
    outcome: str | None = None

    @property
    def is_open(self) -> bool:
        """Whether the clock still runs."""
        return self.closed_at is None

    def overdue_on(self, day: dt.date) -> bool:
        """Whether the clock is open and past its due date on `day`."""
        return self.is_open and day > self.due_on

    def to_json(self) -> dict[str, str | None]:
        """The stored form (ISO dates and moment)."""
        return {
            "name": self.name,
            "label": self.label,
            "started_on": self.started_on.isoformat(),
            "due_on": self.due_on.isoformat(),
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "outcome": self.outcome,
        }


def clock_from_json(data: Mapping[str, Any]) -> Clock:
    """A clock as stored in `referrals.clocks`."""
    return Clock(
        name=str(data["name"]),
        label=str(data["label"]),
        started_on=dt.date.fromisoformat(str(data["started_on"])),
        due_on=dt.date.fromisoformat(str(data["due_on"])),
        closed_at=from_iso_or_none(data.get("closed_at")),
        outcome=data.get("outcome"),
    )


@dataclass(frozen=True, slots=True)
class Referral:
    """A filed referral as stored. `grade` is the current grade (after any escalation),
    `original_grade` the matrix's; `result` is the matrix result as computed at filing, or at
    the last regrade on a newer matrix (`storage.regrades`). `card_version` counts the changes
    its decision card shows (a trigger bumps it): the card's buttons carry it."""

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
    profile: str = "2013"
    clocks: tuple[Clock, ...] = ()
    card_version: int = 1

    def clock(self, name: str) -> Clock | None:
        """The clock of this name, once started."""
        return next((c for c in self.clocks if c.name == name), None)

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
        profile=row.get("profile") or "2013",
        clocks=tuple(clock_from_json(c) for c in from_json(row.get("clocks") or "[]")),
        card_version=int(row.get("card_version") or 1),
    )

"""Practitioners and the one-time invite codes that register them.

An officer (or `triage-bot invite`) creates a code for an agency; the practitioner redeems it with
`/start CODE`. A code works once and until it expires. Redeeming a new code re-registers an
already registered practitioner to the code's agency. A code made for a lead (`lead=True`)
registers its agency's lead: a practitioner who also gets the agency's actions (`leads_of`).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from storage.db import get_or_none, transaction
from storage.events import append_event
from storage.timestamps import from_iso, from_iso_or_none, to_iso

# No 0/O, 1/I/L: a code read aloud or copied from paper is not mistaken.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


# Failed codes one person may try in a day before every code is refused unread.
MAX_FAILED_INVITES = 5
FAILED_WINDOW = dt.timedelta(days=1)


class InviteError(Exception):
    """An invite code cannot be redeemed. `reason` is "unknown", "used" or "expired" (which the
    person is not told apart, so codes cannot be probed), "too_many" (too many failures in a
    day) or "registered" (they already are, with `agency`: a code never moves anyone)."""

    def __init__(self, reason: str, agency: str = "") -> None:
        super().__init__(f"invite code {reason}")
        self.reason = reason
        self.agency = agency


@dataclass(frozen=True, slots=True)
class Practitioner:
    """A registered practitioner: Telegram user id and agency."""

    user_id: int
    agency: str
    registered_at: dt.datetime
    invite_code: str | None
    lead: bool = False
    briefs_off: bool = False  # they turned learning briefs off (`/briefs off`)


@dataclass(frozen=True, slots=True)
class Invite:
    """A one-time invite code for an agency."""

    code: str
    agency: str
    created_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    used_by: int | None
    used_at: dt.datetime | None
    lead: bool = False


def _invite(row: dict[str, Any]) -> Invite:
    return Invite(
        code=row["code"],
        agency=row["agency"],
        created_by=row["created_by"],
        created_at=from_iso(row["created_at"]),
        expires_at=from_iso(row["expires_at"]),
        used_by=row["used_by"],
        used_at=from_iso_or_none(row["used_at"]),
        lead=bool(row["lead"]),
    )


def normalise_code(code: str) -> str:
    """A code as typed (any case, spaces or hyphens) in its stored form."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def create_invite(
    db: Database,
    agency: str,
    created_by: str | int,
    now: dt.datetime,
    ttl_days: int = 14,
    *,
    lead: bool = False,
) -> str:
    """Create a one-time code for `agency`, valid `ttl_days` days; returns the code.

    `created_by` is the officer's user id, or "cli" for `triage-bot invite`; `lead` makes whoever
    redeems it their agency's lead.
    """
    agency = agency.strip()
    if not agency:
        raise ValueError("an invite needs an agency")
    if ttl_days <= 0:
        raise ValueError(f"an invite must be valid for at least one day, got {ttl_days}")
    invites = db.table("invites")
    with transaction(db):
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if get_or_none(invites, code) is None:
                break
        invite = {
            "code": code,
            "agency": agency,
            "created_by": str(created_by),
            "created_at": to_iso(now),
            "expires_at": to_iso(now + dt.timedelta(days=ttl_days)),
            "lead": int(lead),
        }
        invites.insert(invite)
        detail = f"agency: {agency}" + (", lead" if lead else "")
        append_event(db, None, created_by, "invite_created", detail, now)
    return code


def get_invite(db: Database, code: str) -> Invite | None:
    """An invite by its code (as typed), or None."""
    row = get_or_none(db.table("invites"), normalise_code(code))
    return None if row is None else _invite(row)


def redeem_invite(db: Database, code: str, user_id: int, now: dt.datetime) -> Practitioner:
    """Register `user_id` with the code's agency and use the code up, in one transaction.

    Raises `InviteError` and uses no code when they are registered already, have failed too
    often today, or the code is unknown, used or expired; each failure is an event (without
    the code), counted towards the day's limit.
    """
    code = normalise_code(code)
    with transaction(db):
        existing = get_practitioner(db, user_id)
        if existing is not None:
            raise InviteError("registered", existing.agency)
        reason, failed = _refusal(db, code, user_id, now)
        if reason and failed <= MAX_FAILED_INVITES:  # past the limit, once is on record
            append_event(db, None, user_id, "invite_refused", reason, now)
    if reason:
        raise InviteError(reason)
    with transaction(db):
        invite = get_invite(db, code)
        if invite is None or invite.used_by is not None:  # taken in between
            raise InviteError("used")
        at = to_iso(now)
        db.table("invites").update(code, {"used_by": user_id, "used_at": at})
        registration = {
            "user_id": user_id,
            "agency": invite.agency,
            "registered_at": at,
            "invite_code": code,
            "lead": int(invite.lead),
        }
        db.table("practitioners").upsert(registration, pk="user_id")
        detail = f"agency: {invite.agency}" + (", lead" if invite.lead else "")
        append_event(db, None, user_id, "registered", detail, now)
    return Practitioner(user_id, invite.agency, from_iso(at), code, invite.lead)


def _refusal(db: Database, code: str, user_id: int, now: dt.datetime) -> tuple[str, int]:
    """Why the code cannot be redeemed by this person now ("" when it can), and how many
    failures they have had in the last day."""
    since = to_iso(now - FAILED_WINDOW)
    count = db.table("events").count_where(
        "actor = ? AND action = 'invite_refused' AND at > ?", (str(user_id), since)
    )
    if count >= MAX_FAILED_INVITES:
        return "too_many", count
    invite = get_invite(db, code)
    if invite is None:
        return "unknown", count
    if invite.used_by is not None:
        return "used", count
    return ("expired" if now >= invite.expires_at else ""), count


def get_practitioner(db: Database, user_id: int) -> Practitioner | None:
    """The registered practitioner with this Telegram user id, or None."""
    row = get_or_none(db.table("practitioners"), user_id)
    if row is None:
        return None
    return Practitioner(
        user_id=row["user_id"],
        agency=row["agency"],
        registered_at=from_iso(row["registered_at"]),
        invite_code=row["invite_code"],
        lead=bool(row["lead"]),
        briefs_off=bool(row["briefs_off"]),
    )


def leads_of(db: Database, agency: str) -> list[int]:
    """The user ids of the registered leads of `agency` (any case)."""
    rows = db.table("practitioners").rows_where(
        "lead = 1 AND agency = ? COLLATE NOCASE", (agency,), order_by="user_id", select="user_id"
    )
    return [int(row["user_id"]) for row in rows]

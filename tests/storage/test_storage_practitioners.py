"""Invite codes: one use, an expiry, unknown codes refused, failures counted and limited; a
code never moves a registered practitioner to another agency."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlite_utils import Database
from storage_helpers import NOW

from storage.events import events_by
from storage.practitioners import (
    ALPHABET,
    CODE_LENGTH,
    MAX_FAILED_INVITES,
    InviteError,
    create_invite,
    get_invite,
    get_practitioner,
    redeem_invite,
)


def test_codes_are_short_unambiguous_and_distinct(db: Database) -> None:
    codes = {create_invite(db, "Health", "cli", NOW) for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == CODE_LENGTH
        assert set(code) <= set(ALPHABET)
    assert not set("0O1lI") & set(ALPHABET)


def test_an_invite_registers_a_practitioner_once(db: Database) -> None:
    code = create_invite(db, "Education", 9001, NOW, ttl_days=3)
    invite = get_invite(db, code)
    assert invite is not None
    assert (invite.agency, invite.created_by, invite.expires_at) == (
        "Education",
        "9001",
        NOW + dt.timedelta(days=3),
    )
    assert get_practitioner(db, 5001) is None
    later = NOW + dt.timedelta(hours=1)
    practitioner = redeem_invite(db, f" {code.lower()} ", 5001, later)
    assert (practitioner.user_id, practitioner.agency, practitioner.registered_at) == (
        5001,
        "Education",
        later,
    )
    assert get_practitioner(db, 5001) == practitioner
    used = get_invite(db, code)
    assert used is not None and (used.used_by, used.used_at) == (5001, later)
    assert [e.action for e in events_by(db, 5001)] == ["registered"]


def test_a_used_code_is_refused(db: Database) -> None:
    code = create_invite(db, "Health", "cli", NOW)
    redeem_invite(db, code, 5001, NOW)
    with pytest.raises(InviteError) as caught:
        redeem_invite(db, code, 5002, NOW)
    assert caught.value.reason == "used"
    assert get_practitioner(db, 5002) is None


def test_an_unknown_code_is_refused(db: Database) -> None:
    with pytest.raises(InviteError) as caught:
        redeem_invite(db, "ZZZZ9999", 5001, NOW)
    assert caught.value.reason == "unknown"
    assert get_practitioner(db, 5001) is None


def test_an_expired_code_is_refused_and_stays_unused(db: Database) -> None:
    code = create_invite(db, "Police", "cli", NOW, ttl_days=14)
    with pytest.raises(InviteError) as caught:
        redeem_invite(db, code, 5001, NOW + dt.timedelta(days=14))
    assert caught.value.reason == "expired"
    invite = get_invite(db, code)
    assert invite is not None and invite.used_by is None
    assert db.table("practitioners").count == 0
    # a moment before expiry it still works
    assert redeem_invite(db, code, 5001, NOW + dt.timedelta(days=14, seconds=-1)).agency == (
        "Police"
    )


def test_a_second_code_never_moves_a_registered_practitioner(db: Database) -> None:
    first = redeem_invite(db, create_invite(db, "Health", "cli", NOW), 5001, NOW)
    later = NOW + dt.timedelta(days=30)
    other = create_invite(db, "Probation", "cli", later)
    with pytest.raises(InviteError) as caught:
        redeem_invite(db, other, 5001, later)
    assert (caught.value.reason, caught.value.agency) == ("registered", "Health")
    assert get_practitioner(db, 5001) == first
    unused = get_invite(db, other)
    assert unused is not None and unused.used_by is None  # still there for its real owner


def test_failures_are_recorded_and_limited_to_five_a_day(db: Database) -> None:
    good = create_invite(db, "Health", "cli", NOW)
    for n in range(MAX_FAILED_INVITES):
        with pytest.raises(InviteError):
            redeem_invite(db, f"WRONG{n:03d}", 5001, NOW + dt.timedelta(minutes=n))
    soon = NOW + dt.timedelta(hours=1)
    with pytest.raises(InviteError) as caught:
        redeem_invite(db, good, 5001, soon)  # even a good code, until the day has passed
    assert caught.value.reason == "too_many"
    for _ in range(50):  # a flood past the limit is on record once, not fifty times
        with pytest.raises(InviteError):
            redeem_invite(db, good, 5001, soon)
    assert get_practitioner(db, 5001) is None
    refused = events_by(db, 5001, "invite_refused")
    assert [e.detail for e in refused] == ["unknown"] * MAX_FAILED_INVITES + ["too_many"]
    assert not any("WRONG" in e.detail for e in refused)  # the codes tried are not kept
    tomorrow = NOW + dt.timedelta(days=1, hours=2)
    assert redeem_invite(db, good, 5001, tomorrow).agency == "Health"
    assert redeem_invite(db, create_invite(db, "Health", "cli", NOW), 5002, soon).user_id == 5002


def test_an_invite_needs_an_agency_and_a_positive_lifetime(db: Database) -> None:
    with pytest.raises(ValueError, match="agency"):
        create_invite(db, "  ", "cli", NOW)
    with pytest.raises(ValueError, match="at least one day"):
        create_invite(db, "Health", "cli", NOW, ttl_days=0)

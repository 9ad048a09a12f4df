"""The flags follow the grade (SPEC §3): whenever a person changes a referral's grade, the new
grade's flags are read from the matrix here and stored with the change, in one transaction.

Storage may not read the matrix, so every grade change the bot makes reads its flags here:
`services.decisions.decide` (the chair's decision, an escalation included) and `escalate` (a
grade raised later). `matrix_for` is the matrix a referral was graded under (its profile), the one
its flags, route and words are read from.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from matrix import Matrix, route_for_grade
from matrix.engine import PROFILES, profile_matrix
from storage import referrals
from storage.referrals import Referral


def matrix_for(referral: Referral, configured: Matrix) -> Matrix:
    """The matrix of the profile `referral` was graded under: the configured one when it is that
    profile, else the packaged profile of that name (the configured one for a profile that is
    not packaged: a board's own file)."""
    if configured.profile == referral.profile:
        return configured
    if referral.profile in PROFILES:
        return profile_matrix(referral.profile)
    return configured


def flags_for_grade(referral: Referral, grade: str, matrix: Matrix) -> dict[str, bool]:
    """The flags `referral` has at `grade`: those it has now, plus those its facts and the
    grade's own row of `matrix` imply (an escalation to catastrophic sets `scr_required`)."""
    route = route_for_grade(referral.facts, grade, matrix)
    names = dict.fromkeys([*route.flags, *referral.flags])
    return {
        name: bool(referral.flags.get(name, False)) or bool(route.flags.get(name, False))
        for name in names
    }


def escalate(
    db: Database,
    referral: Referral,
    actor: str | int,
    new_grade: str,
    reason: str,
    now: dt.datetime,
    *,
    matrix: Matrix,
    actor_name: str | None = None,
) -> Referral:
    """Raise the grade with a reason (see `storage.referrals.escalate_grade`) and set the new
    grade's flags (read from `matrix`, the configured profile's) in the same transaction."""
    return referrals.escalate_grade(
        db,
        referral.ref,
        actor,
        new_grade,
        reason,
        now,
        flags=flags_for_grade(referral, new_grade, matrix_for(referral, matrix)),
        actor_name=actor_name,
    )

"""The safeguarding partners' joint decision as people read it (Working Together 2023, SPEC §3).

Where each partner stands on a referral (for the card on all three chats, and for the notice that
they differ), whether they agree, and the one reason of a joint No review. Partners are named by
their role and their lead's first name from Telegram, never by id. No `telegram` import.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Services
from storage import joint, referrals
from storage.joint import Press
from templates import labels

DIFFER = "partners_differ"  # the reminder kind of partners whose presses differ


@dataclass(frozen=True)
class Standing:
    """One partner's line on the card: who, and what they pressed ("" for not yet)."""

    partner: str
    name: str
    outcome: str
    reason: str


def partner_label(partner: str) -> str:
    """The partner in words ("Local authority")."""
    return labels.phrase(f"partner_{partner}")


def standings(s: Services, ref: str) -> list[Standing] | None:
    """Each partner's standing on `ref` (their presses on the referral as it now is), in
    PARTNERS order; None when the decision is not joint."""
    if not s.settings.joint:
        return None
    referral = referrals.get_referral(s.db, ref)
    pressed = joint.presses(s.db, ref, referral.card_version if referral else None)
    out = []
    for partner, _ in s.settings.partner_user_ids:
        press = pressed.get(partner)
        out.append(
            Standing(
                partner_label(partner),
                (press.name or "") if press else "",
                labels.decision_label(press.outcome) if press else "",
                press.reason if press else "",
            )
        )
    return out


def agreed(s: Services, pressed: dict[str, Press]) -> str | None:
    """The outcome all three partners have pressed, or None while one has not or they differ."""
    outcomes = {pressed[p].outcome for p, _ in s.settings.partner_user_ids if p in pressed}
    if len(pressed) < len(s.settings.partner_user_ids) or len(outcomes) != 1:
        return None
    return outcomes.pop()


def differ(pressed: dict[str, Press]) -> bool:
    """Whether two partners' standing presses differ."""
    return len({press.outcome for press in pressed.values()}) > 1


def joint_reason(s: Services, pressed: dict[str, Press]) -> str:
    """A joint No review's reason: each partner's own, labelled by partner, in PARTNERS order
    ("Local authority: …; Integrated care board: …; Police: …")."""
    return "; ".join(
        f"{partner_label(p)}: {pressed[p].reason}"
        for p, _ in s.settings.partner_user_ids
        if p in pressed and pressed[p].reason
    )

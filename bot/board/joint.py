"""The safeguarding partners' presses on the decision card (Working Together 2023, SPEC §3).

Under `MATRIX=wt2023` each partner's lead (`PARTNER_USER_IDS`) gets the card; Approve and No
review are presses, one standing press per partner (the latest counts). The decision stands only
when all three have pressed the same outcome on the referral as it now is (a press made on a
card of before a change, an answer or a regrade, stands no more): the caller
(`bot.board.chair`) then decides through `services.decisions.decide`, with, for a No review,
the three reasons joined, each labelled by its partner.
Partners whose presses differ are told so, with the board group, once, when the disagreement
begins (a notice titled as a disagreement; not again on each press while it stands), and daily by
`bot.delivery.reminders` until they agree. An escalation or a question by one partner is not a
press: it takes effect at once, as a chair's does.
"""

from __future__ import annotations

import logging

from bot.context import Context, services
from bot.delivery import partners, sender
from storage import joint
from storage.outbox import OutboxItem, OutboxKind
from storage.referrals import Referral
from templates import render

log = logging.getLogger(__name__)


async def press(
    context: Context,
    user_id: int,
    referral: Referral,
    outcome: str,
    reason: str,
    name: str | None,
) -> tuple[str, str] | None:
    """Record `user_id`'s press; returns (outcome, reason) to decide when all three now agree,
    else None (the presser is told who is still to press, or everyone that they differ)."""
    s = services(context)
    partner = s.settings.partner_of(user_id)
    assert partner is not None, "only a partner's press is recorded"
    version = referral.card_version  # the press counts for the referral as the card showed it
    notice = differ_notice(context, referral)
    joint.record_press(
        s.db,
        referral.ref,
        partner,
        user_id,
        outcome,
        reason,
        s.clock(),
        name=name,
        version=version,
        on_differ=notice,
    )
    sender.kick(context)
    pressed = joint.presses(s.db, referral.ref, version)
    agreed = partners.agreed(s, pressed)
    if agreed is not None:
        reason = partners.joint_reason(s, pressed) if agreed == "declined" else ""
        return agreed, reason
    if partners.differ(pressed):
        log.info("partners differ on %s", referral.ref)
    waiting = [
        partners.partner_label(p) for p, _ in s.settings.partner_user_ids if p not in pressed
    ]
    text = render("bot/chair/pressed.j2", ref=referral.ref, outcome=outcome, waiting=waiting)
    await context.bot.send_message(user_id, text)
    return None


def differ_notice(context: Context, referral: Referral) -> list[OutboxItem]:
    """The notice that the partners differ (titled as a disagreement, not a reminder), to the
    three partners and the board group; queued by the press that begins the disagreement."""
    s = services(context)
    chats = list(s.settings.decider_ids)
    if s.settings.board_chat_id is not None:
        chats.append(s.settings.board_chat_id)
    payload = {"ref": referral.ref, "reminder": partners.DIFFER, "first": True}
    return [OutboxItem(OutboxKind.REMINDER, chat, payload) for chat in chats]

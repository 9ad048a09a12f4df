"""Urgent first, even after an outage: a routine notice that has waited longer never overtakes."""

from __future__ import annotations

import datetime as dt

from flows import database
from harness import BOARD, CHAIR, PRACTITIONER, Running

from bot.settings import Settings
from localapi import LocalBotAPI
from matrix.engine import grade
from storage import referrals


def file(settings: Settings, draft: str, facts: dict[str, object]) -> str:
    """File a referral straight into storage, as the bot's Submit does; its reference."""
    with database(settings) as db:
        referral, _ = referrals.file_referral(
            db,
            draft_id=draft,
            referrer_id=PRACTITIONER,
            referrer_agency="Health",
            facts=facts,
            result=grade(facts).to_dict(),
            urgent=bool(facts.get("immediate_risk")),
            agencies=["Health"],
            description="Synthetic case for the outbox order test.",
            case_reference=None,
            board_chat_id=BOARD,
            chair_ids=[CHAIR],
            now=dt.datetime.now(dt.UTC),
        )
    return referral.ref


async def test_an_urgent_notice_overtakes_a_routine_one_held_up_by_an_outage(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    api.fail_for("sendMessage", 3.0, 500, chat_id=BOARD)
    routine = file(settings, "routine-draft", {"injury": "minor"})

    def failed_to_board() -> int:
        return sum(1 for c in api.calls("sendMessage", chat_id=BOARD) if not c.ok)

    await api.wait_for(lambda: failed_to_board() >= 2, 10.0, what="two failed board sends")
    urgent = file(settings, "urgent-draft", {"immediate_risk": True, "injury": "minor"})
    await api.wait_for_message(BOARD, urgent, since=0, timeout=20.0)
    await api.wait_for_message(BOARD, routine, since=0, timeout=20.0)

    delivered = [c for c in api.calls("sendMessage", chat_id=BOARD) if c.ok]
    order = [
        next(r for r in (urgent, routine) if r in str(c.params.get("text"))) for c in delivered
    ]
    assert order == [urgent, routine]
    assert str(delivered[0].params.get("text")).startswith("URGENT")

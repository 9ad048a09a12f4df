"""End to end over HTTP: a practitioner files a catastrophic referral and the chair approves."""

from __future__ import annotations

import re

from flows import invite, walk_to_summary
from harness import BOARD, CHAIR, PRACTITIONER, Person, Running

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import events, referrals
from storage.db import open_db


async def test_practitioner_files_and_chair_approves(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    code = invite(settings)
    registered = await pat.say(f"/start {code}", expect="no names")
    assert "registered for" in " ".join(pat.texts()).lower()
    assert registered.buttons[0].text == "I understand"

    await walk_to_summary(pat)
    summary = pat.last().reads
    assert "Catastrophic" in summary
    assert "Serious Case Review" in summary
    assert "Child Death Overview Panel" in summary or "CDOP" in summary
    assert [b.text for b in pat.last().buttons] == [
        "Submit to the board",
        "Change an answer",
        "Cancel",
    ]
    removed = " ".join(pat.texts())
    assert "NHS number" in removed and "phone number" in removed

    receipt = await pat.press("Submit to the board", expect="received")
    ref_match = re.search(r"LIR-\d{4}-\d{4}", receipt.reads)
    assert ref_match, receipt.text
    ref = ref_match[0]

    notice = await api.wait_for_message(BOARD, ref, since=0)
    assert "Catastrophic" in notice.reads
    assert "Health" in notice.reads and "Police" in notice.reads
    assert "Pat" not in notice.reads  # nothing of the practitioner beyond agency

    card = await api.wait_for_message(CHAIR, ref, since=0)
    assert [b.text for b in card.buttons] == [
        "Approve",
        "Escalate grade",
        "Ask for information",
        "No review",
    ]
    assert "943 476 5919" not in card.reads and "[REDACTED]" in card.reads

    answer = await chair.press_on(card.message_id, "Approve")
    assert "Approved" in answer
    told = await api.wait_for_message(PRACTITIONER, "Review approved", since=0)
    assert ref in told.reads
    group_told = await api.wait_for_message(BOARD, "Review approved", since=0)
    assert ref in group_told.reads
    decided = api.message(CHAIR, card.message_id)
    assert decided is not None and decided.buttons == []
    assert "Review approved" in decided.reads

    db = open_db(settings.db_path)
    referral = referrals.require_referral(db, ref)
    assert referral.status == "approved" and referral.decided_by == CHAIR
    assert referral.grade == "catastrophic" and referral.flags["scr_required"]
    assert "943 476 5919" not in referral.description
    assert [e.action for e in events.events_for(db, ref)] == ["filed", "decision"]
    db.conn.close()

"""Under `MATRIX=wt2023` a person reads the 2023 framework's words, not the 2013 ones: the
practitioner's receipt names the three safeguarding partners as who decides, and a partner's
No review warning quotes the profile's own flags (an LCSPR, the rapid review), never a Serious
Case Review, the LSCB or the independent chair. Under 2013 the same texts keep the chair."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from flows import cards, file_catastrophic, first_message
from harness import CHAIR, PARTNERS, POLICE_LEAD, Person, Running, make_settings

from bot.settings import Settings
from localapi import LocalBotAPI

OLD_WORDS = (
    "independent chair",
    "LSCB",
    "Serious Case Review",
    "SCR",
    "Safeguarding Children Board",
)


@pytest.fixture
def wt_settings(api: LocalBotAPI, tmp_path: Path) -> Settings:
    return make_settings(api, tmp_path, MATRIX="wt2023", PARTNER_USER_IDS=PARTNERS)


@pytest.fixture
async def jointly(wt_settings: Settings) -> AsyncIterator[Running]:
    bot = Running(wt_settings)
    await bot.start()
    yield bot
    await bot.stop()


async def test_the_receipt_and_the_no_review_warning_speak_of_the_partners(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings
) -> None:
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, wt_settings)
    receipt = await first_message(api, pat.chat_id, f"Referral {ref} received")
    assert "The three safeguarding partners will decide whether and how it is reviewed" in (
        receipt.reads
    )
    _, card = await cards(api, ref, POLICE_LEAD)
    police = Person(api, POLICE_LEAD)
    await police.press_on(card.message_id, "No review")
    asked = await api.wait_for_message(POLICE_LEAD, "Why should", since=0)
    assert "A statutory flag is set" in asked.reads
    assert "local child safeguarding practice review (LCSPR)" in asked.reads
    for text in (receipt.reads, asked.reads):
        for old in OLD_WORDS:
            assert old not in text, (old, text)


async def test_under_2013_the_receipt_and_warning_keep_the_chair(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, settings)
    receipt = await first_message(api, pat.chat_id, f"Referral {ref} received")
    assert "The independent chair will decide whether and how it is reviewed" in receipt.reads
    _, card = await cards(api, ref, CHAIR)
    await Person(api, CHAIR).press_on(card.message_id, "No review")
    asked = await api.wait_for_message(CHAIR, "Why should", since=0)
    assert "A Serious Case Review must be commissioned" in asked.reads

"""Under `MATRIX=wt2023` a person reads the 2023 framework's words, not the 2013 ones: the
practitioner's receipt names the three safeguarding partners as who decides, and a partner's
No review warning quotes the profile's own flags (an LCSPR, the rapid review), never a Serious
Case Review, the LSCB or the independent chair. Under 2013 the same texts keep the chair."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from flows import cards, file_catastrophic, first_message
from harness import BOARD, CHAIR, OFFICER, POLICE_LEAD, Person, Running

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
async def jointly(wt_settings: Settings) -> AsyncIterator[Running]:
    """The bot under wt2023, polling."""
    bot = Running(wt_settings)
    await bot.start()
    yield bot
    await bot.stop()


async def receipt_and_warning(api: LocalBotAPI, settings: Settings, decider: int) -> list[str]:
    """The practitioner's receipt of a catastrophic referral, and the warning `decider` reads
    on pressing No review on its card."""
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, settings)
    receipt = await first_message(api, pat.chat_id, f"Referral {ref} received")
    _, card = await cards(api, ref, decider)
    await Person(api, decider).press_on(card.message_id, "No review")
    asked = await api.wait_for_message(decider, "Why should", since=0)
    return [receipt.reads, asked.reads]


async def test_the_receipt_and_the_no_review_warning_speak_of_the_partners(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings
) -> None:
    receipt, asked = await receipt_and_warning(api, wt_settings, POLICE_LEAD)
    assert "The three safeguarding partners will decide whether and how it is reviewed" in receipt
    assert "A statutory flag is set" in asked
    assert "local child safeguarding practice review (LCSPR)" in asked
    for text in (receipt, asked):
        for old in OLD_WORDS:
            assert old not in text, (old, text)


async def test_under_2013_the_receipt_and_warning_keep_the_chair(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    receipt, asked = await receipt_and_warning(api, settings, CHAIR)
    assert "The independent chair will decide whether and how it is reviewed" in receipt
    assert "A Serious Case Review must be commissioned" in asked


async def board_and_practitioner_texts(api: LocalBotAPI, settings: Settings) -> list[str]:
    """What the practitioner and the board group read of a filed referral before it is
    decided: /help, the check's summary, the board's /help, /case, /queue, a refused /status."""
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, settings)
    board = Person(api, OFFICER, BOARD)
    texts = [
        (await pat.say("/help", expect="How this works")).reads,
        next(t for t in pat.texts() if "matrix says" in t),
        (await board.say("/help", expect="I post every new referral")).reads,
        (await board.say(f"/case {ref}", expect="Event log")).reads,
        (await board.say("/queue", expect=ref)).reads,
        (await board.say(f"/status {ref} approved", expect="whether")).reads,
    ]
    return texts


async def test_what_the_practitioner_and_board_read_names_the_partners(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings
) -> None:
    texts = await board_and_practitioner_texts(api, wt_settings)
    # (the board's /help still names the chair who approves learning briefs, which stays)
    joined = "\n".join(texts[:2] + texts[3:])
    assert "referred to the local safeguarding partners for a learning review" in texts[0]
    assert "the safeguarding partners' matrix says" in texts[1]
    assert "LCSPR expected" in texts[1]
    assert "each joint decision of the three safeguarding partners" in texts[2]
    assert "awaiting the safeguarding partners" in texts[3] and "awaiting the" in texts[4]
    assert "Only the three safeguarding partners, jointly, decide whether" in texts[5]
    for old in (*OLD_WORDS, "the chair", "Board's"):
        assert old not in joined, old


async def test_under_2013_the_board_and_practitioner_keep_the_2013_words(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    texts = await board_and_practitioner_texts(api, settings)
    assert "referred to the Safeguarding Children Board for a learning review" in texts[0]
    assert "the Board's matrix says" in texts[1] and "Serious Case Review required" in texts[1]
    assert "each decision of the chair" in texts[2]
    assert "awaiting the chair" in texts[3] and "awaiting the chair" in texts[4]
    assert "Only the chair decides whether" in texts[5]

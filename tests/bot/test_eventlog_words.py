"""The event log (`/case`) says a stored detail in the words of the referral's own profile
(SPEC §3, Profiles): under wt2023 a move out of awaiting a decision awaits the safeguarding
partners, and a flag reads as the 2023 framework's; under 2013 the same detail keeps the
chair and the Serious Case Review."""

from __future__ import annotations

from bot.board.eventlog import detail_words

DETAIL = "awaiting_chair -> approved; flags none -> scr_required, notifiable"


def test_a_wt2023_referral_s_log_speaks_of_the_partners() -> None:
    words = detail_words(DETAIL, "wt2023")
    assert "awaiting the safeguarding partners → approved" in words
    assert "LCSPR expected" in words and "Serious child safeguarding case" in words
    assert "chair" not in words and "Serious Case Review" not in words


def test_a_2013_referral_s_log_keeps_the_chair() -> None:
    words = detail_words(DETAIL, "2013")
    assert "awaiting the chair → approved" in words
    assert "safeguarding partners" not in words
    assert words != detail_words(DETAIL, "wt2023")

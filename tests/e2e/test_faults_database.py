"""The database locked by another connection, or read-only: the practitioner is told, and
nothing is lost or filed twice once it takes writes again. The bot runs as a subprocess."""

from __future__ import annotations

from botproc import (
    BOARD,
    CHAIR,
    PRACTITIONER,
    BotProcess,
    Person,
    delivered,
    lock_for,
    read_only,
    referral_refs,
    register,
    settle,
    wait_delivered,
    walk_to_summary,
)

from bot.localapi import ThreadedLocalBotAPI

SUBMIT = "Submit to the board"
SAVE_FAILED = "could not be saved just now"


def each_delivered_once(api: ThreadedLocalBotAPI, ref: str) -> None:
    """The board notice, the chair's card and the receipt each arrive exactly once."""
    for chat in (BOARD, CHAIR, PRACTITIONER):
        wait_delivered(api, chat, ref)
    settle()
    assert [len(delivered(api, chat, ref)) for chat in (BOARD, CHAIR, PRACTITIONER)] == [1] * 3


def test_a_locked_database_is_waited_for_or_the_practitioner_told_and_nothing_lost(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """Another connection holds BEGIN EXCLUSIVE. Held longer than the bot's busy timeout
    (5 s), filing fails and the practitioner is told it could not be saved and to try again;
    nothing is filed. Held for less, the bot simply waits: the next press files the referral
    late but once, and every notification goes once."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    long_lock = lock_for(bot.db_path, 5.8)
    told = pat.press(SUBMIT, expect=SAVE_FAILED, timeout=10)
    assert "Nothing you had already answered was lost" in (told.text or "")
    long_lock.join()
    assert referral_refs(bot.db_path) == []

    short_lock = lock_for(bot.db_path, 2.0)
    told = pat.press(SUBMIT, expect="LIR-", timeout=10)
    short_lock.join()
    [ref] = referral_refs(bot.db_path)
    assert ref in (told.text or "")
    each_delivered_once(api, ref)
    assert "database is locked" in bot.log()


def test_a_read_only_database_the_practitioner_is_told_and_nothing_is_lost(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """The bot is restarted over a database file it cannot write. It still starts and reads;
    the practitioner's Submit is answered with "could not be saved, try again" rather than
    silence, and the draft is intact. Writable again (and restarted), the same press files
    the referral once and every notification goes once."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    bot.stop()
    with read_only(bot.db_path):
        bot.start()
        told = pat.press(SUBMIT, expect=SAVE_FAILED, timeout=10)
        assert "try that again" in (told.text or "")
        assert referral_refs(bot.db_path) == []
        bot.stop()
    bot.start()
    told = pat.press(SUBMIT, expect="LIR-")
    [ref] = referral_refs(bot.db_path)
    assert ref in (told.text or "")
    each_delivered_once(api, ref)
    assert "readonly database" in bot.log()

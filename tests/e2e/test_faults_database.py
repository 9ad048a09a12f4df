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
    faults_taken,
    lock_for,
    outbox_rows,
    read_only,
    referral_refs,
    register,
    settle,
    wait_delivered,
    wait_until,
    walk_to_summary,
)

from localapi import ThreadedLocalBotAPI

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
    assert "Nothing you had already answered was lost" in told.reads
    long_lock.join()
    assert referral_refs(bot.db_path) == []

    short_lock = lock_for(bot.db_path, 2.0)
    told = pat.press(SUBMIT, expect="LIR-", timeout=10, edited=True)
    short_lock.join()
    [ref] = referral_refs(bot.db_path)
    assert ref in told.reads
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
        assert "try that again" in told.reads
        assert referral_refs(bot.db_path) == []
        bot.stop()
    bot.start()
    told = pat.press(SUBMIT, expect="LIR-", edited=True)
    [ref] = referral_refs(bot.db_path)
    assert ref in told.reads
    each_delivered_once(api, ref)
    assert "readonly database" in bot.log()


def test_a_send_the_database_cannot_record_is_remembered_not_repeated(
    api: ThreadedLocalBotAPI, bot: BotProcess, pat: Person
) -> None:
    """The board notice's request is held by the server while another connection takes the
    write lock for longer than the busy timeout: the notice goes out but cannot be marked
    sent. The dispatcher keeps it in memory and records it once the lock is gone, so the
    board sees it once; the chair's card and the receipt follow, once each."""
    register(pat, bot.db_path)
    walk_to_summary(pat, bot.db_path)
    api.delay("sendMessage", 1.0, chat_id=BOARD)
    api.press_button(PRACTITIONER, PRACTITIONER, SUBMIT)
    wait_until(lambda: faults_taken(api), 10, "the board notice's request to reach the server")
    lock = lock_for(bot.db_path, 7.0)  # past the send (1 s) and the busy timeout (5 s)
    [ref] = referral_refs(bot.db_path)
    lock.join()
    each_delivered_once(api, ref)
    assert [r.status for r in outbox_rows(bot.db_path, ref)] == ["sent"] * 3
    assert "delivery recorded late" in bot.log()

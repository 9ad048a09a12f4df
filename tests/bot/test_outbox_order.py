"""Urgent first, even after an outage: a routine notice that has waited longer never overtakes;
a referral filed during a learning brief's broadcast is not queued behind the briefs; and after
flood control's pause a broadcast sends nothing until the wait is over, then takes up the rate
limiter's burst several briefs at once (`bot.delivery.flight`)."""

from __future__ import annotations

import datetime as dt

from flows import REF, database, register, walk_to_summary
from harness import BOARD, CHAIR, OFFICER, Person, Running
from officers_support import CATASTROPHIC, decide, file

from bot.delivery.flight import WINDOW
from bot.settings import Settings
from dialogs.brief import BriefDialog
from localapi import LocalBotAPI
from storage import briefs, practitioners
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue

RECIPIENTS = range(7000, 7040)  # practitioners a brief goes to


def file_now(settings: Settings, draft: str, facts: dict[str, object]) -> str:
    """File a referral straight into storage now, as the bot's Submit does; its reference."""
    referral = file(
        settings.db_path,
        facts,
        dt.datetime.now(dt.UTC),
        urgent=bool(facts.get("immediate_risk")),
        agencies=["Health"],
        description="Synthetic case for the outbox order test.",
        draft_id=draft,
    )
    return referral.ref


async def test_an_urgent_notice_overtakes_a_routine_one_held_up_by_an_outage(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    api.fail_for("sendMessage", 3.0, 500, chat_id=BOARD)
    routine = file_now(settings, "routine-draft", {"injury": "minor"})

    def failed_to_board() -> int:
        return sum(1 for c in api.calls("sendMessage", chat_id=BOARD) if not c.ok)

    await api.wait_for(lambda: failed_to_board() >= 2, 10.0, what="two failed board sends")
    urgent = file_now(settings, "urgent-draft", {"immediate_risk": True, "injury": "minor"})
    await api.wait_for_message(BOARD, urgent, since=0, timeout=20.0)
    await api.wait_for_message(BOARD, routine, since=0, timeout=20.0)

    delivered = [c for c in api.calls("sendMessage", chat_id=BOARD) if c.ok]
    order = [
        next(r for r in (urgent, routine) if r in str(c.params.get("text"))) for c in delivered
    ]
    assert order == [urgent, routine]
    assert str(delivered[0].params.get("text")).startswith("URGENT")


def brief_awaiting_the_chair(settings: Settings, api: LocalBotAPI) -> None:
    """A decided referral whose brief to every practitioner awaits the chair, and its card."""
    now = dt.datetime.now(dt.UTC)
    ref = file(settings.db_path, CATASTROPHIC, now - dt.timedelta(days=2)).ref
    decide(settings.db_path, ref, now)
    session = BriefDialog().start(ref)
    while not session.answer("Agencies did not share what each of them knew.").complete:
        pass
    with database(settings) as db:
        for user_id in RECIPIENTS:
            api.add_user(user_id, f"Practitioner {user_id}")
            code = practitioners.create_invite(db, "Health", "test", now)
            practitioners.redeem_invite(db, code, user_id, now)
        briefs.start_brief(db, ref, session.state, (), OFFICER, now)
        briefs.save_sections(db, ref, session.state, session.answers, True, now)
        enqueue(db, ref, OutboxKind.BRIEF_CARD, CHAIR, {}, PRIORITY_NORMAL, now)


async def test_a_referral_filed_during_a_broadcast_goes_after_the_brief_in_hand(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, chair: Person
) -> None:
    await register(pat, settings)
    await walk_to_summary(pat)
    brief_awaiting_the_chair(settings, api)
    await api.wait_for_message(CHAIR, "brief to approve", since=0, timeout=10)
    for chat in RECIPIENTS:  # each brief takes a while: a batch, seconds
        api.delay("sendMessage", 0.2, chat_id=chat)

    def documents(since: int = 0) -> list[int]:
        """The briefs delivered (a brief is one message, `Read it` on it)."""
        calls = api.calls("sendMessage", since=since)
        return [c.seq for c in calls if c.ok and "r:LIR-" in str(c.params.get("reply_markup"))]

    await chair.press("Approve brief")
    await api.wait_for(lambda: len(documents()) >= 2, 10, what="the broadcast under way")
    submitted = api.mark()
    receipt = await pat.press("Submit to the board", expect="received")
    ref = REF.search(receipt.reads)
    assert ref
    notice = await api.wait_for_message(BOARD, ref[0], since=submitted, timeout=10)
    overtaken = [seq for seq in documents(submitted) if seq < notice.seq]
    assert len(overtaken) <= 2  # the brief in hand (and its successor, at a push): not the batch
    assert len(documents()) < len(RECIPIENTS) + 1  # the broadcast was still going
    await api.wait_for(lambda: len(documents()) == len(RECIPIENTS) + 1, 30, what="every brief")


async def test_after_a_429_the_broadcast_waits_then_sends_several_briefs_at_once(
    api: LocalBotAPI, running: Running, settings: Settings, chair: Person
) -> None:
    brief_awaiting_the_chair(settings, api)
    await api.wait_for_message(CHAIR, "brief to approve", since=0, timeout=10)
    first, *others = RECIPIENTS
    api.fail("sendMessage", 429, retry_after=1, chat_id=first)  # the broadcast's first send
    for chat in others:  # each brief takes a while: sent one at a time, 0.2 s each
        api.delay("sendMessage", 0.2, chat_id=chat)
    since = api.mark()
    most_held = 0

    def briefed() -> set[int]:
        nonlocal most_held
        most_held = max(most_held, api.held_requests())
        calls = api.calls("sendMessage", since=since)
        return {c.params["chat_id"] for c in calls if c.ok and "r:LIR-" in str(c.params)}

    await chair.press("Approve brief")
    await api.wait_for(lambda: briefed() == set(RECIPIENTS), 30, what="every brief")

    sends = [c for c in api.calls("sendMessage", since=since) if c.params["chat_id"] in RECIPIENTS]
    refused = [c for c in sends if c.status == 429]
    assert [c.params["chat_id"] for c in refused] == [first]
    during_the_wait = [c for c in sends if refused[0].at < c.at < refused[0].at + 1.0]
    assert during_the_wait == []  # nothing went while Telegram asked the bot to wait
    assert 2 <= most_held <= WINDOW  # the burst: several briefs in flight, never more
    delivered = [c.params["chat_id"] for c in sends if c.ok]
    assert sorted(delivered) == sorted(RECIPIENTS)  # each exactly once, the refused one too

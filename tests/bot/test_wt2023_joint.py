"""Working Together 2023's joint decision over the local Bot API (`MATRIX=wt2023`,
`PARTNER_USER_IDS`): each partner's lead gets the card in place of the chair; a notifiable
referral stands approved only when all three have pressed Approve (the card shows who has and
who has not, by first name); partners who differ are told so with the board group and reminded
until they agree; a joint No review keeps each partner's reason; an escalation by one partner
takes effect at once; a chair's press no longer counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from flows import (
    cards,
    database,
    file_catastrophic,
    file_moderate,
    first_message,
    keyboard_becomes,
    regrade_behind,
)
from harness import (
    BOARD,
    CHAIR,
    ICB_LEAD,
    LA_LEAD,
    OFFICER,
    POLICE_LEAD,
    Person,
    Running,
    settle,
)
from officers_support import Clock

from bot.delivery import keyboards, notices, reminders
from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import events, joint, outbox, referrals
from storage.outbox import OutboxKind

FOUR = ["Approve", "Escalate grade", "Ask for information", "No review"]
FILED = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)  # a Monday


@pytest.fixture
def clock() -> Clock:
    return Clock(FILED)


@pytest.fixture
async def jointly(wt_settings: Settings, clock: Clock) -> AsyncIterator[Running]:
    bot = Running(wt_settings, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()


async def partner_cards(api: LocalBotAPI, ref: str) -> dict[int, Msg]:
    """Each partner's decision card once it has arrived."""
    return {lead: (await cards(api, ref, lead))[1] for lead in (LA_LEAD, ICB_LEAD, POLICE_LEAD)}


async def card_reads(api: LocalBotAPI, chat_id: int, message_id: int, *parts: str) -> Msg:
    """Wait until the card reads every one of `parts` (cards are edited after a press)."""

    def shown() -> Msg | None:
        message = api.message(chat_id, message_id)
        text = message.reads if message is not None else ""
        return message if message is not None and all(p in text for p in parts) else None

    return await api.wait_for(shown, 8.0, what=f"{parts} on card {message_id} in {chat_id}")


async def disagree(api: LocalBotAPI, pat: Person, settings: Settings) -> tuple[str, dict[int, Msg]]:
    """File a catastrophic referral; the local authority approves and the police, with a
    reason, press No review. The reference and each partner's card."""
    ref = await file_catastrophic(pat, settings)
    shown = await partner_cards(api, ref)
    await Person(api, LA_LEAD).press_on(shown[LA_LEAD].message_id, "Approve")
    await first_message(api, LA_LEAD, "Recorded: your Approve")
    police = Person(api, POLICE_LEAD)
    await police.press_on(shown[POLICE_LEAD].message_id, "No review")
    asked = await api.wait_for_message(POLICE_LEAD, "Why should", since=0)
    assert f"Why should {ref} have no review?" in asked.reads
    await police.say("A single-agency review is already under way.", "Recorded")
    return ref, shown


async def test_a_notifiable_referral_stands_approved_only_when_all_three_approve(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings, clock: Clock
) -> None:
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, wt_settings)
    shown = await partner_cards(api, ref)
    for card in shown.values():
        assert card.button_texts == FOUR
        assert "Local authority: not yet decided" in card.reads
        assert "Police: not yet decided" in card.reads
    assert api.bot_messages(CHAIR) == []  # the partners decide, not the chair
    with database(wt_settings) as db:
        assert referrals.require_referral(db, ref).flags["notifiable"]

    answer = await Person(api, LA_LEAD).press_on(shown[LA_LEAD].message_id, "Approve")
    assert answer == "Your Approve is recorded."
    told = await first_message(api, LA_LEAD, "Recorded: your Approve")
    assert "Still to decide: Integrated care board, Police." in told.reads
    await Person(api, ICB_LEAD).press_on(shown[ICB_LEAD].message_id, "Approve")
    await first_message(api, ICB_LEAD, "Recorded: your Approve")
    for lead, card in shown.items():  # every card shows who has decided, by name, not id
        now = await card_reads(
            api,
            lead,
            card.message_id,
            "Local authority (Lara): Review approved",
            "Integrated care board (Ines): Review approved",
            "Police: not yet decided",
        )
        assert now.button_texts == FOUR and str(LA_LEAD) not in now.reads
    with database(wt_settings) as db:
        assert referrals.require_referral(db, ref).is_undecided  # two of three: not yet

    await Person(api, POLICE_LEAD).press_on(shown[POLICE_LEAD].message_id, "Approve")
    for lead, card in shown.items():
        decided = await card_reads(
            api, lead, card.message_id, "Review approved by the three safeguarding partners"
        )
        assert decided.button_texts == []
        await first_message(api, lead, f"{ref}", "approved")
    await first_message(api, pat.chat_id, ref, "approved")
    await first_message(api, BOARD, ref, "Review approved")
    with database(wt_settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "approved" and referral.decision == "approved"
        assert referral.decided_by == POLICE_LEAD
        pressed = joint.presses(db, ref)
        assert {p: (x.outcome, x.name) for p, x in pressed.items()} == {
            "la": ("approved", "Lara"),
            "icb": ("approved", "Ines"),
            "police": ("approved", "Paul"),
        }
        assert [e.action for e in events.events_for(db, ref)].count("partner_pressed") == 3

    # The board's event log names each partner's lead as a partner (never "officer"), and a
    # lead's /mydata lists their press.
    record = (await Person(api, OFFICER, BOARD).say(f"/case {ref}", expect="Event log")).text
    assert "Lara (safeguarding partner: Local authority) · partner_pressed" in (record or "")
    assert "Paul (safeguarding partner: Police) · partner_pressed" in (record or "")
    assert "(officer) · partner_pressed" not in (record or "")
    mine = (await Person(api, LA_LEAD).say("/mydata", expect="What the bot holds")).reads
    assert "lead of a safeguarding partner (Local authority)" in mine
    assert "Your presses on decision cards (1)" in mine
    assert f"{ref}: Review approved (for Local authority)" in mine


async def test_partners_who_differ_are_told_with_the_group_and_reminded_until_they_agree(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings, clock: Clock
) -> None:
    pat = Person(api, 1001)
    ref, shown = await disagree(api, pat, wt_settings)
    for chat in (LA_LEAD, ICB_LEAD, POLICE_LEAD, BOARD):
        differ = await first_message(api, chat, "pressed different outcomes", ref)
        text = differ.reads
        assert "Local authority (Lara): Review approved" in text
        assert "Police (Paul): No review" in text
        assert "Integrated care board: not yet decided" in text
    with database(wt_settings) as db:
        assert referrals.require_referral(db, ref).is_undecided
        assert joint.disagreeing(db) == [ref]

    app = jointly.app
    assert app is not None
    clock.set(2026, 3, 3, 10)  # the next working day: reminded to the three and the group
    due = [r for r in await reminders.run_now(app) if r.kind == "partners_differ"]
    assert [(r.ref, r.chats) for r in due] == [(ref, (LA_LEAD, ICB_LEAD, POLICE_LEAD, BOARD))]
    reminded = await first_message(api, BOARD, "Reminder: " + ref)
    assert "pressed different outcomes" in reminded.reads

    # They agree on No review: the decision stands with each partner's reason.
    await Person(api, LA_LEAD).press_on(shown[LA_LEAD].message_id, "No review")
    await Person(api, LA_LEAD).say("The learning is already covered.", "Recorded")
    await Person(api, ICB_LEAD).press_on(shown[ICB_LEAD].message_id, "No review")
    await Person(api, ICB_LEAD).say("Health agrees.", "Recorded")
    await first_message(api, pat.chat_id, ref, "No review")
    with database(wt_settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.status == "declined"
        assert referral.decision_reason == (
            "Local authority: The learning is already covered.; Integrated care board: Health "
            "agrees.; Police: A single-agency review is already under way."
        )
        assert joint.disagreeing(db) == []
    clock.set(2026, 3, 4, 10)
    assert [r for r in await reminders.run_now(app) if r.kind == "partners_differ"] == []


async def test_an_escalation_by_one_partner_takes_effect_at_once_and_a_chair_cannot_decide(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings
) -> None:
    pat = Person(api, 1001)
    ref = await file_moderate(pat, wt_settings)
    shown = await partner_cards(api, ref)
    chair = Person(api, CHAIR)
    helped = await chair.say("/help")  # a message of the bot's in the chair's chat to press on
    chair_answer = await chair.alert(helped.message_id, keyboards.chair_data(ref, "approve"))
    assert chair_answer.show_alert
    assert "Only the leads of the three safeguarding partners can decide" in (chair_answer.reads)
    icb = Person(api, ICB_LEAD)
    await icb.press_on(shown[ICB_LEAD].message_id, "Escalate grade")
    higher = ["Catastrophic", "Severe", "Significant", "← Back"]
    await keyboard_becomes(api, ICB_LEAD, shown[ICB_LEAD].message_id, higher)
    await icb.press_on(shown[ICB_LEAD].message_id, "Severe")
    await api.wait_for_message(ICB_LEAD, "Why should", since=0)
    await icb.say("Two agencies missed the same warning signs.", "Recorded")
    for lead, card in shown.items():
        decided = await card_reads(api, lead, card.message_id, "by Ines")
        assert decided.button_texts == []
    with database(wt_settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.decision == "escalated" and referral.grade == "severe"
        assert referral.decided_by == ICB_LEAD
        assert joint.presses(db, ref) == {}


async def test_an_approved_lcspr_plan_defaults_its_report_date_and_reminds_of_the_panel(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings, clock: Clock
) -> None:
    pat = Person(api, 1001)
    ref = await file_catastrophic(pat, wt_settings)
    shown = await partner_cards(api, ref)
    for lead, card in shown.items():
        await Person(api, lead).press_on(card.message_id, "Approve")
    await first_message(api, BOARD, ref, "Review approved")

    board = Person(api, OFFICER, BOARD)
    await board.say(f"/plan {ref}", expect="methodology")
    await board.press("SCIE", expect="individual agency")
    await board.press("Health")
    await board.press("Done", expect="family")
    await board.press("Yes", expect="front-line staff")
    panel = await board.press("Yes", expect="Child Safeguarding Practice Review Panel")
    assert "serious case review" not in panel.reads.lower()
    publication = await board.press("Yes", expect="publish")
    assert "a management letter from the three safeguarding partners" in publication.reads
    assert "independent chair" not in publication.reads
    await board.press("Full report", expect="period under review")
    await board.say("2025-09-01 to 2026-02-28", expect="key lines of enquiry")
    await board.say("Who knew of the injury, and when?", expect="due")
    asked = await board.say("2026-06-01", expect="completed report")
    # decided on Mon 2 Mar 2026: the 6-month rule gives 2 Sep 2026, shown as the default
    assert "the report is due by 2026-09-02" in asked.reads
    asked = await board.say("2026-09-02", expect="publication date")
    assert "Secretary of State at least 7 working days before publication" in asked.reads
    await board.say("2026-10-01", expect="author")
    await board.say("An independent reviewer", expect="complete")
    with database(wt_settings) as db:
        (done,) = [e.detail for e in events.events_for(db, ref) if e.detail.startswith("plan c")]
    # Thu 1 Oct 2026 less 7 working days: Tue 22 Sep 2026
    assert done.endswith("report to the Panel and the Secretary of State by 2026-09-22")

    app = jointly.app
    assert app is not None
    clock.set(2026, 9, 21, 10)
    assert [r for r in await reminders.run_now(app) if r.kind == "panel_report"] == []
    clock.set(2026, 9, 22, 10)
    due = [r for r in await reminders.run_now(app) if r.kind == "panel_report"]
    assert [(r.ref, r.chats) for r in due] == [(ref, (BOARD,))]
    with database(wt_settings) as db:  # the group's queue is paced: read the row as it will go
        (row,) = [
            r
            for r in outbox.rows_for(db, ref, OutboxKind.REMINDER)
            if r.payload.get("reminder") == "panel_report"
        ]
        referral = referrals.require_referral(db, ref)
    told = notices.RENDERERS[OutboxKind.REMINDER](app.bot_data.services, row, referral)
    assert told is not None and row.chat_id == BOARD
    assert "by Tue 22 Sep 2026, 7 working days before its publication on Thu 01 Oct 2026" in (
        told.text
    )
    clock.set(2026, 10, 2, 10)  # after the publication date: no longer this reminder
    assert [r for r in await reminders.run_now(app) if r.kind == "panel_report"] == []


async def test_a_partners_press_on_a_card_of_before_a_change_does_not_count(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings
) -> None:
    """The local authority approves; the referral is then regraded beside the bot. The ICB's
    Approve on its card of before is refused and every card shows the referral as it now is,
    where the local authority's approval (of the referral as it was) stands no more: two
    approvals on the new cards do not decide, the third does (the control)."""
    pat = Person(api, 1001)
    ref = await file_moderate(pat, wt_settings)
    shown = await partner_cards(api, ref)
    la, icb, police = (Person(api, lead) for lead in (LA_LEAD, ICB_LEAD, POLICE_LEAD))
    assert await la.press_on(shown[LA_LEAD].message_id, "Approve") == "Your Approve is recorded."
    await card_reads(api, ICB_LEAD, shown[ICB_LEAD].message_id, "Local authority (Lara)")
    regrade_behind(wt_settings, ref, "significant")

    refused = await icb.press_on(shown[ICB_LEAD].message_id, "Approve")
    assert "has changed since this card was shown" in refused
    for lead, card in shown.items():
        await card_reads(
            api, lead, card.message_id, "Grade: Significant", "Local authority: not yet decided"
        )
    assert await icb.press_on(shown[ICB_LEAD].message_id, "Approve") == "Your Approve is recorded."
    await police.press_on(shown[POLICE_LEAD].message_id, "Approve")
    await first_message(api, POLICE_LEAD, "Recorded: your Approve")
    with database(wt_settings) as db:
        assert referrals.require_referral(db, ref).is_undecided
    await la.press_on(shown[LA_LEAD].message_id, "Approve")
    await card_reads(api, LA_LEAD, shown[LA_LEAD].message_id, "Review approved by")
    with database(wt_settings) as db:
        decided = referrals.require_referral(db, ref)
        assert decided.status == "approved" and decided.grade == "significant"


async def test_a_disagreement_is_told_once_as_a_disagreement_not_on_every_press(
    api: LocalBotAPI, jointly: Running, wt_settings: Settings, clock: Clock
) -> None:
    ref, shown = await disagree(api, Person(api, 1001), wt_settings)
    for chat in (LA_LEAD, ICB_LEAD, POLICE_LEAD, BOARD):
        told = await first_message(api, chat, "pressed different outcomes", ref)
        assert told.reads.startswith(f"Disagreement on {ref}")
        assert "Reminder" not in told.reads

    # Further presses while they still differ: recorded, but no second notice.
    await Person(api, ICB_LEAD).press_on(shown[ICB_LEAD].message_id, "Approve")
    await first_message(api, ICB_LEAD, "Recorded: your Approve")
    await Person(api, LA_LEAD).press_on(shown[LA_LEAD].message_id, "Approve")
    await settle(api)
    for chat in (LA_LEAD, ICB_LEAD, POLICE_LEAD, BOARD):
        notices_here = [t for t in api.bot_texts(chat) if "pressed different outcomes" in t]
        assert len(notices_here) == 1, (chat, notices_here)

    # The control: the daily reminder of the standing disagreement still goes.
    app = jointly.app
    assert app is not None
    clock.set(2026, 3, 3, 10)
    due = [r for r in await reminders.run_now(app) if r.kind == "partners_differ"]
    assert [r.ref for r in due] == [ref]
    reminded = await first_message(api, BOARD, f"Reminder: {ref}")
    assert "pressed different outcomes" in reminded.reads

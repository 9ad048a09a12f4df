"""A review's findings and action plan over the local Bot API server: an action reaches its
agency's lead, who marks it started and done with evidence, and the board group sees each step;
bad input is answered clearly (an unknown agency, a past or impossible date, a text too long,
`/done` by a lead of another agency, a closed action); the overdue actions come to the group in
one message a working day, and the lead is reminded on the due date."""

from __future__ import annotations

import datetime as dt
import re

from filed import GOOD_PRACTICE
from flows import database
from harness import BOARD, OFFICER, OTHER_PRACTITIONER, PRACTITIONER, Person, Running
from officers_support import SEVERE, Clock, decide, file, planned

from bot.board import actions as board_actions
from bot.delivery import action_notices, keyboards, reminders
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import actions, practitioners


def _future(days: int = 30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _planned(settings: Settings) -> str:
    now = dt.datetime.now(dt.UTC)
    referral = file(settings.db_path, SEVERE, now)
    planned(settings.db_path, referral.ref, now)
    return referral.ref


async def _invite_lead(board: Person, agency: str) -> str:
    reply = await board.say(f"/invite {agency} lead", expect="One-time invite")
    text = reply.reads
    assert f"lead of {agency}" in text
    assert "The lead opens the link" in text and "practitioner" not in text
    return text.split("Code: ")[1].split()[0]


async def test_an_action_reaches_its_lead_who_marks_it_done_and_the_board_sees_it(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    ref = _planned(settings)
    sam = Person(api, OTHER_PRACTITIONER)
    code = await _invite_lead(board, "Police")
    welcome = await sam.say(f"/start {code}", expect="registered")
    assert "You are also the lead of Police" in welcome.reads

    found = await board.say(f"/finding {ref} Strategy meetings lacked health input", "Finding")
    assert f"Finding F1 recorded for {ref}" in found.reads

    since = api.mark()
    due = _future()
    added = await board.say(f"/action {ref} police {due} Audit strategy meetings", "Action")
    assert f"Action {ref}/A1 added: Police, due {due}" in added.reads
    assert "Sent to the lead of Police" in added.reads
    sent = await api.wait_for_message(OTHER_PRACTITIONER, "New action", since=since)
    assert f"{ref}/A1" in sent.reads and "Audit strategy meetings" in sent.reads
    assert sent.button_texts == ["Started", "Done", "Can't meet the date"]

    since = api.mark()
    assert await sam.press_on(sent.message_id, "Started") == ""
    told = await api.wait_for_message(BOARD, "started, says lead of Police", since=since)
    assert f"{ref}/A1" in told.reads

    since = api.mark()
    await sam.press_on(sent.message_id, "Done")
    await api.wait_for_message(OTHER_PRACTITIONER, "evidence", since=since)
    since = api.mark()
    await sam.say("Audit done; copy sent to audit.lead@example.org", expect="is done")
    removed = await api.wait_for_message(OTHER_PRACTITIONER, "email", since=since)
    assert "email" in removed.reads
    seen = await api.wait_for_message(BOARD, "done, says lead of Police", since=since)
    assert "Evidence: Audit done; copy sent to [REDACTED]" in seen.reads
    assert "example.org" not in seen.reads

    listed = await board.say(f"/actions {ref}", expect="Actions of")
    assert f"{ref}/A1" in listed.reads and "· done" in listed.reads
    case = await board.say(f"/case {ref}", expect="Event log")
    text = case.reads
    assert "F1. Strategy meetings lacked health input" in text
    assert f"{ref}/A1 · Police · due {due} · done" in text
    with database(settings) as db:
        action = actions.find_action(db, f"{ref}/A1")
        assert action is not None and action.outcome == "Audit done; copy sent to [REDACTED]"
        history = [(e.actor, e.action) for e in actions.history(db, action)]
    assert history[1:] == [
        (str(OTHER_PRACTITIONER), "action_started"),
        (str(OTHER_PRACTITIONER), "action_done"),
    ]
    assert history[0][1] == "action"
    mine = await sam.say("/mydata", expect="Role")
    assert "lead of your agency" in mine.reads
    assert "Your updates on actions (2)" in mine.reads  # what they said, by action
    assert f"{ref}/A1: started" in mine.reads and f"{ref}/A1: done" in mine.reads


async def test_bad_input_is_answered_clearly(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    ref = _planned(settings)
    unknown = await board.say(f"/action {ref} Fire service {_future()} Check alarms")
    text = unknown.reads
    assert "“Fire service” is not one of the board's agencies" in text
    assert "Children's social care, Health, Police, Education, Voluntary sector" in text
    undated = await board.say(f"/action {ref} voluntary sector soon Train staff")
    assert "“soon” is not a date written as YYYY-MM-DD" in undated.reads
    past = await board.say(f"/action {ref} Health 2020-01-01 Train staff")
    assert "2020-01-01 is in the past" in past.reads
    impossible = await board.say(f"/action {ref} Health 2030-02-30 Train staff")
    assert "2030-02-30 is not a real date" in impossible.reads
    malformed = await board.say(f"/action {ref} Health 30/01/2030 Train staff")
    assert "not a date written as YYYY-MM-DD" in malformed.reads
    long = await board.say(f"/action {ref} Health {_future()} " + "x" * 2001)
    assert "the action is 2001 characters; at most 2000" in long.reads
    bad_id = await board.say("/done A1 finished")
    assert "an action's id looks like" in bad_id.reads
    with database(settings) as db:
        assert actions.actions_for(db, ref) == []

    await board.say(f"/action {ref} Police {_future()} Audit strategy meetings", "added")
    pat = Person(api, PRACTITIONER)
    with database(settings) as db:
        code = practitioners.create_invite(db, "Health", "test", dt.datetime.now(dt.UTC), lead=True)
    await pat.say(f"/start {code}", expect="lead of Health")
    refused = await pat.say(f"/done {ref}/A1 finished it", expect="Sorry")
    assert f"{ref}/A1 belongs to Police: only its lead or a board officer" in refused.reads
    forged = await pat.alert(refused.message_id, keyboards.action_data(ref, 1, "done"))
    assert forged.show_alert and "Only a lead of Police" in forged.reads

    dropped = await board.say(f"/drop {ref}/A1 merged into the health action", "dropped")
    assert f"{ref}/A1 is dropped" in dropped.reads
    again = await board.say(f"/done {ref}/A1 done after all")
    assert f"{ref}/A1 is already dropped" in again.reads
    missing = await board.say(f"/done {ref}/A7 done")
    assert f"There is no action {ref}/A7" in missing.reads
    with database(settings) as db:
        closed = actions.find_action(db, f"{ref}/A1")
    assert closed is not None and (closed.status, closed.outcome) == (
        "dropped",
        "merged into the health action",
    )


async def test_a_lead_who_cannot_meet_the_date_says_why_and_the_board_is_told(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    ref = _planned(settings)
    sam = Person(api, OTHER_PRACTITIONER)
    await sam.say(f"/start {await _invite_lead(board, 'Police')}", expect="registered")
    since = api.mark()
    await board.say(f"/action {ref} Police {_future()} Review the referral pathway", "added")
    sent = await api.wait_for_message(OTHER_PRACTITIONER, "New action", since=since)

    since = api.mark()
    await sam.press_on(sent.message_id, "Can't meet the date")
    await api.wait_for_message(OTHER_PRACTITIONER, "the reason", since=since)
    too_long = await sam.say("y" * 2001, expect="limit")
    assert "2001 characters long; the limit is 2000" in too_long.reads
    since = api.mark()
    await sam.say("Team restructure; can be done by the end of next month", "cannot be met")
    told = await api.wait_for_message(BOARD, "cannot be met", since=since)
    assert "says lead of Police" in told.reads
    assert "Reason: Team restructure; can be done by the end of next month" in told.reads
    with database(settings) as db:
        action = actions.find_action(db, f"{ref}/A1")
        assert action is not None and action.status == "open"
        assert [e.action for e in actions.history(db, action)] == ["action", "action_late"]
    listed = await board.say("/actions", expect="Open actions")
    assert f"{ref}/A1 · Police" in listed.reads
    assert await board.say("/actions overdue", expect="No action is overdue")


# -- reminders, with a clock the test moves ---------------------------------------------------


async def test_overdue_actions_come_to_the_group_in_one_message_a_working_day(
    api: LocalBotAPI, clocked: Running, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    settings = clocked.settings
    ref = file(settings.db_path, SEVERE, clock()).ref
    decide(settings.db_path, ref, clock())
    with database(settings) as db:
        code = practitioners.create_invite(db, "Police", "test", clock(), lead=True)
        practitioners.redeem_invite(db, code, OTHER_PRACTITIONER, clock())
        actions.add_action(db, ref, "Police", dt.date(2026, 3, 4), "Audit meetings", 3001, clock())
        actions.add_action(db, ref, "Health", dt.date(2026, 3, 5), "Train staff", 3001, clock())
        actions.add_action(db, ref, "Health", dt.date(2026, 3, 5), "Dropped one", 3001, clock())
        actions.change_action(db, ref, 3, "dropped", 3001, "not needed", clock())

    clock.set(2026, 3, 4, 10)  # the Police action's due date: its lead is reminded
    queued = await reminders.run_now(app)
    assert [(r.ref, r.kind) for r in queued] == [(ref, "action_due_a1")]
    due = await api.wait_for_message(OTHER_PRACTITIONER, "is due today", since=0)
    assert f"{ref}/A1" in due.reads and due.button_texts[0] == "Started"
    assert await reminders.run_now(app) == []  # once a day

    clock.set(2026, 3, 6, 10)  # Friday: both overdue, one message
    since = api.mark()
    queued = await reminders.run_now(app)
    assert [r.kind for r in queued] == ["actions_overdue"]
    digest = await api.wait_for_message(BOARD, "overdue", since=since)
    text = digest.reads
    assert "2 actions overdue" in text
    assert text.index(f"{ref}/A1") < text.index(f"{ref}/A2") and f"{ref}/A3" not in text
    assert "2 days ago" in text and "1 day ago" in text
    assert await reminders.run_now(app) == []
    clock.set(2026, 3, 7, 10)  # Saturday: no digest
    assert await reminders.run_now(app) == []
    clock.set(2026, 3, 9, 10)  # Monday: again
    assert [r.kind for r in await reminders.run_now(app)] == ["actions_overdue"]


async def test_the_board_wide_lists_show_the_most_overdue_and_count_the_rest(
    api: LocalBotAPI, clocked: Running, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    settings = clocked.settings
    ref = file(settings.db_path, SEVERE, clock()).ref
    decide(settings.db_path, ref, clock())
    shown = board_actions.SHOWN
    with database(settings) as db:
        for n in range(shown + 3):  # due on consecutive days from 2 March; A1 the most overdue
            due = dt.date(2026, 3, 2) + dt.timedelta(days=n)
            actions.add_action(db, ref, "Health", due, f"Step {n + 1}", 3001, clock())
        actions.add_action(db, ref, "Police", dt.date(2026, 6, 1), "Not yet due", 3001, clock())
    clock.set(2026, 4, 1, 10)  # a Wednesday: every action but the last is overdue
    board = Person(api, OFFICER, BOARD)
    overdue = (await board.say("/actions overdue", expect="Overdue actions")).reads
    listed = re.findall(r"LIR-\d{4}-\d{4}/A(\d+) ·", overdue)
    assert listed == [str(n) for n in range(1, shown + 1)]  # the most overdue first
    assert "…and 3 more overdue actions" in overdue
    every = (await board.say("/actions", expect="Open actions")).reads
    assert re.findall(r"/A(\d+) ·", every) == listed and "…and 4 more open actions" in every
    since = api.mark()
    assert [r.kind for r in await reminders.run_now(app)] == ["actions_overdue"]
    digest = (await api.wait_for_message(BOARD, "overdue", since=since)).reads
    listed_too = action_notices.DIGEST_SHOWN
    assert f"{shown + 3} actions overdue" in digest
    assert f"…and {shown + 3 - listed_too} more." in digest
    assert f"{ref}/A{listed_too} " in digest and f"{ref}/A{listed_too + 1} " not in digest


# -- findings and actions only once a review is planned (SPEC §7) ------------------------------


async def test_findings_and_actions_wait_for_a_planned_review(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    """Undecided, declined, approved-but-unplanned and closed referrals refuse `/finding` and
    `/action`, naming their status and what is needed; nothing is stored or sent to a lead.
    A planned review, and an approved good-practice referral (a case study), take them."""
    now = dt.datetime.now(dt.UTC)
    sam = Person(api, OTHER_PRACTITIONER)
    await sam.say(f"/start {await _invite_lead(board, 'Police')}", expect="registered")
    undecided = file(settings.db_path, SEVERE, now).ref
    declined = file(settings.db_path, SEVERE, now).ref
    decide(settings.db_path, declined, now, "declined", "No multi-agency concern")
    approved = file(settings.db_path, SEVERE, now).ref
    decide(settings.db_path, approved, now)
    since = api.mark()
    for ref, status, needed in (
        (undecided, "awaiting the chair", "The chair has to approve the review first"),
        (declined, "no review", "Nothing more can be added to it"),
        (approved, "approved", "Plan the review first: /plan {ref}"),
    ):
        found = await board.say(f"/finding {ref} Strategy meetings lacked health input")
        assert f"{ref} is {status}: a finding is recorded only once a review is planned" in (
            found.reads
        )
        assert needed.format(ref=ref) in found.reads
        added = await board.say(f"/action {ref} Police {_future()} Audit strategy meetings")
        assert f"{ref} is {status}: an action is recorded only once a review is planned" in (
            added.reads
        )
        assert needed.format(ref=ref) in added.reads
    with database(settings) as db:
        for ref in (undecided, declined, approved):
            assert actions.actions_for(db, ref) == [] and actions.findings_for(db, ref) == []
    assert not [t for t in api.bot_texts(OTHER_PRACTITIONER) if "New action" in t]

    # The control: once planned, the same commands work and the lead is told.
    planned(settings.db_path, approved, now)
    # (the filed referrals' own notices may reach the group in between: wait for the answer)
    found = await board.say(
        f"/finding {approved} Strategy meetings lacked health input", expect="Finding F1"
    )
    assert f"Finding F1 recorded for {approved}" in found.reads
    added = await board.say(
        f"/action {approved} Police {_future()} Audit strategy meetings", expect="/A1 added"
    )
    assert f"Action {approved}/A1 added: Police" in added.reads
    await api.wait_for_message(OTHER_PRACTITIONER, "New action", since=since)
    # A good-practice referral approved as a case study needs no plan.
    case_study = file(settings.db_path, GOOD_PRACTICE, now).ref
    decide(settings.db_path, case_study, now)
    found = await board.say(f"/finding {case_study} Early help worked well together")
    assert f"Finding F1 recorded for {case_study}" in found.reads

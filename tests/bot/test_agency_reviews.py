"""SPEC §9's individual agency reviews over the local Bot API server: the terms agreed ask two
agencies' leads (with the Terms of Reference) and name the agency without a lead to the group;
one lead starts and holds Health's (a second Health lead is told who has it, a Police lead's
press on it is refused), answers the whole questionnaire (a date outside the period refused
naming it, Done with no entry refused, /back, a restart mid-way carrying on), submits it: the
group told with the counts, the action points actions of the plan. A lead who registers later
is asked then; `/iars` says where each stands; the reminders before and on the due date and the
one overdue message, with a clock the test moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filed import database as filed_db
from flows import agency_review_asked, database
from harness import (
    BOARD,
    CHAIR,
    ICB_LEAD,
    LA_LEAD,
    OFFICER,
    OTHER_PRACTITIONER,
    POLICE_LEAD,
    Person,
    Running,
    settle,
)
from officers_support import CATASTROPHIC, Clock, decide, file

from bot.delivery import reminders, review_keyboards
from bot.settings import Settings
from localapi import LocalBotAPI
from services import review
from storage import actions, agency_reviews, events, plans, practitioners, referrals

PERIOD = "2025-09-01 to 2026-02-28"
ASKED = ["Health", "Police", "Education"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _answers(due: str) -> dict[str, object]:
    return {
        "methodology": "scie",
        "iar_agencies": ASKED,
        "family": "yes",
        "staff": "yes",
        "panel": "yes",
        "publication": "short",
        "period": PERIOD,
        "enquiry": ["Why was the nursery's worry not shared?"],
        "iar_due": due,
        "report_due": "2099-06-30",
        "publication_date": "2099-09-01",
    }


def _lead(db_path: Path, agency: str, user_id: int, now: dt.datetime) -> None:
    with filed_db(db_path) as db:
        code = practitioners.create_invite(db, agency, "test", now, lead=True)
        practitioners.redeem_invite(db, code, user_id, now)


def _planned(db_path: Path, now: dt.datetime, due: str = "2099-03-31") -> str:
    """An approved referral whose plan lacks only its author; Health has two leads (Lara, Ines),
    Police one (Paul), Education none."""
    referral = file(db_path, CATASTROPHIC, now - dt.timedelta(days=2))
    decide(db_path, referral.ref, now)
    with filed_db(db_path) as db:
        plans.save_plan(db, referral.ref, "author", _answers(due), OFFICER, now)
    _lead(db_path, "Health", LA_LEAD, now)
    _lead(db_path, "Health", ICB_LEAD, now)
    _lead(db_path, "Police", POLICE_LEAD, now)
    return referral.ref


async def _agree(api: LocalBotAPI, board: Person, chair: Person, ref: str) -> None:
    await board.say(f"/plan {ref}", expect="author")
    await board.say("Independent reviewer", expect="complete")
    card = await api.wait_for_message(CHAIR, "Terms of Reference to agree", since=0, timeout=10)
    await chair.press_on(card.message_id, "Agree terms")


async def test_a_lead_writes_and_submits_the_agency_review_the_board_sees_it(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    ref = _planned(settings.db_path, _now())
    await _agree(api, board, chair, ref)
    lara, ines, paul = Person(api, LA_LEAD), Person(api, ICB_LEAD), Person(api, POLICE_LEAD)

    asked = await agency_review_asked(api, LA_LEAD)
    text = asked.reads
    assert f"Individual agency review for {ref}: Health" in text
    assert f"Period under review: {PERIOD}" in text and "due by 2099-03-31" in text
    assert "Why was the nursery's worry not shared?" in text
    document = next(m for m in api.bot_messages(LA_LEAD) if m.file_id is not None)
    assert document.file_name is not None and document.file_name.endswith(".html")
    await agency_review_asked(api, ICB_LEAD)
    police = await agency_review_asked(api, POLICE_LEAD)
    no_lead = await api.wait_for_message(BOARD, "no lead to ask", since=0, timeout=10)
    assert "Education: invite its lead with /invite Education lead" in no_lead.reads
    assert "Health" not in no_lead.reads

    since = api.mark()
    await lara.press_on(asked.message_id, "Start the agency review")
    first = await api.wait_for_message(LA_LEAD, "chronology", since=since)
    assert "You hold the agency review of Health" in first.reads
    assert first.button_texts == ["Done"]

    second = await ines.press_on(
        (await agency_review_asked(api, ICB_LEAD)).message_id, "Start the agency review"
    )
    assert "Lara of Health is writing the agency review" in second
    forged = await paul.alert(
        police.message_id, review_keyboards.agency_review_data(ref, "Health", "start")
    )
    assert forged.show_alert and "Only the leads of Health" in forged.reads
    with database(settings) as db:
        logged = [e.detail for e in events.events_for(db, ref) if e.action == "refused"]
    assert "agency review button refused: not a lead of Health" in logged

    refused = await lara.press_on(first.message_id, "Done")
    assert "at least 1 entry" in refused
    outside = await lara.say("2024-05-01 Referral to the nursery", expect="outside")
    assert f"outside the period under review, {PERIOD}" in outside.reads
    kept = await lara.say("2025-10-03 Home visit by the health visitor, DOB 02/01/2019", "kept")
    assert "Entry 1 of the chronology kept: 2025-10-03 Home visit" in kept.reads
    assert "[REDACTED]" in kept.reads and "02/01/2019" not in kept.reads
    kept = await lara.say("2025-11-14 GP appointment missed", expect="Entry 2")
    analysis = await lara.press_on(kept.message_id, "Done")
    assert analysis == ""
    await api.wait_for_message(LA_LEAD, "summary analysis", since=since)
    back = await lara.say("/back", expect="chronology")
    assert "2. 2025-11-14 GP appointment missed" in back.reads  # entries kept
    since = api.mark()
    await lara.press_on(back.message_id, "Done")
    await api.wait_for_message(LA_LEAD, "summary analysis", since=since)
    await lara.say("Health saw the bruising but did not share it.", expect="went well")

    await running.stop()  # a restart mid-way: the answers were saved
    await running.start()
    await lara.say("The health visitor followed up the missed appointment.", expect="lessons")
    await lara.say("Share concerns with the nursery at once.", expect="action points")
    past = await lara.say("2020-01-01 Audit", expect="not after today")
    assert "later date" in past.reads
    await lara.say("2099-01-31 Audit health visiting records", expect="Entry 1 of the action")
    summary = await lara.say("done", expect="ready to submit")
    assert summary.button_texts == ["Submit to the board"]
    assert "Chronology: 2025-10-03 Home visit" in summary.reads

    since = api.mark()
    await lara.press_on(summary.message_id, "Submit to the board")
    thanks = await api.wait_for_message(LA_LEAD, "is submitted to the board", since=since)
    assert "2 chronology entries and 1 action point" in thanks.reads
    told = await api.wait_for_message(BOARD, "submitted its agency review", since=since)
    assert f"Health submitted its agency review for {ref}" in told.reads
    assert "2 chronology entries, 1 action point" in told.reads and "late" not in told.reads
    with database(settings) as db:
        (action,) = actions.actions_for(db, ref)
        chronology = agency_reviews.chronology(db, ref)
    assert action.id == f"{ref}/A1" and action.agency == "Health"
    assert action.due == dt.date(2099, 1, 31) and action.text == "Audit health visiting records"
    assert chronology[0].text.startswith("Home visit by the health visitor, DOB")
    await api.wait_for_message(LA_LEAD, "New action", since=since)  # the action, to the leads
    assert api.message(LA_LEAD, summary.message_id).button_texts == []  # type: ignore[union-attr]
    submit = review_keyboards.agency_review_data(ref, "Health", "submit")
    again = await lara.alert(summary.message_id, submit)  # the old button, pressed again
    assert "already submitted" in again.reads

    mine = await lara.say("/mydata", expect="Your agency reviews")
    assert f"{ref} (Health): submitted" in mine.reads

    sam = Person(api, OTHER_PRACTITIONER)  # Education's lead registers now
    with database(settings) as db:
        code = practitioners.create_invite(db, "Education", "test", _now(), lead=True)
    await sam.say(f"/start {code}", expect="registered")
    late_ask = await agency_review_asked(api, OTHER_PRACTITIONER)
    assert f"Individual agency review for {ref}: Education" in late_ask.reads

    await settle(api)
    listed = await board.say(f"/iars {ref}", expect="Agency reviews for")
    text = listed.reads
    assert "Health (due 2099-03-31): submitted" in text and "on time" in text
    assert "Police (due 2099-03-31): asked" in text and "not started" in text
    assert "Education (due 2099-03-31): asked" in text


# -- reminders, with a clock the test moves ---------------------------------------------------


async def test_leads_are_reminded_and_the_overdue_come_to_the_group_in_one_message(
    api: LocalBotAPI, clocked: Running, clock: Clock
) -> None:
    app = clocked.app
    assert app is not None
    settings = clocked.settings
    ref = _planned(settings.db_path, clock(), due="2026-03-13")  # a Friday
    with database(settings) as db:
        referrals.set_status(db, ref, "review_planned", OFFICER, "", clock())
        review.ask_agency_reviews(db, ref, BOARD, clock())

    clock.set(2026, 3, 5, 10)  # Thursday: not yet five working days before
    assert [r.kind for r in await reminders.run_now(app) if "agency" in r.kind] == []
    clock.set(2026, 3, 6, 10)  # Friday, five working days before: every lead of each
    kinds = [r.kind for r in await reminders.run_now(app) if "agency" in r.kind]
    assert len(kinds) == 2 and all(k.startswith("agency_review_due_ahead") for k in kinds)
    ahead = await api.wait_for_message(POLICE_LEAD, "is due on 2026-03-13", since=0)
    assert ahead.button_texts == ["Start the agency review"]
    await api.wait_for_message(ICB_LEAD, "is due on 2026-03-13", since=0)
    assert [r for r in await reminders.run_now(app) if "agency" in r.kind] == []  # once

    clock.set(2026, 3, 13, 10)  # the due date
    await reminders.run_now(app)
    await api.wait_for_message(LA_LEAD, "is due today", since=0)

    clock.set(2026, 3, 17, 10)  # Tuesday: two working days overdue, three of them in one
    since = api.mark()
    queued = [r.kind for r in await reminders.run_now(app) if "agency" in r.kind]
    assert queued == ["agency_reviews_overdue"]
    digest = await api.wait_for_message(BOARD, "agency reviews overdue", since=since)
    text = digest.reads
    assert "3 agency reviews overdue" in text
    assert "Health · due 2026-03-13, 2 working days overdue · not started" in text
    assert "Education · due 2026-03-13, 2 working days overdue · no lead yet" in text
    assert [r for r in await reminders.run_now(app) if "agency" in r.kind] == []
    clock.set(2026, 3, 21, 10)  # Saturday: no message
    assert [r for r in await reminders.run_now(app) if "agency" in r.kind] == []

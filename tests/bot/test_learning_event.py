"""The practitioners' learning event of a review and its themes (SPEC §9), over the local Bot
API with a clock the test moves: an event scheduled a minute ahead, invitations answered by four
of five people (one never answers), the three feedback questions after the end (after a restart,
once), the themes chosen, and the annual update's theme counts and feedback without names; then
each bad input refused with a clear message and nothing lost."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator

import pytest
from flows import database
from harness import (
    BOARD,
    ICB_LEAD,
    LA_LEAD,
    OTHER_PRACTITIONER,
    POLICE_LEAD,
    PRACTITIONER,
    STRANGER,
    Person,
    Running,
)
from officers_support import SEVERE, Clock, file, planned

from bot.delivery import event_jobs, reminders
from bot.settings import Settings
from localapi import LocalBotAPI
from reports.annual import gather_years, render_report
from storage import event_feedback, learning_events, plans, practitioners, themes

ENQUIRY = ["How information was shared between agencies", "Whether the child was heard"]
INVITED = "You are invited to the practitioners' learning event"
FIRST_QUESTION = "What did you learn?"


@pytest.fixture
def clock() -> Clock:
    return Clock(dt.datetime(2026, 12, 8, 10, 0, tzinfo=dt.UTC))  # a Tuesday: London is UTC


@pytest.fixture
async def clocked(settings: Settings, clock: Clock) -> AsyncIterator[Running]:
    bot = Running(settings, clock=clock)
    await bot.start()
    yield bot
    await bot.stop()


def _register(settings: Settings, clock: Clock, user_id: int, agency: str, lead: bool) -> None:
    with database(settings) as db:
        code = practitioners.create_invite(db, agency, "test", clock(), lead=lead)
        practitioners.redeem_invite(db, code, user_id, clock())


def _review(settings: Settings, clock: Clock) -> str:
    """A planned review filed by Pat (Health), its plan asking Health and Police for agency
    reviews, with its key lines of enquiry; Health and Police have a lead each, Education two
    practitioners."""
    _register(settings, clock, PRACTITIONER, "Health", lead=False)
    _register(settings, clock, ICB_LEAD, "Health", lead=True)
    _register(settings, clock, POLICE_LEAD, "Police", lead=True)
    _register(settings, clock, OTHER_PRACTITIONER, "Education", lead=False)
    _register(settings, clock, LA_LEAD, "Education", lead=False)
    ref = file(settings.db_path, SEVERE, clock(), referrer=PRACTITIONER).ref
    planned(settings.db_path, ref, clock())
    with database(settings) as db:
        plan = plans.get_plan(db, ref)
        assert plan is not None
        answers = {**plan.answers, "iar_agencies": ["Health", "Police"], "enquiry": ENQUIRY}
        plans.save_plan(db, ref, plan.state, answers, 3001, clock())
    return ref


async def _invitation(api: LocalBotAPI, user_id: int) -> int:
    message = await api.wait_for_message(user_id, INVITED, since=0)
    return message.message_id


async def test_a_learning_event_from_invitation_to_the_annual_update(
    api: LocalBotAPI, clocked: Running, settings: Settings, clock: Clock, board: Person
) -> None:
    ref = _review(settings, clock)
    reply = await board.say(f"/event {ref} 2026-12-08 10:01-11:00 Town hall, room 2", "scheduled")
    assert "Tuesday 8 December 2026, 10:01 to 11:00, at Town hall, room 2" in reply.reads
    assert "Invited now: 3 (Health, Police)" in reply.reads  # Pat and the two leads
    reply = await board.say(f"/event {ref} invite education", "Invited 2")
    assert "Education" in reply.reads
    again = await board.say(f"/event {ref} invite Education", "already invited")
    assert "Every registered practitioner of Education" in again.reads

    pat, ines, paul = Person(api, PRACTITIONER), Person(api, ICB_LEAD), Person(api, POLICE_LEAD)
    sam, lara = Person(api, OTHER_PRACTITIONER), Person(api, LA_LEAD)
    shown = {p.user_id: await _invitation(api, p.user_id) for p in (pat, ines, paul, sam, lara)}
    text = pat.last().reads
    assert "When: Tuesday 8 December 2026, 10:01 to 11:00" in text
    assert "Where: Town hall, room 2" in text and ENQUIRY[0] in text and ENQUIRY[1] in text
    assert pat.last().button_texts == ["I'll come", "I can't come"]

    assert "you'll come" in await pat.press_on(shown[PRACTITIONER], "I'll come")
    assert "you'll come" in await ines.press_on(shown[ICB_LEAD], "I'll come")
    assert "you'll come" in await paul.press_on(shown[POLICE_LEAD], "I'll come")
    assert "can't come" in await paul.press_on(shown[POLICE_LEAD], "I can't come")  # changed
    assert "you'll come" in await sam.press_on(shown[OTHER_PRACTITIONER], "I'll come")
    # Lara never answers. A stranger's forged press is refused, naming why.
    stranger = Person(api, STRANGER)
    await stranger.say("/help")
    refused = await stranger.alert(stranger.last().message_id, f"e:{ref}:1:yes")
    assert "not yours" in refused.reads

    standing = await board.say(f"/event {ref}", "Learning event of")
    assert "Invited 5: coming 3, can't come 1, not answered 1" in standing.reads
    assert "Education: invited 2, coming 1, can't come 0, not answered 1" in standing.reads
    assert "Feedback received" not in standing.reads

    # After the start answers no longer change.
    clock.set(2026, 12, 8, 10, 2)
    late = await pat.press_on(shown[PRACTITIONER], "I can't come")
    assert "has begun" in late

    # The end passes; the bot is restarted before its job runs; the questions still come, once.
    clock.set(2026, 12, 8, 11, 2)
    await clocked.stop()
    await clocked.start()
    for person in (pat, ines, sam):
        asked = await api.wait_for_message(person.user_id, FIRST_QUESTION, since=0, timeout=10)
        assert ref in asked.reads
    app = clocked.app
    assert app is not None
    assert await event_jobs.run_now(app) == []  # asked once
    assert not [t for t in paul.texts() + lara.texts() if FIRST_QUESTION in t]

    feedback = {
        pat: ("Sharing the chronology early helps everyone", "Call the school nurse first", "4"),
        ines: ("How the referral was triaged", "Escalate sooner when unsure", "5"),
        sam: ("Voice of the child was missing", "Ask children directly, call 07700 900123", "2"),
    }
    for person, (learned, differently, score) in feedback.items():
        await person.say(learned, expect="What will you do differently?")
        await person.say(differently, expect="How safe did it feel")
        done = await person.press(score, expect="Thank you")
        assert "without your name" in done.reads
    redacted = [t for t in sam.texts() if "removed" in t.lower() or "redact" in t.lower()]
    assert redacted, "the phone number's removal is said"

    standing = await board.say(f"/event {ref}", "Feedback received")
    assert "Feedback received: 3 of 3 who were coming" in standing.reads

    # Themes: three at most, a fourth refused saying so; Done tells the group.
    await board.say(f"/themes {ref}", "choose up to 3")
    for theme in ("information sharing", "voice of the child", "neglect"):
        answer = await board.answer_of(api.press_button(board.user_id, BOARD, theme))
        assert not answer.show_alert
    fourth = await board.answer_of(api.press_button(board.user_id, BOARD, "babies"))
    assert fourth.show_alert and "at most 3 themes" in fourth.reads
    told = await board.press("Done", expect=f"Themes of {ref}")
    assert "information sharing; voice of the child; neglect" in told.reads

    with database(settings) as db:
        assert themes.themes_of(db, ref) == ["information sharing", "voice of the child", "neglect"]
        summary = event_feedback.feedback_summary(db, ref)
        assert (summary.counts.invited, summary.counts.coming, summary.feedback) == (5, 3, 3)
        assert summary.safety_range == (2, 5)
        assert db.table("event_feedback").columns_dict.keys() == {
            "id",
            "ref",
            "learned",
            "differently",
            "safety",
        }
        sessions = list(db.table("event_feedback_sessions").rows)
        assert all(row["answers"] == "{}" and row["done"] == 1 for row in sessions)
        figures = gather_years(db, 2026, dt.date(2026, 12, 31), io.StringIO(), False)
    report = render_report(figures, dt.date(2026, 12, 31))
    for text in (report.markdown, report.html):
        assert "Learning events" in text and "Themes" in text
        assert "Escalate sooner when unsure" in text and "REDACTED" in text
        assert "07700 900123" not in text
        assert "3.7" in text  # the safety scores' mean, (4 + 5 + 2) / 3
        for name in ("Pat", "Ines", "Sam", "Lara", "Paul"):
            assert name not in text
    assert "| information sharing | 1 | 0 |" in report.markdown


async def test_a_second_event_moves_it_and_tells_everyone_invited(
    api: LocalBotAPI, clocked: Running, settings: Settings, clock: Clock, board: Person
) -> None:
    ref = _review(settings, clock)
    await board.say(f"/event {ref} 2026-12-10 14:00 Library", "scheduled")
    first = await _invitation(api, PRACTITIONER)
    pat = Person(api, PRACTITIONER)
    assert "14:00 to 16:00" in pat.last().reads  # two hours unless an end is given
    await pat.press_on(first, "I'll come")
    moved = await board.say(f"/event {ref} 2026-12-11 09:30-11:00 Civic centre", "moved")
    assert "Everyone invited is told (3)" in moved.reads
    news = await api.wait_for_message(PRACTITIONER, "has moved", since=0)
    assert "Friday 11 December 2026, 09:30 to 11:00" in news.reads
    assert "You said you'll come" in news.reads
    stale = await pat.press_on(first, "I can't come")
    assert "has moved" in stale
    assert "can't come" in await pat.press_on(news.message_id, "I can't come")

    # The working day before, those coming are reminded.
    await pat.press_on(news.message_id, "I'll come")
    clock.set(2026, 12, 10, 10)
    app = clocked.app
    assert app is not None
    queued = await reminders.run_now(app)
    assert [r.kind for r in queued if r.ref == ref] == ["event_v2"]
    reminder = await api.wait_for_message(PRACTITIONER, "Reminder: the practitioners'", since=0)
    assert "Civic centre" in reminder.reads

    # /mydata lists the invitation; /forget takes away one not answered (the police lead's).
    mine = await pat.say("/mydata", "What the bot holds about you")
    assert f"{ref} (Health): you said you'll come" in mine.reads
    paul = Person(api, POLICE_LEAD)
    await paul.say("/forget", "Forget me")
    await paul.press("Forget me", "forgotten")
    with database(settings) as db:
        assert learning_events.invitation(db, ref, POLICE_LEAD) is None
        assert len(learning_events.invitations(db, ref)) == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        ("2026-12-07 14:00 Library", "later than now"),  # yesterday
        ("2026-12-08 09:59 Library", "later than now"),  # earlier today
        ("2026-12-09 25:00 Library", "the event is given as"),
        ("2026-12-09 2pm Library", "the event is given as"),
        ("09-12-2026 14:00 Library", "the event is given as"),
        ("2026-12-09 14:00", "the event is given as"),  # no place
        ("2026-12-09 14:00-13:00 Library", "end must be after the start"),
        ("invite Fire service", "is not one of the agencies"),
    ],
)
async def test_bad_event_input_is_refused_and_nothing_is_lost(
    api: LocalBotAPI,
    clocked: Running,
    settings: Settings,
    clock: Clock,
    board: Person,
    args: str,
    said: str,
) -> None:
    ref = _review(settings, clock)
    await board.say(f"/event {ref} 2026-12-09 10:00 Library", "scheduled")
    reply = await board.say(f"/event {ref} {args}", said)
    assert said in reply.reads
    if "invite" not in args:
        assert "/event REF YYYY-MM-DD HH:MM[-HH:MM] place" in reply.reads
    with database(settings) as db:
        event = learning_events.get_event(db, ref)
        assert event is not None and event.version == 1 and event.place == "Library"
        assert len(learning_events.invitations(db, ref)) == 3


async def test_themes_only_for_a_decided_review_and_only_from_an_officer(
    api: LocalBotAPI, clocked: Running, settings: Settings, clock: Clock, board: Person
) -> None:
    undecided = file(settings.db_path, SEVERE, clock()).ref
    refused = await board.say(f"/themes {undecided}", "themes are for a decided review")
    assert "awaiting" in refused.reads
    ref = _review(settings, clock)
    card = await board.say(f"/themes {ref}", "choose up to 3")
    assert card.button_texts[-1] == "Done" and "information sharing" in card.button_texts
    stranger = Person(api, STRANGER, BOARD)
    answer = await stranger.answer_of(api.press_button(STRANGER, BOARD, "neglect"))
    assert answer.show_alert and "Only the board's officers" in answer.reads
    with database(settings) as db:
        assert themes.themes_of(db, ref) == []

"""People's rights and who looked, over the local Bot API server: /mydata, /forget (and every
press that must not count), /case and /tor logged as views that `triage-bot audit` shows, and
the daily retention job erasing a declined referral's text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flows import database, keyboard_becomes, register
from harness import BOARD, CHAIR, OFFICER, OTHER_PRACTITIONER, PRACTITIONER, STRANGER, Person
from harness import Running as Bot
from officers_support import LOW, SEVERE, decide, file, read

from bot.cli import main
from bot.delivery import purge
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import briefs, events, plans, practitioners

DAY = dt.timedelta(days=1)
PLAN = {
    "methodology": "scie",
    "iar_agencies": [],
    "family": "yes",
    "staff": "yes",
    "panel": "na",
    "publication": "letter",
    "iar_due": "2099-04-30",
    "report_due": "2099-06-30",
    "publication_date": "2099-07-31",
    "author": "Independent reviewer",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _cells_holding(settings: Settings, user_id: int) -> list[tuple[str, str]]:
    """(table, column) of every cell that is the id, or text naming it as a whole number."""
    pattern = re.compile(rf"(?<!\d){user_id}(?!\d)")
    hits = set()
    with database(settings) as db:
        for table in db.table_names():
            for row in db.table(table).rows:
                for column, cell in row.items():
                    if cell == user_id or (isinstance(cell, str) and pattern.search(cell)):
                        hits.add((table, column))
    return sorted(hits)


def _registered(settings: Settings, user_id: int) -> bool:
    with database(settings) as db:
        return practitioners.get_practitioner(db, user_id) is not None


def _audit(settings: Settings, ref: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> str:
    monkeypatch.setenv("TRIAGE_DB", str(settings.db_path))
    monkeypatch.setenv("CHAIR_USER_IDS", str(CHAIR))
    monkeypatch.setenv("OFFICER_USER_IDS", str(OFFICER))
    capsys.readouterr()
    assert main(["audit", ref]) == 0
    return str(capsys.readouterr().out)


async def test_mydata_tells_a_practitioner_what_is_held(
    api: LocalBotAPI, running: Bot, settings: Settings, pat: Person
) -> None:
    await register(pat, settings, "Police")  # also begins a check: a draft
    now = _now()
    waiting = file(settings.db_path, SEVERE, now - 2 * DAY)
    declined = file(settings.db_path, LOW, now - 3 * DAY)
    decide(settings.db_path, declined.ref, now - DAY, "declined", "no learning")
    file(settings.db_path, LOW, now, referrer=OTHER_PRACTITIONER)

    text = (await pat.say("/mydata", expect="What the bot holds about you")).reads
    assert f"registered on {now:%d %b %Y} for Police" in text
    assert "Role: practitioner" in text
    assert "Your referrals (2)" in text
    assert f"{waiting.ref}: awaiting the chair" in text and f"{declined.ref}: no review" in text
    assert "An unfinished check" in text and "72 hours" in text
    assert "12 months" in text and "6 years" in text and "/forget" in text

    stranger = Person(api, STRANGER)
    other = (await stranger.say("/mydata", expect="What the bot holds")).reads
    assert "you are not registered" in other and "Your referrals: none" in other


async def test_forget_unties_the_practitioner_and_only_their_own_press_counts(
    api: LocalBotAPI, running: Bot, settings: Settings, pat: Person, board: Person
) -> None:
    await register(pat, settings)
    check = pat.last()  # the check's first question, with its buttons
    referral = file(settings.db_path, SEVERE, _now() - DAY)
    assert _cells_holding(settings, PRACTITIONER)

    ask = await pat.say("/forget", expect="Forget me?")
    assert ask.button_texts == ["Forget me", "Keep"]
    assert "1 referral stays with the board" in ask.reads

    someone_else = Person(api, STRANGER, PRACTITIONER)  # a press on Pat's message by another
    assert "not valid" in await someone_else.press_on(ask.message_id, "Forget me")
    assert "not valid" in await pat.press_data(ask.message_id, f"f:{OTHER_PRACTITIONER}:go")
    assert "not valid" in await pat.press_data(ask.message_id, "f:1001:gone")
    queue = await board.say("/queue", expect="Queue")
    in_group = Person(api, PRACTITIONER, BOARD)  # Pat's own data, pressed outside Pat's chat
    assert "not valid" in await in_group.press_data(queue.message_id, f"f:{PRACTITIONER}:go")
    assert _registered(settings, PRACTITIONER)

    assert await pat.press_on(ask.message_id, "Forget me") == ""
    done = await keyboard_becomes(api, PRACTITIONER, ask.message_id, [])
    assert "you are forgotten" in done.reads
    assert "1 referral now carries a pseudonym" in done.reads
    assert _cells_holding(settings, PRACTITIONER) == []
    assert api.message(PRACTITIONER, check.message_id).button_texts == []  # the draft's question

    stored = read(settings.db_path, referral.ref)
    assert stored.referrer_id < -(2**53) and stored.description == referral.description
    record = (await board.say(f"/case {referral.ref}", expect="Event log")).reads
    assert re.search(r"forgotten-[0-9a-f]+ · filed", record)

    after = (await pat.say("/mydata", expect="What the bot holds")).reads
    assert "you are not registered" in after and "Your referrals: none" in after
    again = await pat.say("/forget")
    assert "holds nothing about you" in again.reads and again.button_texts == []


async def test_mydata_lists_the_briefs_received_and_read_and_forget_keeps_reads_as_counts(
    api: LocalBotAPI, running: Bot, settings: Settings, pat: Person
) -> None:
    await register(pat, settings, "Police")
    now = _now()
    refs = [file(settings.db_path, LOW, now - DAY, referrer=OTHER_PRACTITIONER).ref for _ in "ab"]
    with database(settings) as db:  # written and approved (the group's flow: tests/bot/test_briefs)
        for ref in refs:
            briefs.start_brief(db, ref, "what_happened", (), OFFICER, now)
            texts = {k: f"Kettlethorn {k}" for k in briefs.SECTIONS}
            briefs.save_sections(db, ref, "done", texts, True, now)
            assert briefs.approve(db, ref, CHAIR, now) == 1

    def read_buttons() -> dict[str, int] | None:
        found = {
            ref: m.message_id
            for m in api.bot_messages(PRACTITIONER)
            if m.button_texts == ["Read it", "Get the document"]
            for ref in refs
            if ref in m.reads
        }
        return found if len(found) == 2 else None

    sent = await api.wait_for(read_buttons, 15.0, what="both briefs with their Read it button")
    assert "your reading is counted" in await pat.press_on(sent[refs[1]], "Read it")
    await pat.say("/briefs off", expect="no more learning briefs")

    text = (await pat.say("/mydata", expect="What the bot holds about you")).reads
    assert "Learning briefs: you turned them off (/briefs on" in text
    assert "Sent to you: 2, marked read: 1" in text
    day = r"\d\d \w{3} \d{4}"
    assert re.search(rf"{refs[0]}: sent {day}, not marked read", text), text
    assert re.search(rf"{refs[1]}: sent {day}, read {day}\n", text), text
    assert "Kettlethorn" not in text  # a reference and dates, not the brief

    ask = await pat.say("/forget", expect="Forget me?")
    assert "learning brief you marked read still counts" in ask.reads
    await pat.press_on(ask.message_id, "Forget me")
    done = await keyboard_becomes(api, PRACTITIONER, ask.message_id, [])
    assert "Your 1 read of learning briefs counts only under the pseudonym" in done.reads
    assert _cells_holding(settings, PRACTITIONER) == []
    with database(settings) as db:
        assert (briefs.reach(db, refs[1]).read, briefs.reach(db, refs[0]).sent) == (1, 1)
        assert briefs.reach(db, refs[1]).by_agency == (("Police", 1, 1),)
    after = (await pat.say("/mydata", expect="What the bot holds")).reads
    assert "Learning briefs" not in after and "you are not registered" in after


async def test_keep_changes_nothing(api: LocalBotAPI, running: Bot, settings: Settings) -> None:
    pat = Person(api, PRACTITIONER)
    await register(pat, settings)
    ask = await pat.say("/forget", expect="Forget me?")
    await pat.press_on(ask.message_id, "Keep")
    kept = await keyboard_becomes(api, PRACTITIONER, ask.message_id, [])
    assert "Kept: nothing was changed." in kept.reads
    assert _registered(settings, PRACTITIONER)


async def test_the_boards_people_cannot_forget_themselves(
    api: LocalBotAPI, running: Bot, chair: Person
) -> None:
    reply = await chair.say("/forget")
    assert "accountable record" in reply.reads and reply.button_texts == []
    officer = Person(api, OFFICER)
    answer = await officer.say("/forget")
    assert "board's officer" in answer.reads


async def test_case_and_tor_are_logged_as_views_once_a_day_and_audit_shows_them(
    api: LocalBotAPI,
    running: Bot,
    settings: Settings,
    board: Person,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    now = _now()
    referral = decide(settings.db_path, file(settings.db_path, LOW, now - DAY).ref, now)
    with database(settings) as db:
        plans.save_plan(db, referral.ref, "done", PLAN, OFFICER, now)

    await board.say(f"/case {referral.ref}", expect="Event log")
    await board.say(f"/case {referral.ref}", expect="Event log")
    chair_in_group = Person(api, CHAIR, BOARD)
    await chair_in_group.say(f"/tor {referral.ref}")
    await board.say(f"/tor {referral.ref}")

    def issued_twice() -> bool:
        with database(settings) as db:
            return len(events.events_by(db, OFFICER, "tor")) == 1 and bool(
                events.events_by(db, CHAIR, "tor")
            )

    await api.wait_for(issued_twice, 8.0, what="both ToR documents issued")
    out = _audit(settings, referral.ref, monkeypatch, capsys)
    views = [line for line in out.splitlines() if "  viewed: " in line]
    assert len(views) == 2, out  # once a person a day, whichever way they looked
    assert f"officer {OFFICER}" in views[0] and views[0].endswith("viewed: /case")
    assert f"chair {CHAIR}" in views[1] and views[1].endswith("viewed: /tor")
    assert f"practitioner {PRACTITIONER}" in out and "filed: grade low" in out
    assert "tor: Terms of Reference issued" in out


async def test_the_daily_job_erases_a_declined_referrals_text(
    api: LocalBotAPI, running: Bot, settings: Settings, board: Person
) -> None:
    app = running.app
    assert app is not None and app.job_queue is not None
    assert app.job_queue.get_jobs_by_name("retention")  # the daily run is scheduled
    now = _now()
    old = file(settings.db_path, LOW, now - 400 * DAY, description="Wistlebury old account")
    decide(settings.db_path, old.ref, now - 390 * DAY, "declined", "Crowmarsh reason")
    recent = file(settings.db_path, LOW, now - 20 * DAY, description="Pellingford new account")
    decide(settings.db_path, recent.ref, now - 10 * DAY, "declined", "not yet")

    app.job_queue.run_once(purge.purge_job, 0.0, name="retention-test")

    def erased() -> bool:
        return read(settings.db_path, old.ref).description.startswith("erased under")

    await api.wait_for(erased, 8.0, what="the old referral erased")
    record = (await board.say(f"/case {old.ref}", expect="Event log")).reads
    assert "Wistlebury" not in record and "Crowmarsh" not in record
    assert "erased under the retention schedule on" in record
    assert "system · erased: declined on" in record
    assert read(settings.db_path, recent.ref).description == "Pellingford new account"

"""SPEC §9 over the local Bot API server: the plan's period under review and key lines of
enquiry (bad forms refused and asked again, a plan stored before them carrying on), `/tor`
showing both, and the Terms of Reference agreed by the review panel: sent back with a reason
to the group, changed with `/plan` and sent again, the old card refused, agreed, then fixed;
under Working Together 2023 all three partners agree; a stranger's press refused and logged."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from filed import database
from harness import (
    BOARD,
    CHAIR,
    ICB_LEAD,
    LA_LEAD,
    OFFICER,
    PARTNERS,
    POLICE_LEAD,
    STRANGER,
    Bots,
    Person,
    Running,
)
from officers_support import CATASTROPHIC, decide, file

from bot.delivery import keyboards
from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import events, plans, terms

PERIOD = "2025-09-01 to 2026-02-28"
BEFORE_THE_PERIOD = {  # a plan stored before the two questions were asked of it
    "methodology": "scie",
    "iar_agencies": ["Health", "Police"],
    "family": "yes",
    "staff": "yes",
    "panel": "yes",
    "publication": "short",
}
DATES = {"iar_due": "2099-03-31", "report_due": "2099-06-30", "publication_date": "2099-09-01"}
COMPLETE_BUT_THE_AUTHOR = {
    **BEFORE_THE_PERIOD,
    "period": PERIOD,
    "enquiry": ["Why was the nursery's worry not shared?"],
    **DATES,
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _planned(db_path: Path, state: str, answers: dict[str, object]) -> str:
    """An approved catastrophic referral whose plan is stored at `state` with `answers`."""
    referral = file(db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(db_path, referral.ref, _now())
    with database(db_path) as db:
        plans.save_plan(db, referral.ref, state, answers, OFFICER, _now())
    return referral.ref


def _details(settings: Settings, ref: str, action: str) -> list[str]:
    with database(settings.db_path) as db:
        return [e.detail for e in events.events_for(db, ref) if e.action == action]


async def _card(api: LocalBotAPI, member: int, version: int) -> Msg:
    """The panel member's card of `version`, once it (and its document after it) arrived."""

    def found() -> Msg | None:
        cards = [
            m
            for m in api.bot_messages(member)
            if f"(version {version})" in m.reads and m.button_texts
        ]
        documents = [m for m in api.bot_messages(member) if m.file_id is not None]
        return cards[-1] if cards and len(documents) >= version else None

    return await api.wait_for(found, 10, what=f"the terms card, version {version}")


async def _buttons_go(api: LocalBotAPI, member: int, card: Msg) -> None:
    """Wait until `card` is edited to have no buttons."""

    def gone() -> bool:
        shown = api.message(member, card.message_id)
        return shown is not None and shown.button_texts == []

    await api.wait_for(gone, 10, what="the card without its buttons")


async def _complete(board: Person, ref: str) -> Msg:
    await board.say(f"/plan {ref}", expect="author")
    return await board.say("Independent reviewer", expect="complete")


async def test_the_period_and_the_lines_of_enquiry_are_asked_then_shown_in_the_terms(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    ref = _planned(settings.db_path, "iar_due", BEFORE_THE_PERIOD)  # stored mid-way, before them
    asked = await board.say(f"/plan {ref}", expect="period under review")
    assert asked.reply_markup is not None
    assert asked.reply_markup["input_field_placeholder"] == "YYYY-MM-DD to YYYY-MM-DD"
    one_date = await board.say("2025-09-01", expect="YYYY-MM-DD to YYYY-MM-DD")
    assert "Please type the period under review as YYYY-MM-DD to YYYY-MM-DD" in one_date.reads
    reversed_ = await board.say("2026-02-28 to 2025-09-01", expect="before its end")
    assert "YYYY-MM-DD to YYYY-MM-DD, the earlier date first" in reversed_.reads
    later = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    future = await board.say(f"2025-09-01 to {later}", expect="no later than today")
    assert "YYYY-MM-DD to YYYY-MM-DD" in future.reads
    with database(settings.db_path) as db:
        stored = plans.get_plan(db, ref)
    assert stored is not None and "period" not in stored.answers  # nothing lost, nothing kept

    await board.say(PERIOD, expect="key lines of enquiry")
    eleven = "\n".join(f"Line of enquiry {n}" for n in range(1, 12))
    refused = await board.say(eleven, expect="at most 10")
    assert "That is 11 lines" in refused.reads
    due = await board.say(
        "Why was the nursery's worry not shared?\nWas the GP on 07700 900123 told?",
        expect="due",
    )
    assert "individual agency reviews" in due.reads
    assert "phone number" in "\n".join(api.bot_texts(BOARD))  # told what was removed
    phrases = ("completed report", "publication date", "author")
    for date, phrase in zip(DATES.values(), phrases, strict=True):
        await board.say(date, expect=phrase)
    done = await board.say("Independent reviewer", expect="complete")
    assert f"Period under review: {PERIOD}" in done.reads
    assert "Key lines of enquiry: Why was the nursery's worry not shared?; Was the GP" in (
        done.reads
    )
    with database(settings.db_path) as db:
        stored = plans.get_plan(db, ref)
    assert stored is not None and stored.state == "done"
    assert stored.answers["period"] == PERIOD  # its dates read before the intake: not redacted
    assert stored.answers["enquiry"] == [
        "Why was the nursery's worry not shared?",
        "Was the GP on [REDACTED] told?",
    ]
    assert stored.answers["iar_due"] == "2099-03-31"  # the answers it had are kept

    since = api.mark()
    await board.say(f"/tor {ref}")
    await api.wait_for(lambda: _details(settings, ref, "tor"), what="the ToR issued")
    (sent,) = [
        c
        for c in api.calls("sendDocument", since=since)
        if c.params["chat_id"] == BOARD and c.result["document"]["file_name"].endswith(".html")
    ]
    page = html.unescape(api.file_bytes(sent.result["document"]["file_id"]).decode())
    assert "Period under review" in page
    assert "From 01 September 2025 to 28 February 2026" in page
    assert "Key lines of enquiry" in page and "Was the GP on [REDACTED] told?" in page
    assert "A time frame agreed by the commissioning group" in page  # the item it answers


async def test_the_panel_sends_the_terms_back_then_agrees_a_changed_version(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    ref = _planned(settings.db_path, "author", COMPLETE_BUT_THE_AUTHOR)
    done = await _complete(board, ref)
    assert "gone to the review panel to agree (1 member)" in done.reads
    first = await _card(api, CHAIR, 1)
    assert first.button_texts == ["Agree terms", "Send back"]
    assert f"Period under review: {PERIOD}" in first.reads
    assert "Why was the nursery's worry not shared?" in first.reads

    stranger = Person(api, STRANGER)
    helped = await stranger.say("/help")
    forged = await stranger.alert(helped.message_id, keyboards.terms_data(ref, 1, "ok"))
    assert forged.show_alert and "Only the review panel" in forged.reads
    assert _details(settings, ref, "refused") == ["terms button refused: not on the panel"]

    await chair.press_on(first.message_id, "Send back")
    await api.wait_for_message(CHAIR, "Why are the Terms of Reference", since=0)
    told = await chair.say("The period should start at the first referral, in 2025-06.")
    assert "sent back to the board" in told.reads
    back = await api.wait_for_message(BOARD, "sent back", timeout=10, since=0)
    assert f"Terms of Reference for {ref} (version 1) were sent back by Chris" in back.reads
    assert "The period should start at the first referral" in back.reads
    await _buttons_go(api, CHAIR, first)
    with database(settings.db_path) as db:
        assert terms.agreed_at(db, ref) is None

    changes = await board.say(f"/plan {ref}", expect="change an answer")
    assert "Key lines of enquiry" in changes.button_texts
    assert changes.button_texts[-1] == "Back to summary"
    await board.press("Period under review", expect="period under review")
    again = await board.say("2025-06-01 to 2026-02-28", expect="complete")
    assert "version 2" in again.reads and "earlier cards no longer count" in again.reads
    second = await _card(api, CHAIR, 2)
    assert "2025-06-01 to 2026-02-28" in second.reads

    stale = await chair.alert(first.message_id, keyboards.terms_data(ref, 1, "ok"))
    assert stale.show_alert and "no longer the ones with the panel" in stale.reads
    with database(settings.db_path) as db:
        assert terms.agreed_at(db, ref) is None  # the old card's press changed nothing

    await chair.press_on(second.message_id, "Agree terms")
    agreed = await api.wait_for_message(BOARD, "are agreed", timeout=10, since=0)
    assert f"Terms of Reference for {ref} (version 2) are agreed by Chris" in agreed.reads
    with database(settings.db_path) as db:
        assert terms.agreed_at(db, ref) is not None
    assert _details(settings, ref, "terms")[-1] == "terms of reference version 2 agreed"

    fixed = await board.say(f"/plan {ref}", expect="fixed")
    assert "agreed by the review panel" in fixed.reads and f"/note {ref}" in fixed.reads
    with database(settings.db_path) as db:
        plan = plans.get_plan(db, ref)
    assert plan is not None and plan.state == "done"


async def test_under_wt2023_all_three_partners_agree_the_terms(
    api: LocalBotAPI, bots: Bots
) -> None:
    settings = bots.settings(MATRIX="wt2023", PARTNER_USER_IDS=PARTNERS)
    await bots.start(settings)
    board = Person(api, OFFICER, BOARD)
    ref = _planned(settings.db_path, "author", COMPLETE_BUT_THE_AUTHOR)
    done = await _complete(board, ref)
    assert "(3 members, all of whom must agree)" in done.reads
    shown = {lead: await _card(api, lead, 1) for lead in (LA_LEAD, ICB_LEAD, POLICE_LEAD)}
    assert "All three safeguarding partners must agree" in shown[LA_LEAD].reads

    chair = Person(api, CHAIR)  # not on the panel under wt2023
    helped = await chair.say("/help")
    refused = await chair.alert(helped.message_id, keyboards.terms_data(ref, 1, "ok"))
    assert "Only the review panel" in refused.reads

    lara = Person(api, LA_LEAD)
    counted = await lara.press_on(shown[LA_LEAD].message_id, "Agree terms")
    assert "Still to agree: Integrated care board, Police" in counted

    def standing() -> bool:
        ines = api.message(ICB_LEAD, shown[ICB_LEAD].message_id)
        return ines is not None and "Agreed so far: Lara (Local authority)" in ines.reads

    await api.wait_for(standing, 10, what="Ines's card showing who agreed")
    so_far = await api.wait_for_message(BOARD, "agreed so far", timeout=10, since=0)
    assert "agreed so far by Lara (Local authority)" in so_far.reads
    assert "Still to agree: Integrated care board, Police" in so_far.reads
    again = await lara.press_on(shown[LA_LEAD].message_id, "Agree terms")
    assert "already answered" in again
    await Person(api, ICB_LEAD).press_on(shown[ICB_LEAD].message_id, "Agree terms")
    with database(settings.db_path) as db:
        assert terms.agreed_at(db, ref) is None  # two of three
    await Person(api, POLICE_LEAD).press_on(shown[POLICE_LEAD].message_id, "Agree terms")
    agreed = await api.wait_for_message(BOARD, "are agreed", timeout=10, since=0)
    assert (
        "agreed by Lara (Local authority), Ines (Integrated care board), Paul (Police)"
        in agreed.reads
    )
    for lead, card in shown.items():
        await _buttons_go(api, lead, card)

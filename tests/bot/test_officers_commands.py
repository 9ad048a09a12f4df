"""Officers' commands in the board group, over the local Bot API server: /queue (paged), /case,
/note, /ask (answer back to the group), /invite, /status, /stats, and every refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from harness import BOARD, CHAIR, OFFICER, PRACTITIONER, STRANGER, Person, Running
from officers_support import CATASTROPHIC, LOW, SEVERE, decide, file, read

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import events, inputs, plans, practitioners, referrals
from storage.db import open_db

DAY = dt.timedelta(days=1)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _events(settings: Settings, ref: str | None, action: str | None = None) -> list[events.Event]:
    db = open_db(settings.db_path)
    try:
        if ref is None:
            found = [
                e
                for user in (STRANGER, OFFICER)
                for e in events.events_by(db, user)
                if e.ref is None
            ]
        else:
            found = events.events_for(db, ref)
        return [e for e in found if action is None or e.action == action]
    finally:
        db.conn.close()


def _awaited(settings: Settings, user_id: int) -> bool:
    db = open_db(settings.db_path)
    try:
        return inputs.awaited(db, user_id) is not None
    finally:
        db.conn.close()


async def test_queue_urgent_on_top_then_oldest_paged(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    now = _now()
    filed = [file(settings.db_path, LOW, now - (12 - i) * DAY) for i in range(10)]
    urgent = file(settings.db_path, SEVERE, now - DAY, urgent=True)
    declined = filed[0]
    decide(settings.db_path, declined.ref, now, "declined", "no learning identified")

    page = await board.say("/queue", expect="Queue")
    text = page.reads
    lines = [line for line in text.splitlines() if "LIR-" in line]
    assert len(lines) == 8
    assert lines[0].startswith("🔴 URGENT") and urgent.ref in lines[0]
    assert "Severe" in lines[0] and "awaiting the chair" in lines[0] and "1 day" in lines[0]
    assert filed[1].ref in lines[1] and "11 days" in lines[1] and "Low" in lines[1]
    assert declined.ref not in text  # declined is not open
    assert "10 open referrals" in text and "page 1 of 2" in text
    assert page.button_texts == ["Next »"]

    answer = await board.press_on(page.message_id, "Next »")
    assert answer == ""
    second = api.message(BOARD, page.message_id)
    assert second is not None and "page 2 of 2" in second.reads
    assert filed[-1].ref in second.reads and second.button_texts == ["« Previous"]

    stranger = Person(api, STRANGER, BOARD)
    alert = await stranger.press_on(page.message_id, "« Previous")
    assert "board officers and the chair only" in alert
    assert _events(settings, None, "refused")[-1].detail.startswith("queue page refused")
    still = api.message(BOARD, page.message_id)
    assert still is not None and "page 2 of 2" in still.reads

    forged = await board.press_data(page.message_id, "g:x1")
    assert "not valid" in forged


def _shown(api: LocalBotAPI, message_id: int) -> list[str]:
    """The references a queue message lists, in order."""
    message = api.message(BOARD, message_id)
    assert message is not None
    return re.findall(r"LIR-\d{4}-\d{4}", message.reads.split("Queue")[-1])


async def test_queue_pages_follow_the_referrals_shown_as_they_are_decided(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    now = _now()
    refs = [file(settings.db_path, LOW, now - (30 - i) * DAY).ref for i in range(20)]
    page = await board.say("/queue", expect="Queue")
    assert _shown(api, page.message_id) == refs[:8] and "page 1 of 3" in page.reads
    next_button = page.buttons[0]
    assert next_button.callback_data == f"g:1:n:{refs[7]}"  # the page after the last shown

    # the last one shown and one on the next page are decided before Next is pressed: the next
    # page starts right after the place of the last shown, and skips the decided one
    decide(settings.db_path, refs[7], now, "declined", "no learning identified")
    decide(settings.db_path, refs[9], now, "declined", "no learning identified")
    assert await board.press_on(page.message_id, "Next »") == ""
    assert _shown(api, page.message_id) == [refs[8], *refs[10:17]]
    second = api.message(BOARD, page.message_id)
    assert second is not None and "18 open referrals" in second.reads
    assert "page 2 of 3" in second.reads and second.button_texts == ["« Previous", "Next »"]

    await board.press_on(page.message_id, "Next »")  # the last page: only Previous
    last = api.message(BOARD, page.message_id)
    assert last is not None and "page 3 of 3" in last.reads
    assert _shown(api, page.message_id) == refs[17:] and last.button_texts == ["« Previous"]

    await board.press_on(page.message_id, "« Previous")
    assert _shown(api, page.message_id) == [refs[8], *refs[10:17]]
    await board.press_on(page.message_id, "« Previous")  # back at the first: its clocks, Next
    first = api.message(BOARD, page.message_id)
    assert first is not None and "page 1 of 3" in first.reads
    assert _shown(api, page.message_id) == [*refs[:7], refs[8]]
    assert first.button_texts == ["Next »"]


async def test_queue_page_buttons_past_the_end_older_or_forged(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    now = _now()
    refs = [file(settings.db_path, LOW, now - (30 - i) * DAY).ref for i in range(12)]
    page = await board.say("/queue", expect="Queue")
    for ref in refs[8:]:  # everything after the first page is decided: Next shows the last page
        decide(settings.db_path, ref, now, "declined", "no learning identified")
    await board.press_on(page.message_id, "Next »")
    shown = api.message(BOARD, page.message_id)
    assert shown is not None and "8 open referrals" in shown.reads
    assert _shown(api, page.message_id) == refs[:8] and shown.button_texts == []

    for _ in range(4):
        file(settings.db_path, LOW, now)
    # a button sent before pages carried a place still turns to its page by number
    assert await board.press_data(page.message_id, "g:1") == ""
    older = api.message(BOARD, page.message_id)
    assert older is not None and "page 2 of 2" in older.reads
    assert older.button_texts == ["« Previous"]
    assert older.buttons[0].callback_data == f"g:0:p:{_shown(api, page.message_id)[0]}"

    # a referral that never was: a clear answer, and the message stays as it was
    forged = await board.press_data(page.message_id, "g:1:n:LIR-2099-0042")
    assert "not valid" in forged
    still = api.message(BOARD, page.message_id)
    assert still is not None and still.reads == older.reads


async def test_empty_queue(running: Running, board: Person) -> None:
    message = await board.say("/queue", expect="Queue")
    assert "no open referrals" in message.reads


COMMANDS = [
    "/queue",
    "/case LIR-2026-0001",
    "/note LIR-2026-0001 a note",
    "/ask LIR-2026-0001 a question",
    "/invite Health",
    "/status LIR-2026-0001 in_review",
    "/plan LIR-2026-0001",
    "/tor LIR-2026-0001",
    "/stats",
    "/finding LIR-2026-0001 a finding",
    "/action LIR-2026-0001 Health 2030-01-01 an action",
    "/actions",
    "/done LIR-2026-0001/A1 evidence",
    "/drop LIR-2026-0001/A1 reason",
]


@pytest.mark.parametrize("command", COMMANDS)
async def test_non_officer_is_refused_politely_and_logged(
    api: LocalBotAPI, running: Running, settings: Settings, command: str
) -> None:
    stranger = Person(api, STRANGER, BOARD)
    reply = await stranger.say(command)
    name = command.split()[0]
    assert f"Sorry, {name} is for board officers and the chair only" in reply.reads
    refused = _events(settings, None, "refused")
    assert [e.actor for e in refused] == [str(STRANGER)]
    assert refused[0].detail == f"{name} refused: not an officer or chair"


async def test_commands_work_only_in_the_board_group(api: LocalBotAPI, running: Running) -> None:
    api.add_chat(-100777, "group", "Some other group")
    elsewhere = Person(api, OFFICER, -100777)
    reply = await elsewhere.say("/queue")
    assert "only in the board officers' group" in reply.reads


@pytest.mark.parametrize("command", ["/queue", "/brief", "/reach LIR-2026-0001", "/plan"])
async def test_a_board_command_in_a_private_chat_says_where_it_works(
    api: LocalBotAPI, running: Running, command: str
) -> None:
    reply = await Person(api, OFFICER).say(command)
    assert f"/{command.split()[0][1:]} works only in the board officers' group" in reply.reads
    help_reply = await Person(api, OFFICER).say("/help")  # the control: a private command
    assert "works only in the board" not in help_reply.reads


async def test_case_shows_the_whole_record(
    running: Running, settings: Settings, board: Person
) -> None:
    now = _now()
    referral = file(
        settings.db_path,
        CATASTROPHIC,
        now - 3 * DAY,
        description="Died in custody; phone [REDACTED] removed at filing.",
    )
    decide(settings.db_path, referral.ref, now - DAY)
    await board.say(f"/note {referral.ref} Spoke with the <b>designated</b> nurse", "Note added")

    record = await board.say(f"/case {referral.ref}", expect="Event log")
    text = record.reads
    assert f"{referral.ref}: approved" in text
    assert "Grade: Catastrophic" in text and "from Health" in text
    assert "Serious Case Review must be commissioned" in text  # a statutory flag
    assert "Child Death Overview Panel" in text
    assert "Matched criteria:" in text and "[Catastrophic]" in text
    assert "Review route: Serious Case Review" in text
    assert "Agencies involved: Health, Police" in text
    assert "Died in custody; phone [REDACTED] removed at filing." in text
    assert "Decision: Review approved by the chair" in text  # no name recorded: the role
    assert "awaiting the chair → approved" in text  # statuses in words
    assert "practitioner (Health) · filed" in text
    assert "note: Spoke with the <b>designated</b> nurse" in text  # shown as text, not markup
    assert str(PRACTITIONER) not in text and str(CHAIR) not in text and str(OFFICER) not in text


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/case", "Usage: /case REF"),
        ("/case nonsense", "a reference looks like LIR-2026-0001"),
        ("/case LIR-2031-0999", "There is no referral LIR-2031-0999"),
        ("/note", "Usage: /note REF text"),
        ("/note {ref}", "the note is missing"),
        ("/ask {ref}", "the question is missing"),
        ("/ask LIR-2031-0999 why?", "There is no referral LIR-2031-0999"),
        ("/status", "the reference is missing"),
        ("/status {ref}", "the new status is missing"),
        ("/status {ref} finished", "There is no status “finished”"),
        ("/plan", "Usage: /plan REF"),
        ("/tor LIR-20-1", "Usage: /tor REF"),
        ("/invite", "Usage: /invite AGENCY"),
    ],
)
async def test_bad_arguments_get_a_usage_line(
    running: Running, settings: Settings, board: Person, command: str, expected: str
) -> None:
    referral = file(settings.db_path, LOW, _now())
    reply = await board.say(command.format(ref=referral.ref))
    assert expected in reply.reads


async def test_note_is_redacted_and_logged(
    running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, LOW, _now())
    reply = await board.say(
        f"/note {referral.ref} Called the school on 07700 900123 about attendance", "Note added"
    )
    assert "phone number" in reply.reads
    notes = _events(settings, referral.ref, "note")
    assert [n.detail for n in notes] == ["Called the school on [REDACTED] about attendance"]
    assert notes[0].actor == str(OFFICER)


async def test_ask_relays_to_the_practitioner_and_the_answer_back_to_the_group(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, pat: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    await api.wait_for_message(PRACTITIONER, referral.ref, since=0)  # the receipt
    since = api.mark()
    # the board notice is edited too (now "information requested"): wait for the reply itself
    asked = f"/ask {referral.ref} Was the GP informed before discharge?"
    reply = await board.say(asked, expect="answer will come back")
    assert "answer will come back to this group" in reply.reads
    question = await api.wait_for_message(PRACTITIONER, "GP informed", since=since)
    assert referral.ref in question.reads
    await api.wait_for(lambda: _awaited(settings, PRACTITIONER), what="the awaited answer")
    assert read(settings.db_path, referral.ref).status == "info_requested"

    relayed = await pat.say("Yes, the GP was told by letter on 02/03/2026.", expect="Thank you")
    assert "this is what is kept" in relayed.reads
    assert "[REDACTED]" in relayed.reads
    mine = [m for m in api.messages(PRACTITIONER) if m.sender_id == PRACTITIONER]
    assert not any("GP was told" in m.reads for m in mine), "the typed answer left the chat"
    answer = await api.wait_for_message(BOARD, "the practitioner answered", since=since)
    assert referral.ref in answer.reads
    assert "GP was told by letter" in answer.reads
    assert read(settings.db_path, referral.ref).status == "awaiting_chair"
    assert [e.action for e in _events(settings, referral.ref)][-3:] == [
        "question",
        "answer",
        "status",
    ]


async def test_invite_gives_a_code_and_deep_link_that_registers(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, pat: Person
) -> None:
    reply = await board.say("/invite children's SOCIAL care", expect="One-time invite")
    text = reply.reads
    assert "Children's social care" in text
    assert "The practitioner opens the link" in text
    code_match = re.search(r"start=([A-Z0-9]{8})", text)
    assert code_match, text
    assert f"https://t.me/{api.bot_user['username']}?start={code_match[1]}" in text
    db = open_db(settings.db_path)
    invite = practitioners.get_invite(db, code_match[1])
    db.conn.close()
    assert invite is not None and invite.created_by == str(OFFICER)

    await pat.say(f"/start {code_match[1]}", expect="no names")
    assert "Children's social care" in " ".join(pat.texts())

    refused = await board.say("/invite Fire brigade")
    assert "“Fire brigade” is not one of the board's agencies" in refused.reads
    assert "Health, Police, Education" in refused.reads


async def test_status_follows_the_lifecycle(
    running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())

    chair_only = await board.say(f"/status {referral.ref} approved")
    assert "Only the chair decides" in chair_only.reads
    illegal = await board.say(f"/status {referral.ref} published")
    text = illegal.reads
    assert f"{referral.ref} cannot move from awaiting_chair to published" in text
    assert "approved (the chair's decision)" in text and "info_requested" in text

    decide(settings.db_path, referral.ref, _now())
    needs_plan = await board.say(f"/status {referral.ref} review-planned")
    assert f"use /plan {referral.ref}" in needs_plan.reads
    skipped = await board.say(f"/status {referral.ref} in_review")
    assert "Allowed from approved: review_planned (by completing /plan" in skipped.reads
    assert read(settings.db_path, referral.ref).status == "approved"

    db = open_db(settings.db_path)
    plans.save_plan(db, referral.ref, "done", {}, OFFICER, _now())
    referrals.set_status(db, referral.ref, "review_planned", OFFICER, "", _now())
    db.conn.close()
    moved = await board.say(f"/status {referral.ref} In-Review panel met on 0207 946 0000")
    assert "moved from review planned to in review" in moved.reads
    assert "phone number" in moved.reads
    assert read(settings.db_path, referral.ref).status == "in_review"
    last = _events(settings, referral.ref, "status")[-1]
    assert last.detail == "review_planned -> in_review: panel met on [REDACTED]"
    assert last.actor == str(OFFICER)

    for status in ("report_received", "published", "closed"):
        await board.say(f"/status {referral.ref} {status}", expect="moved from")
    final = await board.say(f"/status {referral.ref} in_review")
    assert "closed is final" in final.reads


async def test_stats(running: Running, settings: Settings, board: Person) -> None:
    now = _now()
    filed = [now - days * DAY - dt.timedelta(hours=1) for days in (1, 3, 5)]
    for moment in filed:
        referral = file(settings.db_path, LOW, moment)
        decide(settings.db_path, referral.ref, now - dt.timedelta(hours=1))
    file(settings.db_path, CATASTROPHIC, now)
    reply = await board.say("/stats", expect="Board figures")
    text = reply.reads
    this_year = 1 + sum(moment.year == now.year for moment in filed)
    assert f"Referrals this year ({now.year}): {this_year}" in text
    assert "Median days to decision: 3.0 (3 decided)" in text
    assert "approved: 3" in text and "awaiting the chair: 1" in text
    assert "Low: 3" in text and "Catastrophic: 1" in text


async def test_group_help_lists_the_commands(running: Running, board: Person) -> None:
    reply = await board.say("/help")
    for command in ("/queue", "/case", "/note", "/ask", "/status", "/plan", "/tor", "/invite"):
        assert command in reply.reads


async def test_an_edited_command_is_not_run_again(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, LOW, _now())
    update = api.send_text(OFFICER, f"/note {referral.ref} First version", BOARD)
    await api.wait_for_message(BOARD, "Note added")
    since = api.mark()
    api.edit_user_message(
        OFFICER, BOARD, update["message"]["message_id"], f"/note {referral.ref} Second version"
    )
    await board.say("/queue", expect="Queue")  # handled after the edit
    assert [m.text for m in api.bot_messages(BOARD) if m.seq > since and "Note" in m.reads] == []
    assert [e.detail for e in _events(settings, referral.ref, "note")] == ["First version"]

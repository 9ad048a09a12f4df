"""Learning briefs (SPEC §7) over the local Bot API server: `/brief REF` written in the board
group section by section, approved by the chair, sent through the outbox to every practitioner
who has not opted out exactly once, as one message with `Read it` and `Get the document` (also
across a restart with a recipient failing), the document only to those who press for it, `Read
it` counted once per person, `/reach` reporting it; and bad input on the way."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from filed import CATASTROPHIC, GOOD_PRACTICE, decide, file
from flows import database
from harness import BOARD, CHAIR, OTHER_PRACTITIONER, PRACTITIONER, STRANGER, Person, Running

from bot.settings import Settings
from dialogs.brief_questions import SECTION
from localapi import LocalBotAPI, Msg
from localapi.models import Upload
from storage import briefs, outbox, practitioners, rights
from storage.db import open_db
from storage.referrals import Referral

QUIET = 5003  # a registered practitioner who turned briefs off
TITLE = "7-minute briefing"
SECTIONS = (
    "A toddler was seen by three agencies in a month; nobody shared the nursery's worry.",
    "Bruising in a child who is not yet mobile must always be shared at once.",
    "Refer any bruising in a non-mobile child to the MASH the same day.",
    "The full report is on the board's website; training runs each quarter.",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _register(db_path: Path, people: dict[int, str]) -> None:
    db = open_db(db_path)
    try:
        for user_id, agency in people.items():
            code = practitioners.create_invite(db, agency, "cli", _now())
            practitioners.redeem_invite(db, code, user_id, _now())
    finally:
        db.conn.close()


def _briefs(api: LocalBotAPI, chat_id: int) -> list[Msg]:
    return [m for m in api.bot_messages(chat_id) if TITLE in m.reads and m.file_id is None]


def _documents(api: LocalBotAPI, chat_id: int) -> list[Msg]:
    return [m for m in api.bot_messages(chat_id) if m.file_id is not None]


BUTTONS = ["Read it", "Get the document"]  # on the brief's one message (SPEC §7)


def _delivered(api: LocalBotAPI, chat_id: int) -> list[Msg]:
    """The brief's message with its buttons, once it reached `chat_id`."""
    return [m for m in api.bot_messages(chat_id) if m.button_texts == BUTTONS]


async def _get_document(api: LocalBotAPI, chat_id: int) -> Msg:
    """The practitioner presses `Get the document` on their brief; the document they get."""
    [brief] = await api.wait_for(lambda: _delivered(api, chat_id), 15, what="the brief")
    answer = await Person(api, chat_id).press_on(brief.message_id, "Get the document")
    assert "Here is the brief as a document" in answer
    [document] = await api.wait_for(lambda: _documents(api, chat_id), 15, what="the document")
    return document


def _uploads(api: LocalBotAPI) -> list[object]:
    """The documents the bot uploaded (rather than sent by a file id), accepted."""
    calls = api.calls("sendDocument")
    return [c for c in calls if c.ok and isinstance(c.params.get("document"), Upload)]


async def _write_brief(
    api: LocalBotAPI,
    board: Person,
    ref: str,
    command: str = "",
    sections: tuple[str, ...] = SECTIONS,
) -> None:
    prompt = await board.say(command or f"/brief {ref}", expect="What happened")
    assert ref in prompt.reads
    for section, phrase in zip(
        sections,
        ("What we learned", "What to do now", "Find out more", "gone to the chair"),
        strict=True,
    ):
        await board.say(section, expect=phrase)


async def _approve(api: LocalBotAPI, chair: Person, ref: str) -> None:
    card = await api.wait_for(
        lambda: next((m for m in api.bot_messages(CHAIR) if m.button_texts), None),
        10,
        what="the brief's card",
    )
    assert card.button_texts == ["Approve brief", "Send back"]
    since = api.mark()
    chair.api.press_button(CHAIR, CHAIR, "Approve brief", message_id=card.message_id)
    await api.wait_for_message(BOARD, "is approved", since=since, timeout=10)


async def _two_and_one_quiet(api: LocalBotAPI, settings: Settings) -> tuple[Person, Referral]:
    """Pat (Health) and Sam (Police) take briefs, Quinn (Health) turned them off; an approved
    referral to brief on."""
    api.add_user(QUIET, "Quinn")
    _register(
        settings.db_path, {PRACTITIONER: "Health", OTHER_PRACTITIONER: "Police", QUIET: "Health"}
    )
    quiet = Person(api, QUIET)
    assert "no more learning briefs" in (await quiet.say("/briefs off")).reads
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    return quiet, referral


async def test_an_approved_brief_reaches_each_practitioner_once_and_is_counted(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    _, referral = await _two_and_one_quiet(api, settings)
    ref = referral.ref

    refused = await board.say(f"/brief {ref}", expect="What happened")
    too_long = await board.say("x" * (SECTION + 1), expect=str(SECTION))
    assert f"{SECTION + 1} characters" in too_long.reads
    await _write_brief(api, board, ref)
    assert refused.message_id  # the first prompt; the brief was begun again
    await _approve(api, chair, ref)

    for person in (PRACTITIONER, OTHER_PRACTITIONER):
        await api.wait_for(lambda p=person: _delivered(api, p), 15, what="the brief")
        sent = _briefs(api, person)
        assert len(sent) == 1  # one message: the text with its two buttons
        text = "\n".join(api.bot_texts(person))
        assert all(section in text for section in SECTIONS)
        assert _documents(api, person) == []  # the document only on request
    assert _briefs(api, QUIET) == []
    assert api.calls("sendDocument") == []
    for person in (PRACTITIONER, OTHER_PRACTITIONER):
        await _get_document(api, person)
        assert len(_documents(api, person)) == 1
    assert len(_uploads(api)) == 1  # uploaded once, then sent by the file id Telegram gave it
    assert (
        len({m.file_id for p in (PRACTITIONER, OTHER_PRACTITIONER) for m in _documents(api, p)})
        == 1
    )

    pat = Person(api, PRACTITIONER)
    last = _delivered(api, PRACTITIONER)
    assert len(last) == 1
    assert "already counted" in await pat.press_on(last[0].message_id, "Read it")  # the document

    reach = await board.say(f"/reach {ref}", expect="Sent to")
    assert "Sent to 2, read by 2 (100%)" in reach.reads  # asking for the document is reading
    assert "Health: Sent to 1, read by 1 (100%)" in reach.reads
    assert "Police: Sent to 1, read by 1 (100%)" in reach.reads


async def test_a_restart_midway_sends_nobody_the_brief_twice(
    api: LocalBotAPI, settings: Settings, board: Person, chair: Person
) -> None:
    _register(settings.db_path, {PRACTITIONER: "Health", OTHER_PRACTITIONER: "Police"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    first = Running(settings)
    await first.start()
    try:
        api.fail_for("sendMessage", 60, chat_id=OTHER_PRACTITIONER)  # Sam's row keeps failing
        await _write_brief(api, board, referral.ref, f"/brief {referral.ref} health police")
        await _approve(api, chair, referral.ref)
        await api.wait_for(lambda: _delivered(api, PRACTITIONER), 15, what="Pat's brief")
        assert _briefs(api, OTHER_PRACTITIONER) == []  # still owed when the bot stops
    finally:
        await first.stop()
    api.clear_faults()
    second = Running(settings)
    await second.start()
    try:
        await api.wait_for(lambda: _delivered(api, OTHER_PRACTITIONER), 30, what="Sam's brief")
        await board.say(f"/reach {referral.ref}", expect="Sent to 2")
        assert len(_briefs(api, PRACTITIONER)) == 1 and len(_briefs(api, OTHER_PRACTITIONER)) == 1
    finally:
        await second.stop()


async def test_bad_input_is_answered_clearly(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, pat: Person
) -> None:
    undecided = file(settings.db_path, CATASTROPHIC, _now())
    said = await board.say(f"/brief {undecided.ref}", expect="not approved")
    assert undecided.ref in said.reads
    await board.say("/brief LIR-2026-9999", expect="LIR-2026-9999")
    decide(settings.db_path, undecided.ref, _now())
    await board.say(f"/brief {undecided.ref} Nowhere", expect="not one of the board's agencies")
    await board.say(f"/reach {undecided.ref}", expect="no approved learning brief")
    _register(settings.db_path, {PRACTITIONER: "Health"})
    hello = await pat.say("/briefs", expect="Usage")
    gone = await pat.alert(hello.message_id, f"r:{undecided.ref}")
    assert "no longer exists" in gone.reads


async def test_a_brief_sent_back_is_told_with_its_reason_and_written_again(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    _register(settings.db_path, {PRACTITIONER: "Health"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    ref = referral.ref
    await _write_brief(api, board, ref)
    card = await api.wait_for(
        lambda: next((m for m in api.bot_messages(CHAIR) if m.button_texts), None),
        10,
        what="the brief's card",
    )
    since = api.mark()
    api.press_button(CHAIR, CHAIR, "Send back", message_id=card.message_id)
    await api.wait_for_message(CHAIR, "Why is the learning brief", since=since, timeout=10)
    since = api.mark()
    api.send_text(CHAIR, "Too long; ring 07700 900123 for the detail")
    told = await api.wait_for_message(BOARD, "sent back", since=since, timeout=10)
    assert "Too long" in told.reads and "07700" not in told.reads
    assert f"/brief {ref}" in told.reads
    decided = api.message(CHAIR, card.message_id)
    assert decided is not None and decided.button_texts == [] and "sent back" in decided.reads
    assert _briefs(api, PRACTITIONER) == []  # nothing went out
    await _write_brief(api, board, ref)  # written again, and approved this time
    await _approve(api, chair, ref)
    await api.wait_for(lambda: _delivered(api, PRACTITIONER), 15, what="Pat's brief")
    assert len(_briefs(api, PRACTITIONER)) == 1
    await board.say(f"/brief {ref}", expect="already approved")


async def test_a_failure_after_the_first_part_resumes_at_the_message_that_failed(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """A brief too long for one message goes as two parts from one outbox row (the buttons on
    the second): Telegram's flood control on the second part, then an outage on it, and the row
    resumes each time at the message that failed; the first part is never sent again."""
    _register(settings.db_path, {OTHER_PRACTITIONER: "Police"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    long = tuple(f"{s} " * (SECTION // (len(s) + 1)) for s in SECTIONS)
    api.delay("sendMessage", 0.0, chat_id=OTHER_PRACTITIONER)  # the first part goes
    api.fail("sendMessage", 429, retry_after=1, chat_id=OTHER_PRACTITIONER)  # the second: wait
    api.fail("sendMessage", 502, chat_id=OTHER_PRACTITIONER)  # then Telegram down
    await _write_brief(api, board, referral.ref, sections=long)
    await _approve(api, chair, referral.ref)

    await api.wait_for(lambda: _delivered(api, OTHER_PRACTITIONER), 20, what="the last part")
    sent = api.bot_messages(OTHER_PRACTITIONER)
    texts = [m.reads for m in sent]
    assert len(sent) == 2 and TITLE in texts[0] and _documents(api, OTHER_PRACTITIONER) == []
    assert all(section.strip() in "".join(texts) for section in long)
    assert not any("may repeat" in text for text in texts)
    refused = [c for c in api.calls(chat_id=OTHER_PRACTITIONER) if not c.ok]
    assert [(c.method, c.status) for c in refused] == [("sendMessage", 429), ("sendMessage", 502)]
    read_it = _delivered(api, OTHER_PRACTITIONER)
    assert [m.message_id for m in read_it] == [sent[1].message_id]


async def test_a_file_id_telegram_refuses_is_dropped_and_the_document_uploaded_again(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """The brief's document is uploaded for the first practitioner who asks for it; for the
    second, Telegram refuses the file id (as it would one it no longer knows): the bot uploads
    it again in the same send, and both get it once."""
    _register(settings.db_path, {PRACTITIONER: "Health", OTHER_PRACTITIONER: "Police"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    wrong = "Bad Request: wrong file identifier/HTTP URL specified"
    api.fail("sendDocument", 400, description=wrong, chat_id=OTHER_PRACTITIONER)
    await _write_brief(api, board, referral.ref)
    await _approve(api, chair, referral.ref)
    for person in (PRACTITIONER, OTHER_PRACTITIONER):
        await _get_document(api, person)
    assert [len(_documents(api, p)) for p in (PRACTITIONER, OTHER_PRACTITIONER)] == [1, 1]
    [refused] = [c for c in api.calls("sendDocument") if not c.ok]
    assert isinstance(refused.params.get("document"), str)  # it was sent by the file id
    assert len(_uploads(api)) == 2


async def test_a_practitioner_forgotten_while_their_brief_goes_gets_no_more_of_it(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """/forget lands while the first part of a long brief is in flight to that practitioner: the
    row is given up and the rest of it (the second part) is never sent."""
    _register(settings.db_path, {OTHER_PRACTITIONER: "Police"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    long = tuple(f"{s} " * (SECTION // (len(s) + 1)) for s in SECTIONS)
    api.delay("sendMessage", 2.0, chat_id=OTHER_PRACTITIONER)  # the first part, held 2 s
    await _write_brief(api, board, referral.ref, sections=long)
    await _approve(api, chair, referral.ref)
    await api.wait_for(lambda: api.pending_faults() == 0 or None, 10, what="the send")
    with database(settings) as db:
        rights.forget(db, OTHER_PRACTITIONER, _now())
    await api.wait_for(lambda: api.bot_messages(OTHER_PRACTITIONER) or None, 5, what="part 1")
    await asyncio.sleep(1.0)  # time in which the rest, were it sent, would arrive
    [first] = api.bot_messages(OTHER_PRACTITIONER)
    assert TITLE in first.reads and not first.button_texts  # the first part only
    with database(settings) as db:
        [row] = outbox.rows_for(db, referral.ref, outbox.OutboxKind.BRIEF)
    assert row.status == outbox.FAILED and row.last_error == outbox.FORGOTTEN_ERROR


async def test_a_best_practice_referral_becomes_a_case_study_brief(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """An approved referral of good practice gets its brief the same way, sent as a case study
    of good practice (its heading and its document say so)."""
    _register(settings.db_path, {PRACTITIONER: "Health"})
    referral = file(settings.db_path, GOOD_PRACTICE, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    await _write_brief(api, board, referral.ref)
    await _approve(api, chair, referral.ref)
    document = await _get_document(api, PRACTITIONER)
    [brief] = _briefs(api, PRACTITIONER)
    assert "(a case study of good practice)" in brief.reads
    assert document.file_id is not None
    assert b"A case study of good practice." in api.file_bytes(document.file_id)


async def test_a_practitioner_who_turns_briefs_off_before_theirs_goes_does_not_get_it(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """The brief is queued to two practitioners; while the second one's waits out Telegram's
    429, they say /briefs off: theirs is not sent (and not counted as sent), the first one's is."""
    _register(settings.db_path, {PRACTITIONER: "Health", OTHER_PRACTITIONER: "Police"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    await api.wait_for(lambda: api.bot_messages(PRACTITIONER) or None, 10, what="Pat's receipt")
    api.fail("sendMessage", 429, retry_after=3, chat_id=OTHER_PRACTITIONER)  # Sam's: wait 3 s
    await _write_brief(api, board, referral.ref)
    await _approve(api, chair, referral.ref)
    await api.wait_for(lambda: api.pending_faults() == 0 or None, 10, what="Sam's refused send")
    sam = Person(api, OTHER_PRACTITIONER)
    assert "no more learning briefs" in (await sam.say("/briefs off")).reads

    def settled() -> dict[int, outbox.OutboxRow] | None:
        with database(settings) as db:
            rows = outbox.rows_for(db, referral.ref, outbox.OutboxKind.BRIEF)
        done = all(r.status != outbox.PENDING for r in rows)
        return {r.chat_id: r for r in rows} if done else None

    rows = await api.wait_for(settled, 15, what="both rows settled")
    assert rows[PRACTITIONER].status == outbox.SENT and len(_delivered(api, PRACTITIONER)) == 1
    assert rows[OTHER_PRACTITIONER].status == outbox.FAILED
    with database(settings) as db:
        assert briefs.reach(db, referral.ref).sent == 1
    assert _briefs(api, OTHER_PRACTITIONER) == [] and _documents(api, OTHER_PRACTITIONER) == []


async def _card(api: LocalBotAPI, since: int = 0) -> Msg:
    """The newest brief card with buttons the chair got after `since`."""

    def newest() -> Msg | None:
        shown = [m for m in api.bot_messages(CHAIR) if m.button_texts and m.seq > since]
        return shown[-1] if shown else None

    return await api.wait_for(newest, 10, what="the brief's card")


async def _buttons_gone(api: LocalBotAPI, card: Msg) -> Msg:
    def gone() -> Msg | None:
        message = api.message(CHAIR, card.message_id)
        return message if message is not None and not message.button_texts else None

    return await api.wait_for(gone, 10, what="the old card's buttons gone")


async def test_a_press_on_the_card_of_a_rewritten_brief_is_refused(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """The officer writes the brief again while the chair's card is out: the old card loses its
    buttons at once, saying it was replaced. Where that edit failed, Approve pressed on the old
    card is refused, sends nothing, and the card loses its buttons then; so is its callback
    data sent again, and a card of before cards named their version (the chair then gets the
    brief as a card of its own). Approve on the current card sends the version it showed."""
    _register(settings.db_path, {PRACTITIONER: "Health"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    ref = referral.ref
    versions = [tuple(f"Version {n}: {s}" for s in SECTIONS) for n in (1, 2, 3)]
    await _write_brief(api, board, ref, sections=versions[0])
    first = await _card(api)

    since = api.mark()
    await _write_brief(api, board, ref, sections=versions[1])  # the buttons go at once
    assert "was rewritten" in (await _buttons_gone(api, first)).reads
    second = await _card(api, since)
    api.fail("editMessageText", 400, description="Bad Request: message can't be edited")
    since = api.mark()
    await _write_brief(api, board, ref, sections=versions[2])  # this time the edit fails
    third = await _card(api, since)
    assert api.message(CHAIR, second.message_id).button_texts == ["Approve brief", "Send back"]  # type: ignore[union-attr]

    refused = await chair.press_on(second.message_id, "Approve brief")
    assert "since rewritten" in refused and "nothing was approved" in refused
    assert "was rewritten" in (await _buttons_gone(api, second)).reads
    assert [b.callback_data for b in first.buttons] == [f"b:{ref}:1:ok", f"b:{ref}:1:back"]
    for data in (f"b:{ref}:1:ok", f"b:{ref}:2:back"):
        answer = await chair.alert(first.message_id, data)
        assert answer.show_alert and "since rewritten" in answer.reads, data
    since = api.mark()
    legacy = await chair.alert(third.message_id, f"b:{ref}:ok")  # a card of before versions
    assert legacy.show_alert and "since rewritten" in legacy.reads
    again = await _card(api, since)
    assert [b.callback_data for b in again.buttons] == [f"b:{ref}:3:ok", f"b:{ref}:3:back"]
    with database(settings) as db:
        brief = briefs.get_brief(db, ref)
        assert brief is not None and brief.status == briefs.AWAITING_CHAIR and brief.version == 3
        assert outbox.rows_for(db, ref, outbox.OutboxKind.BRIEF) == []
    assert _briefs(api, PRACTITIONER) == []

    since = api.mark()
    chair.api.press_button(CHAIR, CHAIR, "Approve brief", message_id=again.message_id)
    await api.wait_for_message(BOARD, "is approved", since=since, timeout=10)
    await api.wait_for(lambda: _delivered(api, PRACTITIONER), 15, what="Pat's brief")
    [sent] = _briefs(api, PRACTITIONER)
    assert all(s in sent.reads for s in versions[2]) and "Version 2" not in sent.reads


async def test_what_was_typed_reads_exactly_as_typed_on_the_card_and_in_the_brief(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """Sections holding `<b>`, `&` and `<script>` beside ordinary text: the chair's card and a
    practitioner's brief read exactly what was typed (as Telegram parses the HTML sent), the
    card's own heading is bold, not tags; the document holds it escaped once."""
    _register(settings.db_path, {PRACTITIONER: "Health"})
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    typed = (
        "The nursery wrote <b>urgent</b> on the form.",
        "Health & Police met; see &amp; and &lt; as typed.",
        "A page said <script>alert(1)</script> to test us.",
        "Share any bruising in a non-mobile child the same day.",
    )
    await _write_brief(api, board, referral.ref, sections=typed)
    card = await _card(api)
    assert all(section in card.reads for section in typed), card.reads
    assert "<b>7-minute briefing" not in card.reads and "<b>What happened" not in card.reads
    assert "&lt;script&gt;" not in card.reads and "&amp;lt;" not in card.reads

    await _approve(api, chair, referral.ref)
    document = await _get_document(api, PRACTITIONER)
    [brief] = _briefs(api, PRACTITIONER)
    assert all(section in brief.reads for section in typed), brief.reads
    assert "<b>" not in brief.reads.replace("<b>urgent</b>", "")
    assert document.file_id is not None
    html = api.file_bytes(document.file_id).decode()
    assert "&lt;b&gt;urgent&lt;/b&gt;" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Health &amp; Police met; see &amp;amp; and &amp;lt; as typed." in html
    assert "&amp;lt;b" not in html and "<script>" not in html


async def test_only_a_person_the_brief_was_sent_to_counts_in_their_private_chat(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person, chair: Person
) -> None:
    """A stranger, a practitioner who turned briefs off before it went, one who registered after
    it went (of an agency it never reached) and a press outside a private chat are told why in
    an alert and counted nowhere. The control: the two it was sent to count, in the agency it
    was sent to them as. Decided: one who turns briefs off after receiving it still counts, as
    they received it."""
    late = 5004
    api.add_user(late, "Lee")
    quiet, referral = await _two_and_one_quiet(api, settings)
    ref = referral.ref
    await _write_brief(api, board, ref)
    await _approve(api, chair, ref)
    for person in (PRACTITIONER, OTHER_PRACTITIONER):
        await api.wait_for(lambda p=person: _delivered(api, p), 15, what="the brief")
    _register(settings.db_path, {late: "Education"})

    stranger = Person(api, STRANGER)
    said = await stranger.say("/start")
    for person, message_id in (
        (stranger, said.message_id),
        (quiet, quiet.last().message_id),
        (Person(api, late), (await Person(api, late).say("/help")).message_id),
    ):
        for data in (f"r:{ref}", f"d:{ref}"):  # Read it, Get the document
            refused = await person.alert(message_id, data)
            assert refused.show_alert and "was not sent to you" in refused.reads
            assert "not counted" in refused.reads
    group = Person(api, PRACTITIONER, BOARD)
    for data in (f"r:{ref}", f"d:{ref}"):
        in_group = await group.alert(board.last().message_id, data)
        assert in_group.show_alert and "only from your own private chat" in in_group.reads
    assert api.calls("sendDocument") == []  # nobody got the document
    with database(settings) as db:
        assert briefs.reach(db, ref).read == 0

    pat, sam = Person(api, PRACTITIONER), Person(api, OTHER_PRACTITIONER)
    [pat_brief] = _delivered(api, PRACTITIONER)
    [sam_brief] = _delivered(api, OTHER_PRACTITIONER)
    assert "your reading is counted" in await pat.press_on(pat_brief.message_id, "Read it")
    assert "no more learning briefs" in (await sam.say("/briefs off")).reads
    assert "your reading is counted" in await sam.press_on(sam_brief.message_id, "Read it")
    reach = await board.say(f"/reach {ref}", expect="Sent to")
    assert "Sent to 2, read by 2 (100%)" in reach.reads
    assert "Health: Sent to 1, read by 1 (100%)" in reach.reads
    assert "Police: Sent to 1, read by 1 (100%)" in reach.reads
    assert "Education" not in reach.reads

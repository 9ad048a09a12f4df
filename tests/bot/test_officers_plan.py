"""`/plan REF` and `/tor REF` over the local Bot API server: a review planned end to end by
buttons and typed answers in the board group, refusals on the way, the plan surviving a restart,
and the Terms of Reference document downloaded from the server and read."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from harness import BOARD, CHAIR, OFFICER, STRANGER, Person, Running
from officers_support import CATASTROPHIC, SEVERE, decide, file, read

from bot.settings import Settings
from localapi import LocalBotAPI, Msg
from storage import events, plans
from storage.db import open_db


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _events(settings: Settings, ref: str, action: str) -> list[str]:
    db = open_db(settings.db_path)
    try:
        return [e.detail for e in events.events_for(db, ref) if e.action == action]
    finally:
        db.conn.close()


class _Text(HTMLParser):
    """The visible text of an HTML document, and the tags it opened (a well-formedness check)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.open: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br", "link", "img"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


async def _press(board: Person, label: str, expect: str) -> Msg:
    message = await board.press(label, expect=expect)
    assert expect in message.reads, message.text
    return message


async def test_plan_end_to_end_and_terms_of_reference(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    # At most 20 messages a minute reach a group (the bot's rate limiter holds it to that): this
    # walk takes 19 with the board notice, so it runs at full speed.
    referral = file(settings.db_path, CATASTROPHIC, _now() - dt.timedelta(days=2))
    decide(settings.db_path, referral.ref, _now())
    ref = referral.ref

    card = await board.say(f"/plan {ref}", expect="methodology")
    assert card.button_texts == ["Welsh model", "SCIE", "Other"]
    assert ref in card.reads
    assert [b.callback_data for b in card.buttons] == [
        f"p:{ref}:methodology:welsh",
        f"p:{ref}:methodology:scie",
        f"p:{ref}:methodology:other",
    ]
    agencies = await _press(board, "SCIE", "individual agency")
    assert agencies.message_id == card.message_id  # the card moves on in place
    assert "✓ Methodology: SCIE" in agencies.reads
    assert agencies.button_texts[-1] == "Done"
    await board.press("Health")
    toggled = await board.press("Police")
    assert "✓ Health" in toggled.button_texts and "✓ Police" in toggled.button_texts
    await _press(board, "Done", "family")
    asked = await _press(board, "No", "Why will the family not be informed")
    assert asked.reply_markup == {
        "force_reply": True,
        "selective": True,
        "input_field_placeholder": "Your answer",
    }
    answered = api.message(BOARD, card.message_id)
    assert answered is not None and answered.buttons == []
    assert "✓ Family involved: No" in answered.reads

    staff = await board.say(
        "The parents are subject to criminal proceedings; contact is on police advice",
        expect="front-line staff",
    )
    assert "Recorded as a decision: family not involved: The parents are subject" in (staff.reads)
    await _press(board, "Yes", "national panel")
    await _press(board, "Yes", "publish")
    await _press(board, "Shortened report", "period under review")
    await board.say("2025-09-01 to 2026-02-28", expect="key lines of enquiry")
    await board.say(
        "Why was the nursery's worry not shared?\nWho knew of the bruising, and when?",
        expect="due",
    )
    await board.say("2099-03-31", expect="completed report")
    await board.say("2099-06-30", expect="publication date")
    await board.say("2099-09-01", expect="author")
    done = await board.say("Independent reviewer commissioned for this case", expect="complete")
    text = done.reads
    assert "review planned" in text and f"/tor {ref}" in text
    assert "Methodology: SCIE" in text and "Individual agency reviews: Health, Police" in text
    assert "Publication date: 2099-09-01" in text

    stored = read(settings.db_path, ref)
    assert stored.status == "review_planned"
    assert _events(settings, ref, "decision")[1:] == [
        "family not involved: The parents are subject to criminal proceedings; "
        "contact is on police advice"
    ]
    assert _events(settings, ref, "status")[-1] == (
        "approved -> review_planned: review plan complete"
    )
    db = open_db(settings.db_path)
    plan = plans.get_plan(db, ref)
    db.conn.close()
    assert plan is not None and plan.state == "done" and plan.updated_by == OFFICER
    assert plan.answers["iar_due"] == "2099-03-31" and plan.answers["staff"] == "yes"

    assert "gone to the review panel to agree (1 member)" in text
    await api.wait_for(  # the chair, the panel by default, has the terms to agree
        lambda: [m for m in api.bot_messages(CHAIR) if m.file_id is not None],
        what="the terms' document to the panel",
    )

    since = api.mark()
    await board.say(f"/tor {ref}")
    await api.wait_for(lambda: _events(settings, ref, "tor"), what="the ToR issued")
    documents = api.calls("sendDocument", since=since)
    assert [c.ok and c.params["chat_id"] for c in documents] == [BOARD, BOARD]
    names = [c.result["document"]["file_name"] for c in documents]
    assert names == [f"ToR-{ref}.html", f"ToR-{ref}.md"]
    assert ref in documents[0].result["caption"]

    html = api.file_bytes(documents[0].result["document"]["file_id"]).decode()
    parser = _Text()
    parser.feed(html)
    parser.close()
    assert parser.open == []
    page = parser.text
    assert "Terms of Reference: Serious Case Review" in page
    assert "Grade Catastrophic" in page
    assert "Review route Serious Case Review / CDOP (Child Death Overview Panel)" in page
    assert "the child has died" in page  # a matched criterion, quoted
    assert "A Serious Case Review must be commissioned" in page
    assert parser.tags.count("li") >= 12 + 5
    assert "Promote a positive culture of multi-agency child protection learning" in page
    assert "To guide the different sub groups in their work programme" in page
    assert "The decision making process for a SCR to be informed by the national panel" in page
    assert "Methodology SCIE" in page
    assert "Requested from: Health, Police" in page
    assert "Decision recorded: The parents are subject to criminal proceedings" in page
    assert "If the family are not to be informed/involved then this to be clearly recorded" in page
    assert "Front-line staff and volunteers will be involved." in page
    assert "National panel of independent experts consulted Yes" in page
    assert "Publication and readership Shortened report" in page
    assert "Period under review From 01 September 2025 to 28 February 2026" in page
    assert "Key lines of enquiry Why was the nursery's worry not shared?" in page
    assert "Who knew of the bruising, and when?" in page
    assert "Individual agency reviews due: 31 March 2099" in page
    assert "Report due: 30 June 2099" in page and "Publication: 01 September 2099" in page
    assert "Author Independent reviewer commissioned for this case" in page

    markdown = api.file_bytes(documents[1].result["document"]["file_id"]).decode()
    assert markdown.startswith("# Terms of Reference: Serious Case Review")
    assert "12. To guide the different sub groups" in markdown
    assert "### Involvement of the child and family" in markdown
    assert "**Decision recorded: The parents are subject" in markdown


async def test_plan_refusals_and_typed_answers(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    ref = referral.ref
    early = await board.say(f"/plan {ref}")
    assert "Only an approved referral can be planned" in early.reads
    assert "awaiting the chair" in early.reads
    decide(settings.db_path, ref, _now())
    not_yet = await board.say(f"/tor {ref}")
    assert f"There is no review plan for {ref} yet" in not_yet.reads

    card = await board.say(f"/plan {ref}", expect="methodology")
    stranger = Person(api, STRANGER, BOARD)
    alert = await stranger.press_on(card.message_id, "SCIE")
    assert "board officers and the chair only" in alert
    assert _events(settings, ref, "refused") == ["plan button refused: not an officer or chair"]
    forged = await board.press_data(card.message_id, f"p:{ref}:methodology:nonsense")
    assert "not one of the answers" in forged
    wrong_question = await board.press_data(card.message_id, f"p:{ref}:family:yes")
    assert "earlier question" in wrong_question

    await _press(board, "Other", "Which other methodology")
    api.send_text(CHAIR, "Morning all, the panel meets on Tuesday", BOARD)  # not awaited
    await board.say("Welsh model with a learning event", expect="individual agency")
    stale = await board.press_data(card.message_id, f"p:{ref}:methodology:scie")
    assert "earlier question" in stale
    await board.press("Done", expect="family")
    await board.press("Yes", expect="front-line staff")
    await board.press("Yes", expect="national panel")
    await board.press("Not applicable", expect="publish")
    await board.press("Management letter", expect="period under review")
    await board.say("2025-09-01 to 2026-02-28", expect="key lines of enquiry")
    await board.say("Who knew of the bruising?", expect="due")

    refused = await board.say("31/12/2099", expect="YYYY-MM-DD")
    assert "Please type the date as YYYY-MM-DD" in refused.reads
    impossible = await board.say("2099-02-30", expect="YYYY-MM-DD")
    assert ref in impossible.reads
    await board.say("2099-03-31", expect="completed report")
    before = await board.say("2099-02-01", expect="before")
    assert "when the individual agency reviews are due" in before.reads
    stored = read(settings.db_path, ref)
    assert stored.status == "approved"
    db = open_db(settings.db_path)
    plan = plans.get_plan(db, ref)
    db.conn.close()
    assert plan is not None and plan.state == "report_due"
    assert plan.answers["methodology_reason"] == "Welsh model with a learning event"
    assert "report_due" not in plan.answers


async def test_group_chatter_is_left_alone(
    api: LocalBotAPI, running: Running, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    decide(settings.db_path, referral.ref, _now())
    await board.say(f"/plan {referral.ref}", expect="methodology")
    await board.press("SCIE", expect="individual agency")
    before = len(api.bot_messages(BOARD))
    chair_in_group = Person(api, CHAIR, BOARD)
    api.send_text(CHAIR, "Morning all", BOARD)
    api.send_text(OFFICER, "Coffee at 11?", BOARD)
    await chair_in_group.say("/queue", expect="Queue")  # handled after the chatter
    assert len(api.bot_messages(BOARD)) == before + 1


async def test_plan_carries_on_after_a_restart(
    api: LocalBotAPI, settings: Settings, board: Person
) -> None:
    referral = file(settings.db_path, SEVERE, _now())
    decide(settings.db_path, referral.ref, _now())
    bot = Running(settings)
    await bot.start()
    try:
        await board.say(f"/plan {referral.ref}", expect="methodology")
        await board.press("Welsh model", expect="individual agency")
        await board.press("Done", expect="family")
        await board.press("No", expect="Why will the family")
    finally:
        await bot.stop()

    bot = Running(settings)
    await bot.start()
    try:
        await board.say("Family declined to take part when asked", expect="front-line staff")
        assert _events(settings, referral.ref, "decision")[-1] == (
            "family not involved: Family declined to take part when asked"
        )
        resumed = await board.say(f"/plan {referral.ref}", expect="front-line staff")
        assert resumed.button_texts == ["Yes", "No"]
        await board.press("No", expect="Why will front-line staff")
        await board.say("   ", expect="no text")
        await board.say("Staff have left the agency", expect="national panel")
        assert _events(settings, referral.ref, "decision")[-1] == (
            "front-line staff and volunteers not involved: Staff have left the agency"
        )
        incomplete = await board.say(f"/tor {referral.ref}")
        assert "is not complete yet" in incomplete.reads
    finally:
        await bot.stop()

"""The practitioner's private chat over Telegram: registration, the urgent path, the commands,
changing an answer, good practice and toggles, each as a transcript."""

from __future__ import annotations

import datetime as dt

from flows import (
    REF,
    cards,
    database,
    first_message,
    invite,
    keyboard_becomes,
    moderate_to_summary,
    register,
    submit,
    walk,
    walk_to_summary,
)
from harness import BOARD, CHAIR, Person, Running, settle
from synthetic import GOOD_PRACTICE_PATH

from bot.settings import Settings
from localapi import LocalBotAPI
from storage import drafts, events, practitioners, referrals

URGENT_CONTACTS = "MASH duty desk: 020 7946 0000"  # as set by harness.make_settings


def now() -> dt.datetime:
    """The wall clock the bot runs on in these tests."""
    return dt.datetime.now(dt.UTC)


async def test_an_unregistered_practitioner_checks_then_registers_and_files(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await pat.say("/start", expect="no names")
    assert "need an invite code" in " ".join(pat.texts())
    await walk_to_summary(pat)

    refused = await pat.press("Submit to the board", expect="registered practitioner")
    assert "Send /start CODE" in refused.reads
    with database(settings) as db:
        assert referrals.referrals_for(db, pat.user_id) == []
        kept = drafts.load_draft(db, pat.user_id, now(), 72)
        assert kept is not None and kept.state == "confirm"

    # A mistyped code mid-check is refused and loses nothing: the summary comes back.
    old_summary, _ = api.find_button(pat.chat_id, "Submit to the board")
    since = api.mark()
    api.send_text(pat.user_id, "/start WRONG123")
    again = await pat.question("submit", since, besides=old_summary)
    assert "That invite code cannot be used" in " ".join(pat.texts())
    assert "Grade: Catastrophic" in again.reads
    retired = api.message(pat.chat_id, old_summary)
    assert retired is not None and retired.buttons == []  # one live summary at a time

    since = api.mark()
    api.send_text(pat.user_id, f"/start {invite(settings, 'Police')}")
    summary = await pat.question("submit", since, besides=again.message_id)
    assert "You are registered for Police" in " ".join(pat.texts())
    assert "Grade: Catastrophic" in summary.reads
    assert summary.button_texts == ["Submit to the board", "Change an answer", "Cancel"]
    ref = await submit(pat)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.referrer_agency == "Police" and referral.grade == "catastrophic"


async def test_used_unknown_and_expired_invite_codes_are_refused_clearly(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, stranger: Person
) -> None:
    code = invite(settings)
    await stranger.say(f"/start {code}", expect="no names")

    used = await pat.say(f"/start {code}", expect="cannot be used")
    unknown = await pat.say("/start NOSUCH99", expect="cannot be used")
    old = invite(settings, now=now() - dt.timedelta(days=15), ttl_days=14)
    expired = await pat.say(f"/start {old}", expect="cannot be used")
    # One answer for all three, so that codes cannot be probed; each failure is on record.
    assert used.text == unknown.text == expired.text
    assert "You can still run a check" in used.reads
    with database(settings) as db:
        refusals = events.events_by(db, pat.user_id, "invite_refused")
        assert [e.detail for e in refusals] == ["used", "unknown", "expired"]
        assert all(code not in e.detail for e in refusals)
    assert not any("Anyone can run this check" in t for t in pat.texts())  # said once, not twice

    # Each refusal still lets them run a check, and the code is typed nowhere it is kept.
    await pat.question("no names", 0)
    await settle(api)
    with database(settings) as db:
        assert practitioners.get_practitioner(db, pat.user_id) is None
        invited = practitioners.get_invite(db, code)
        assert invited is not None and invited.used_by == stranger.user_id


async def test_a_lower_case_spaced_code_still_registers(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    code = invite(settings, "Education")
    spaced = f"{code[:4].lower()}-{code[4:].lower()}"
    await pat.say(f"/start {spaced}", expect="no names")
    assert "You are registered for Education" in " ".join(pat.texts())


async def test_the_urgent_path_shows_the_contacts_at_once_and_the_board_sees_urgent_first(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await pat.answer("I understand", "immediate risk")
    since = api.mark()
    await pat.answer("Yes", "good practice")
    urgent = await api.wait_for_message(pat.chat_id, "URGENT", since=since)
    assert URGENT_CONTACTS in urgent.reads
    assert "call 999" in urgent.reads
    assert "London Child Protection Procedures" in urgent.reads
    position = [m.message_id for m in api.bot_messages(pat.chat_id)]
    question = await pat.question("good practice", since)
    assert position.index(urgent.message_id) < position.index(question.message_id)

    await walk(pat, [("Good practice", "agencies")])
    await pat.press("Health")
    await pat.answer("Done", "describe")
    await pat.say("Quick joint response by school and police.", expect="case reference")
    summary = await pat.answer("Skip", "submit")
    assert "URGENT" in summary.reads
    ref = await submit(pat)
    notice = await first_message(api, BOARD, ref)
    assert notice.reads.startswith("URGENT")
    with database(settings) as db:
        assert referrals.require_referral(db, ref).urgent


async def test_back_cancel_help_and_privacy(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    help_text = await pat.say("/help", expect="How this works")
    assert "/back" in help_text.reads and "/cancel" in help_text.reads
    privacy = await pat.say("/privacy", expect="Privacy")
    assert "[REDACTED]" in privacy.reads and "72 hours" in privacy.reads
    nothing = await pat.say("/back", expect="nothing to go back to")
    assert "/start" in nothing.reads

    await register(pat, settings)
    first = await pat.say("/back", expect="first question")
    assert "nothing to go back to" in first.reads
    await walk(pat, [("I understand", "immediate risk"), ("No", "good practice")])
    again = await pat.say("/back", expect="immediate risk")
    assert again.button_texts == ["Yes", "No"]
    with database(settings) as db:
        draft = drafts.load_draft(db, pat.user_id, now(), 72)
        assert draft is not None and draft.state == "immediate"

    # /help mid-check does not lose the place.
    await pat.say("/help", expect="How this works")
    await walk(pat, [("No", "good practice"), ("A concern", "abuse or neglect")])

    cancelled = await pat.say("/cancel", expect="cancelled")
    assert "Nothing was sent to the board" in cancelled.reads
    await settle(api)
    with database(settings) as db:
        assert drafts.load_draft(db, pat.user_id, now(), 72) is None
        assert referrals.referrals_for(db, pat.user_id) == []
    assert all(m.buttons == [] for m in api.bot_messages(pat.chat_id))
    after = await pat.say("Is anyone there?", expect="no check in progress")
    assert "/start" in after.reads


async def test_cancel_on_the_summary_files_nothing(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await moderate_to_summary(pat)
    cancelled = await pat.press("Cancel", expect="cancelled")
    assert "Nothing was sent to the board" in cancelled.reads
    await settle(api)
    with database(settings) as db:
        assert referrals.referrals_for(db, pat.user_id) == []
        assert drafts.load_draft(db, pat.user_id, now(), 72) is None
    assert api.bot_messages(BOARD) == []


async def test_change_an_answer_regrades_and_asks_what_the_new_branch_needs(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await moderate_to_summary(pat)
    assert "Grade: Moderate" in pat.last().reads

    change = await pat.answer("Change an answer", "change")
    assert "Child died" in change.button_texts and "Back to summary" in change.button_texts
    assert "Privacy" not in change.button_texts
    await pat.answer("Child died", "died")
    await walk(pat, [("Yes", "custody"), ("No", "suicide")])
    summary = await pat.answer("No", "submit")
    assert "Grade: Catastrophic" in summary.reads
    ref = await submit(pat)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.grade == "catastrophic" and referral.facts["child_died"] is True
        assert "injury" not in referral.facts  # asked only of a living child


async def test_back_to_summary_changes_nothing(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await moderate_to_summary(pat)
    before = pat.last().text
    await pat.answer("Change an answer", "change")
    summary = await pat.answer("Back to summary", "submit")
    assert summary.text == before


async def test_good_practice_is_graded_best_practice(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, GOOD_PRACTICE_PATH)
    await pat.press("Education")
    await pat.answer("Done", "describe")
    await pat.say("School and health shared information quickly.", expect="case reference")
    summary = await pat.say("EDU-2024-17", expect="submit")
    assert "Grade: Best practice" in summary.reads
    ref = await submit(pat)
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
        assert referral.grade == "best_practice"
        assert referral.case_reference == "EDU-2024-17"
        assert referral.facts == {"immediate_risk": False, "good_practice": True}

    # No review of a good-practice example thanks them; it does not ask about "further concern".
    _, card = await cards(api, ref)
    chair = Person(api, CHAIR)
    await chair.press_on(card.message_id, "No review")
    await chair.say("Already shared at the last board event.", "Recorded")
    told = await first_message(api, pat.chat_id, ref, "No review")
    assert "Thank you for sharing this example of good practice" in told.reads
    assert "may still share it as learning" in told.reads
    assert "further concern" not in told.reads


async def test_a_toggle_redraws_its_ticks_in_place(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, [(label, phrase) for label, phrase in _TO_STATUS])
    status = pat.last()
    labels = ["Child protection plan", "Child in need", "Significant services", "Done"]
    assert status.button_texts == labels

    await pat.press_on(status.message_id, "Child in need")
    ticked = await keyboard_becomes(
        api,
        pat.chat_id,
        status.message_id,
        ["Child protection plan", "✓ Child in need", "Significant services", "Done"],
    )
    assert "Chosen: Child in need" in ticked.reads
    await pat.press_on(status.message_id, "✓ Child in need")
    await keyboard_becomes(api, pat.chat_id, status.message_id, labels)
    await pat.press_on(status.message_id, "Child protection plan")
    await pat.press_on(status.message_id, "Significant services")
    await keyboard_becomes(
        api,
        pat.chat_id,
        status.message_id,
        ["✓ Child protection plan", "Child in need", "✓ Significant services", "Done"],
    )
    assert pat.last().message_id == status.message_id  # no new message for a tick
    together = await pat.answer("Done", "worked together")
    assert together.message_id == status.message_id  # the same message, now the next question
    assert "✓ Child's status: Child protection plan, Significant services" in together.reads
    assert "Cause for concern" in together.button_texts

    await walk(pat, [("Don't know", "standards"), ("None identified", "agencies")])
    agencies = pat.last()
    refused = await pat.press_on(agencies.message_id, "Done")  # none chosen
    assert "choose at least one agency" in refused
    shown = api.message(pat.chat_id, agencies.message_id)
    assert shown is not None and "Done" in shown.button_texts


_TO_STATUS = [
    ("I understand", "immediate risk"),
    ("No", "good practice"),
    ("A concern", "abuse or neglect"),
    ("Neither", "died"),
    ("No", "seriously harmed"),
    ("No", "injury"),
    ("No physical injury", "permanent disability"),
    ("No", "sexual abuse"),
    ("No", "domestic homicide"),
    ("No", "self-harm"),
    ("No", "charged with neglect"),
    ("No", "missing education"),
    ("No", "child protection plan"),
]


async def test_an_expired_draft_is_reported_and_nothing_is_filed(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    question = await pat.answer("I understand", "immediate risk")
    with database(settings) as db:  # the check was last touched four days ago
        draft = drafts.load_draft(db, pat.user_id, now(), 72)
        assert draft is not None
        drafts.save_draft(
            db, pat.user_id, draft.state, draft.answers, False, now() - dt.timedelta(days=4)
        )
    answer = await pat.press_on(question.message_id, "No")
    assert "check that has ended" in answer
    told = await api.wait_for_message(pat.chat_id, "deleted because it was not used")
    assert "72 hours" in told.reads and "Nothing was sent" in told.reads
    with database(settings) as db:
        assert drafts.load_draft(db, pat.user_id, now(), 72) is None
    assert REF.search(" ".join(pat.texts())) is None


async def test_a_registered_practitioner_sending_a_code_again_is_told_they_are_registered(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    code = invite(settings, "Education")
    await pat.say(f"/start {code}", expect="registered")
    other = invite(settings, "Police")
    again = await pat.say(f"/start {other}", expect="already registered")
    assert "already registered, for Education" in again.reads
    assert "cannot be used" not in again.reads
    with database(settings) as db:
        who = practitioners.get_practitioner(db, pat.user_id)
        assert who is not None and who.agency == "Education"
        unused = practitioners.get_invite(db, other)
        assert unused is not None and unused.used_by is None

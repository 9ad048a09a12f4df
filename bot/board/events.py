"""`/event` and `/themes`: a review's practitioners' learning event and its practice themes
(SPEC §9), in the board group.

- `/event REF YYYY-MM-DD HH:MM[-HH:MM] place` schedules the event in the board's time
  (`bot.delivery.workdays.BOARD_TZ`), the start later than now, the end two hours later unless
  given, the place through the one intake; again for the same review it moves it and everyone
  invited is told (`services.learning_events.schedule_event`, which queues the invitations);
  anything else is refused, saying the form.
- `/event REF invite AGENCY` invites every registered practitioner of a configured agency (an
  unknown one is refused, naming the agencies; nobody is invited twice).
- `/event REF` counts those invited, coming, can't come and not answered, then by agency, and
  after the end the feedback received.
- `/themes REF` shows the `THEMES` as toggles (`m:<ref>:<n>`, ticked when chosen) and `Done`
  (`m:<ref>:done`); at most three a review (a fourth press is refused in an alert, saying so);
  `Done` settles them and the group is told through the outbox. Only officers' presses in the
  board group count.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context, Services, services
from bot.delivery import event_notices, messaging, review_keyboards, sender, workdays
from dialogs import intake
from services import learning_events as event_service
from services import themes as theme_service
from services.learning_events import AgencyInvited, InviteOutcome, NoEvent, WhenRefused
from services.refusals import refuse_command
from storage import event_feedback, learning_events, referrals, themes
from storage.lifecycle import DECLINED, UNDECIDED
from storage.referrals import Referral
from storage.themes import MOST, Toggled
from templates import labels, render

MAX_PLACE = 200  # the longest place accepted


async def _refuse(update: Update, context: Context, why: str, **details: object) -> None:
    await access.reply(update, context, render("bot/events/refused.j2", why=why, **details))


async def event(update: Update, context: Context) -> None:
    """/event REF …: schedule or move the event, invite an agency, or show where it stands."""
    s = await access.admit(update, context, "event")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "event")
    if referral is None:
        return
    args = context.args or []
    if len(args) == 1:
        await _standing(update, context, s, referral.ref)
        return
    if args[1].casefold() == "invite":
        await _invite(update, context, s, referral.ref, " ".join(args[2:]))
        return
    await _schedule(update, context, s, referral, access.command_text(update, 1))


async def _schedule(
    update: Update, context: Context, s: Services, referral: Referral, text: str
) -> None:
    """The date, times and place after the reference: checked, then the event scheduled."""
    ref = referral.ref
    words = text.split(maxsplit=2)
    if len(words) < 3:
        await _refuse(update, context, WhenRefused.FORM, ref=ref)
        return
    when = event_service.parse_when(f"{words[0]} {words[1]}", s.clock(), workdays.BOARD_TZ)
    if isinstance(when, WhenRefused):
        await _refuse(update, context, when, ref=ref)
        return
    try:
        place = intake.accept(words[2], limit=MAX_PLACE)
    except intake.Refused as exc:
        if exc.reason == "empty":
            await _refuse(update, context, WhenRefused.FORM, ref=ref)
        else:
            await _refuse(update, context, "too_long", length=exc.length, limit=exc.limit)
        return
    assert update.effective_user is not None
    user = update.effective_user
    try:
        done = event_service.schedule_event(
            s.db, ref, when, place.text, user.id, user.first_name, s.clock()
        )
    except NoEvent as exc:
        status = labels.status_label(referral.status, referral.profile)
        await _refuse(update, context, exc.needed, ref=ref, status=status)
        return
    sender.kick(context)
    agencies = sorted({i.agency for i in done.invited})
    text = render(
        "bot/events/scheduled.j2",
        ref=ref,
        moved=done.moved,
        told=done.told - len(done.invited),
        invited=len(done.invited),
        agencies=agencies,
        place=done.event.place,
        **event_notices.when_words(done.event),
    )
    await access.reply(update, context, text)


async def _invite(update: Update, context: Context, s: Services, ref: str, named: str) -> None:
    """`/event REF invite AGENCY`: every registered practitioner of a configured agency."""
    known = {a.casefold(): a for a in s.settings.agencies}
    agency = known.get(" ".join(named.split()).casefold())
    if agency is None:
        shown = " ".join(named.split()) or "(none)"
        await _refuse(update, context, "unknown_agency", agency=shown, agencies=s.settings.agencies)
        return
    done: AgencyInvited = event_service.invite_agency(s.db, ref, agency, s.clock())
    if done.outcome == InviteOutcome.NO_EVENT:
        await _refuse(update, context, "no_event", ref=ref)
        return
    if done.outcome == InviteOutcome.STARTED:
        await _refuse(update, context, "started", ref=ref)
        return
    sender.kick(context)
    text = render(
        "bot/events/invited.j2",
        ref=ref,
        agency=agency,
        invited=len(done.invited),
        already=done.already,
    )
    await access.reply(update, context, text)


async def _standing(update: Update, context: Context, s: Services, ref: str) -> None:
    """`/event REF`: the answers so far, by agency, and the feedback once it is over."""
    found = learning_events.get_event(s.db, ref)
    if found is None:
        await _refuse(update, context, "no_event", ref=ref)
        return
    total, by_agency = learning_events.counts(s.db, ref)
    text = render(
        "bot/events/standing.j2",
        ref=ref,
        place=found.place,
        total=total,
        by_agency=list(by_agency.items()),
        ended=found.ended(s.clock()),
        feedback=event_feedback.answered_feedback(s.db, ref),
        **event_notices.when_words(found),
    )
    await access.reply(update, context, text)


async def show_themes(update: Update, context: Context) -> None:
    """/themes REF: the themes as toggle buttons, then Done."""
    s = await access.admit(update, context, "themes")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "themes")
    if referral is None:
        return
    if referral.status in UNDECIDED or referral.status == DECLINED:
        status = labels.status_label(referral.status, referral.profile)
        await _refuse(update, context, "undecided", ref=referral.ref, status=status)
        return
    chosen = themes.themes_of(s.db, referral.ref)
    text = render("bot/events/themes.j2", ref=referral.ref, chosen=chosen, most=MOST, outcome="")
    markup = review_keyboards.themes_keyboard(referral.ref, s.settings.themes, chosen)
    await access.reply(update, context, text, markup)


async def press_theme(update: Update, context: Context) -> None:
    """An `m:` press: an officer's, in the board group, on a known review; a theme toggled (a
    fourth refused, saying so) or the themes settled."""
    got = await messaging.pressed(update, review_keyboards.parse_themes)
    if got is None:
        return
    query, (ref, place) = got
    s = services(context)
    referral = referrals.get_referral(s.db, ref)
    if referral is None or query.message is None or not access.in_board_group(s, update):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    user = query.from_user
    if not s.settings.is_officer(user.id):
        refuse_command(s.db, user.id, "themes", s.clock())
        await messaging.answer_query(query, render("bot/events/not_officer.j2"), alert=True)
        return
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if place is None:
        chosen = theme_service.settle_themes(
            s.db, ref, user.id, user.first_name, s.settings.board_chat_id, s.clock()
        )
        text = render("bot/events/themes.j2", ref=ref, chosen=chosen, most=MOST, outcome="settled")
        await messaging.answer_query(query)
        await messaging.edit(context, chat_id, message_id, text)
        sender.kick(context)
        return
    if place >= len(s.settings.themes):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    theme = s.settings.themes[place]
    done = theme_service.toggle_theme(s.db, ref, theme, user.id, user.first_name, s.clock())
    if done == Toggled.FULL:
        full = render("bot/events/themes.j2", ref=ref, chosen=[], most=MOST, outcome="full")
        await messaging.answer_query(query, full, alert=True)
        return
    await messaging.answer_query(query)
    chosen = themes.themes_of(s.db, ref)
    text = render("bot/events/themes.j2", ref=ref, chosen=chosen, most=MOST, outcome="")
    markup = review_keyboards.themes_keyboard(ref, s.settings.themes, chosen)
    await messaging.edit(context, chat_id, message_id, text, markup)

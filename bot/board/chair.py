"""The independent chair's decision on a referral: buttons on the card, reasons typed after.

Only a chair's press counts; anyone else is told so and the attempt is logged as an event.
A decided card loses its buttons on every chair's chat; a late press is told who decided and
when. Escalation offers only higher grades; escalation and No review need a reason, typed as
the chair's next message (an awaited input, so it survives a restart).

Under a joint decision (Working Together 2023) the partners' leads take the chairs' place:
Approve and No review are presses that stand only when all three agree (`bot.board.joint`).
The decision itself is `services.decisions.decide`; the cards are redrawn by
`bot.delivery.status_notices.refresh_cards`.
"""

from __future__ import annotations

import html
import logging

from telegram import CallbackQuery, Update

from bot.board import joint
from bot.context import Context, Services, Typed, services
from bot.delivery import deciders, keyboards, messaging, sender
from bot.delivery.referral_texts import when
from bot.delivery.status_notices import chair_name, refresh_cards
from dialogs import intake, texts
from services import casework, decisions
from services.decisions import WORDS_FOR, statutory_flags
from services.grading import matrix_for
from services.refusals import refuse_press
from storage import inputs, referrals
from storage.inputs import AwaitedInput, InputKind
from storage.referrals import Referral
from templates import labels, render

log = logging.getLogger(__name__)

ACTIONS = ("approve", "escalate", "grade", "ask", "decline", "menu")
MAX_REASON = 1000


async def press_decision(update: Update, context: Context) -> None:
    """A press on a decision card: checked (who, which referral, still undecided), then acted on."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    data = keyboards.parse_chair(query.data)
    referral = referrals.get_referral(s.db, data.ref) if data else None
    if data is None or referral is None or data.action not in ACTIONS:
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    user_id = query.from_user.id
    if not s.settings.is_decider(user_id):
        refuse_press(s.db, referral.ref, user_id, data.action, s.clock())
        refused = render("bot/chair/not_chair.j2", joint=s.settings.joint)
        await messaging.answer_query(query, refused, alert=True)
        return
    if not keyboards.pressed_in_private(query):  # cards are only in a chair's own chat
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    if not referral.is_undecided:
        late = await already_text(context, referral, user_id)
        await messaging.answer_query(query, html.unescape(late), alert=True)
        await refresh_cards(context, referral)
        return
    if data.action == "grade" and data.grade not in decisions.higher_grades(referral, s.matrix):
        refused = render("bot/chair/grade_refused.j2", why="not_higher")
        await messaging.answer_query(query, refused, alert=True)
        return
    if data.version != referral.card_version and data.action != "menu":
        await refuse_stale(context, query, referral)
        return
    pressed_by = query.from_user.first_name  # the press carries the name: no getChat for it
    if data.action == "approve" and s.settings.joint:
        await messaging.answer_query(query, render("bot/chair/approved.j2", joint=True))
        await press_jointly(context, user_id, referral, "approved", "", name=pressed_by)
    elif data.action == "approve":
        await decide(context, user_id, referral, "approved", "", None, name=pressed_by)
        await messaging.answer_query(query, render("bot/chair/approved.j2"))
    elif data.action == "escalate":
        await offer_grades(context, update, referral)
    elif data.action == "grade":
        await messaging.answer_query(query)
        await ask_for_words(s, context, user_id, referral, "escalate", data.grade)
    elif data.action in ("decline", "ask"):
        await messaging.answer_query(query)
        await ask_for_words(s, context, user_id, referral, data.action, None)
    else:  # menu: back to the four buttons
        await messaging.answer_query(query)
        await refresh_cards(context, referral)


async def refuse_stale(context: Context, query: CallbackQuery, referral: Referral) -> None:
    """A press on a card that showed the referral before it last changed (or a card sent
    before cards carried a version): refused with an alert, and every card shown as it is now,
    so that what is decided is what the decider saw."""
    stale = render("bot/chair/stale.j2", ref=referral.ref)
    await messaging.answer_query(query, stale, alert=True)
    await refresh_cards(context, referral)


async def already_text(context: Context, referral: Referral, asker: int) -> str:
    """Who decided and when, for a late press by `asker` (HTML)."""
    if referral.decided_by == asker:
        by = labels.phrase("you")
    else:
        name = deciders.joint_decider(services(context), referral)
        name = name or await chair_name(context, referral.decided_by)
        by = deciders.decided_by_name(referral, name)
    return render(
        "bot/chair/already.j2",
        ref=referral.ref,
        outcome=labels.decision_label(referral.decision),
        by=by,
        when=when(referral.decided_at),
    )


async def offer_grades(context: Context, update: Update, referral: Referral) -> None:
    """Replace the card's buttons with the grades above the current one."""
    query = update.callback_query
    assert query is not None
    higher = decisions.higher_grades(referral, services(context).matrix)
    if not higher:
        refused = render("bot/chair/grade_refused.j2", why="highest")
        await messaging.answer_query(query, refused, alert=True)
        return
    await messaging.answer_query(query)
    grades = [(grade, labels.grade_label(grade)) for grade in higher]
    if query.message is not None:
        markup = keyboards.grade_keyboard(referral.ref, referral.card_version, grades)
        await messaging.edit(context, query.from_user.id, query.message.message_id, None, markup)


async def ask_for_words(
    s: Services, context: Context, user_id: int, referral: Referral, action: str, grade: str | None
) -> None:
    """Ask the chair to type the reason (or the question) and remember what it is for."""
    kind = WORDS_FOR[action]
    data: dict[str, object] = {"version": referral.card_version}
    if grade:
        data["grade"] = grade
    inputs.expect(s.db, user_id, kind, referral.ref, data, s.clock())
    statutory = statutory_flags(referral) if action == "decline" else []
    text = render(
        "bot/chair/ask_reason.j2",
        action=action,
        ref=referral.ref,
        grade=labels.grade_label(grade) if grade else "",
        statutory=[labels.flag_label(name, matrix_for(referral, s.matrix)) for name in statutory],
    )
    await context.bot.send_message(user_id, text)


async def decide(
    context: Context,
    chair_id: int,
    referral: Referral,
    decision: str,
    reason: str,
    new_grade: str | None,
    *,
    name: str | None = None,
) -> None:
    """Record the decision with its notices, then update every card (`name`: the decider's
    first name as the update carried it; looked up only when not given)."""
    s = services(context)
    name = name or await chair_name(context, chair_id)
    outcome = decisions.decide(
        s.db,
        referral,
        chair_id,
        decision,
        reason,
        new_grade,
        s.clock(),
        matrix=s.matrix,
        board_chat_id=s.settings.board_chat_id,
        partner_ids=s.settings.decider_ids if s.settings.joint else (),
        actor_name=name,
    )
    if not outcome.recorded:
        await context.bot.send_message(
            chair_id, await already_text(context, outcome.referral, chair_id)
        )
    else:
        log.info("referral %s decided: %s", referral.ref, decision)
        sender.kick(context)
    await refresh_cards(context, outcome.referral)


async def receive_words(
    context: Context,
    chair_id: int,
    kind: InputKind,
    ref: str,
    data: dict[str, object],
    text: str,
    name: str | None = None,
) -> bool:
    """The chair's typed reason or question, for the press that asked for it; True when the
    words were kept (then the chair's own message can leave the chat)."""
    s = services(context)
    referral = referrals.get_referral(s.db, ref)
    inputs.clear(s.db, chair_id, kind)  # the chair's words on a card: one awaited at a time
    if referral is None or not referral.is_undecided:
        if referral is not None:
            await context.bot.send_message(
                chair_id, await already_text(context, referral, chair_id)
            )
        return False
    shown = data.get("version")
    if isinstance(shown, int) and shown != referral.card_version:  # it changed since the press
        await context.bot.send_message(chair_id, render("bot/chair/stale.j2", ref=ref))
        await refresh_cards(context, referral)
        return False
    try:
        redaction = intake.accept(text, limit=MAX_REASON, multiline=True)
    except intake.Refused as exc:
        inputs.expect(s.db, chair_id, kind, ref, data, s.clock())  # still waiting for it
        await context.bot.send_message(
            chair_id, render("bot/chair/words_refused.j2", length=exc.length, limit=exc.limit)
        )
        return False
    if redaction.removed:
        await context.bot.send_message(chair_id, texts.redacted_text(redaction.removed))
    if kind == InputKind.CHAIR_QUESTION:
        name = name or await chair_name(context, chair_id)
        casework.ask(s.db, ref, chair_id, redaction.text, chair_id, s.clock(), actor_name=name)
        sender.kick(context)
        await context.bot.send_message(chair_id, render("bot/chair/asked.j2", ref=ref))
        await refresh_cards(context, referrals.require_referral(s.db, ref))
        return True
    if kind == InputKind.ESCALATE_REASON:
        grade = str(data.get("grade", ""))
        if grade not in decisions.higher_grades(referral, s.matrix):
            refused = render("bot/chair/grade_refused.j2", why="no_longer_higher")
            await context.bot.send_message(chair_id, refused)
            return False
        await decide(context, chair_id, referral, "escalated", redaction.text, grade, name=name)
    elif s.settings.joint:
        await press_jointly(context, chair_id, referral, "declined", redaction.text, name=name)
        return True
    else:
        await decide(context, chair_id, referral, "declined", redaction.text, None, name=name)
    decided = referrals.require_referral(s.db, ref)
    outcome = labels.decision_label(decided.decision)
    await context.bot.send_message(
        chair_id, render("bot/chair/decided.j2", ref=ref, outcome=outcome)
    )
    return True


async def press_jointly(
    context: Context,
    user_id: int,
    referral: Referral,
    outcome: str,
    reason: str,
    *,
    name: str | None = None,
) -> None:
    """A partner's Approve or No review (with its reason): recorded; the decision stands once
    all three agree; every card shows where each partner stands."""
    name = name or await chair_name(context, user_id)
    agreed = await joint.press(context, user_id, referral, outcome, reason, name)
    if agreed is not None:
        await decide(context, user_id, referral, agreed[0], agreed[1], None, name=name)
        if agreed[0] == "declined":
            decided = referrals.require_referral(services(context).db, referral.ref)
            outcome_text = labels.decision_label(decided.decision)
            done = render("bot/chair/decided.j2", ref=referral.ref, outcome=outcome_text)
            await context.bot.send_message(user_id, done)
        return
    await refresh_cards(context, referral)


async def receive_typed(context: Context, awaited: AwaitedInput, typed: Typed) -> bool:
    """A chair's typed reason or question, for the press that asked for it (the route of its
    awaited kinds); once kept, the chair's own message leaves the chat (SPEC §8)."""
    if not awaited.ref:
        return False
    kept = await receive_words(
        context,
        awaited.user_id,
        awaited.kind,
        awaited.ref,
        dict(awaited.data),
        typed.text,
        typed.first_name,
    )
    if kept and not await messaging.leave(context, typed):
        await context.bot.send_message(awaited.user_id, render("bot/practitioner/not_deleted.j2"))
    return True

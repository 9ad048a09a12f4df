"""Officers' work on one referral in the board group: `/case`, `/note`, `/ask`, `/status`, and
`/invite` for a new practitioner (or an agency's lead).

Free text (a note, a question, a reason) is cleaned and redacted before it is stored, and the
officer is told what was removed. `/ask` relays the question to the practitioner who filed the
referral; their answer comes back to the group. `/status` moves a referral along the lifecycle of
SPEC §4; the chair's decisions (approve, decline) are made on the decision card only, and
`review_planned` is set by completing `/plan`. Each command that changes the record is one use
case of `services.casework`; this module parses, calls and replies.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access, eventlog
from bot.board.planning import plan_lines
from bot.context import Context, Services
from bot.delivery import sender, status_notices
from bot.delivery.action_notices import action_context
from bot.delivery.referral_texts import referral_context, when
from dialogs import intake
from services import casework
from storage import actions, events, info_requests, plans, refusals
from storage.lifecycle import (
    APPROVED,
    DECLINED,
    REVIEW_PLANNED,
    STATUSES,
    TRANSITIONS,
    IllegalTransition,
)
from storage.referrals import Referral
from templates import labels, render

CASE_EVENTS = 20  # the newest events `/case` shows; `triage-bot audit` prints every one
CHAIR_ONLY = (APPROVED, DECLINED)
LEAD_WORD = "lead"  # `/invite AGENCY lead`: the code registers the agency's lead


def case_context(s: Services, referral: Referral) -> dict[str, object]:
    """Everything `/case` shows about one referral."""
    plan = plans.get_plan(s.db, referral.ref)
    logged, logged_count = events.latest_events(s.db, referral.ref, CASE_EVENTS)
    log = eventlog.entries(s, referral, logged)
    refused = refusals.refusals_for(s.db, referral.ref)
    return {
        **referral_context(referral, s.matrix, s.today()),
        "status": labels.status_label(referral.status, referral.profile),
        "filed": when(referral.created_at),
        "original_label": (
            labels.grade_label(referral.original_grade)
            if referral.original_grade != referral.grade
            else ""
        ),
        "outcome": labels.decision_label(referral.decision, referral.profile)
        if referral.decision
        else "",
        "decided": when(referral.decided_at) if referral.decided_at else "",
        "decided_by": eventlog.decided_by(s, referral),
        "plan_lines": plan_lines(plan) if plan is not None else [],
        "plan_complete": plan is not None and plan.state == "done",
        "questions": info_requests.questions_for(s.db, referral.ref),
        "findings": actions.findings_for(s.db, referral.ref),
        "actions": [
            {**action_context(a), "overdue": a.overdue(s.today())}
            for a in actions.actions_for(s.db, referral.ref)
        ],
        "log": log,
        "earlier": max(0, logged_count - len(logged)),
        "refused": sum(r.count for r in refused),
        "refused_people": len({r.actor for r in refused}),
    }


async def show_case(update: Update, context: Context) -> None:
    """/case REF: the whole record with its event log."""
    s = await access.admit(update, context, "case")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "case")
    if referral is None:
        return
    await access.reply(update, context, render("bot/officers/case.j2", **case_context(s, referral)))
    assert update.effective_user is not None
    casework.viewed(s.db, referral.ref, update.effective_user.id, "/case", s.clock())


async def add_note(update: Update, context: Context) -> None:
    """/note REF text: a note (redacted) on the referral's record."""
    given = await access.referral_and_words(update, context, "note")
    if given is None:
        return
    s, referral, note = given
    assert update.effective_user is not None
    user = update.effective_user
    casework.add_note(s.db, referral.ref, user.id, note.text, s.clock(), actor_name=user.first_name)
    await access.reply(
        update, context, render("bot/officers/noted.j2", ref=referral.ref, removed=note.removed)
    )


async def ask_practitioner(update: Update, context: Context) -> None:
    """/ask REF question: relayed to the practitioner; the answer comes back to the group."""
    given = await access.referral_and_words(update, context, "ask")
    if given is None:
        return
    s, referral, question = given
    assert update.effective_user is not None and s.settings.board_chat_id is not None
    casework.ask(
        s.db,
        referral.ref,
        update.effective_user.id,
        question.text,
        s.settings.board_chat_id,
        s.clock(),
        actor_name=update.effective_user.first_name,
    )
    sender.kick(context)
    await status_notices.refresh_notice(context, referral.ref)  # before the reply: newest last
    await access.reply(
        update,
        context,
        render("bot/officers/asked.j2", ref=referral.ref, removed=question.removed),
    )


def normalise_status(text: str) -> str:
    """A status as typed ("In-review", "in review") in its stored form ("in_review")."""
    return "_".join(text.strip().lower().replace("-", " ").split())


async def move_status(update: Update, context: Context) -> None:
    """/status REF STATUS [reason]: one step along the lifecycle; illegal moves refused."""
    s = await access.admit(update, context, "status")
    if s is None:
        return
    args = context.args or []
    if len(args) < 2:
        problem = "missing_ref" if not args else "missing_status"
        await access.usage(update, context, "status", problem)
        return
    referral = await access.referral_arg(update, context, s, "status")
    if referral is None:
        return
    wanted = normalise_status(args[1])
    refusal = _status_refusal(referral, wanted)
    if refusal:
        await access.reply(update, context, refusal)
        return
    reason = intake.Accepted("")
    if access.command_text(update, 2).strip():
        given = await access.command_words(update, context, "status", 2)
        if given is None:
            return
        reason = given
    assert update.effective_user is not None
    try:
        user = update.effective_user
        moved = casework.move_status(
            s.db, referral.ref, wanted, user.id, reason.text, s.clock(), actor_name=user.first_name
        )
    except IllegalTransition as exc:
        await access.reply(update, context, _illegal(referral, wanted, exc.allowed))
        return
    text = render(
        "bot/officers/status_moved.j2",
        ref=moved.ref,
        before=labels.status_label(referral.status, referral.profile),
        after=labels.status_label(moved.status, referral.profile),
        removed=reason.removed,
    )
    await status_notices.refresh_notice(context, moved.ref)
    await access.reply(update, context, text)


def _status_refusal(referral: Referral, wanted: str) -> str:
    """Why `/status` will not make this move (unknown, the chair's, the plan's), or ""."""
    if wanted not in STATUSES:
        return render("bot/officers/status_unknown.j2", wanted=wanted, statuses=STATUSES)
    if wanted in CHAIR_ONLY:
        only = labels.phrase("only_decider", referral.profile)
        return render("bot/officers/status_chair_only.j2", ref=referral.ref, only_decider=only)
    if wanted == REVIEW_PLANNED and referral.status == APPROVED:
        return render("bot/officers/status_needs_plan.j2", ref=referral.ref)
    if wanted not in TRANSITIONS.get(referral.status, ()):
        return _illegal(referral, wanted, TRANSITIONS.get(referral.status, ()))
    return ""


def _illegal(referral: Referral, wanted: str, allowed: tuple[str, ...]) -> str:
    return render(
        "bot/officers/status_illegal.j2",
        ref=referral.ref,
        current=referral.status,
        wanted=wanted,
        allowed=[(a, a in CHAIR_ONLY, a == REVIEW_PLANNED) for a in allowed],
    )


async def invite(update: Update, context: Context) -> None:
    """/invite AGENCY [lead]: a one-time code for a configured agency (for its lead), and its
    deep link."""
    s = await access.admit(update, context, "invite")
    if s is None:
        return
    agencies = s.settings.agencies
    words = list(context.args or [])
    lead = len(words) > 1 and words[-1].casefold() == LEAD_WORD
    wanted = " ".join(words[:-1] if lead else words)
    if not wanted:
        await access.reply(
            update,
            context,
            render("bot/officers/invite_agency.j2", wanted="", agencies=agencies),
        )
        return
    known = {name.casefold(): name for name in agencies}
    agency = known.get(wanted.casefold())
    if agency is None:
        await access.reply(
            update,
            context,
            render("bot/officers/invite_agency.j2", wanted=wanted, agencies=agencies),
        )
        return
    assert update.effective_user is not None
    code = casework.invite(s.db, agency, update.effective_user.id, s.clock(), lead=lead)
    link = f"https://t.me/{context.bot.username}?start={code}"
    text = render("bot/officers/invite.j2", agency=agency, code=code, link=link, lead=lead)
    await access.reply(update, context, text)

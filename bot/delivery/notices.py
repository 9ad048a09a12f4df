"""What each outbox row says: the text and buttons, rendered from the referral at send time.

Storage keeps one representation of a referral; the board notice, the chair's card, the
receipt, relayed questions and answers, decisions and reminders are all rendered here from it
(and from the row's small payload), never stored as text. So are the action plan's messages: an
action to its agency's lead (with the lead's buttons), a change to the board group, and the
day's overdue actions (a row tied to no referral: `UNTIED`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.context import Services
from bot.delivery import keyboards, messaging, partners, workdays
from bot.delivery.brief_texts import brief_texts
from dialogs.intake import telegram_length
from matrix import CouldBe, Matrix, rank
from matrix.engine import PROFILES, profile_matrix
from storage import actions, briefs, events, info_requests, inputs, practitioners, referrals
from storage.actions import Action
from storage.inputs import InputKind
from storage.outbox import OutboxKind, OutboxRow
from storage.referrals import Referral
from templates import labels, render


@dataclass(frozen=True)
class Rendered:
    """A message ready to send."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    before: tuple[str, ...] = ()  # earlier parts, sent first (a long learning brief)
    document: tuple[str, str] | None = None  # (file name, HTML) sent after the text


def board_today(s: Services) -> dt.date:
    """Today in the board's time zone, by the services' clock."""
    return workdays.board_day(s.clock())


def when(moment: dt.datetime | None) -> str:
    """A moment as people read it in a message (UTC)."""
    return moment.strftime("%d %b %Y %H:%M UTC") if moment else labels.phrase("unknown_time")


def matrix_for(referral: Referral, configured: Matrix | None = None) -> Matrix:
    """The matrix of the profile `referral` was graded under: the configured one when it is that
    profile, else the packaged profile of that name (2013 for an unknown one)."""
    if configured is not None and configured.profile == referral.profile:
        return configured
    if referral.profile in PROFILES or configured is None:
        return profile_matrix(referral.profile)
    return configured


def clock_lines(
    referral: Referral, matrix: Matrix, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """The referral's statutory clocks for `bot/_clocks.j2`: each of its profile's clocks that
    its flags call for, started (due date; overdue on `today`, when known; or closed) or waiting
    for the event that starts it."""
    lines: list[dict[str, Any]] = []
    rules = {rule.name: rule for rule in matrix.clocks}
    for rule in matrix.clocks_for(referral.flags):
        clock = referral.clock(rule.name)
        after = rules[rule.start].label if rule.start in rules else ""
        lines.append(
            {
                "name": rule.name,
                "label": rule.label,
                "days": rule.days,
                "unit": rule.unit,
                "after": after,
                "started": clock is not None,
                "due": clock.due_on if clock else None,
                "closed": clock.closed_at.date() if clock and clock.closed_at else None,
                "outcome": labels.clock_outcome(clock.outcome) if clock and clock.outcome else None,
                "overdue": bool(clock and today and clock.overdue_on(today)),
                "due_today": bool(clock and clock.is_open and today == clock.due_on),
            }
        )
    lines.sort(key=lambda line: not line["overdue"])  # overdue first (stable otherwise)
    return lines


def referral_context(
    referral: Referral, matrix: Matrix | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """What every referral template needs: the row, its grade's matrix row, flags in words, the
    route (a flag's `route_first` first), the framework's terms and the statutory clocks (marked
    overdue on `today`, when given). `matrix` is the configured one (see `matrix_for`)."""
    m = matrix_for(referral, matrix)
    flags = [rule.description for name, rule in m.flags.items() if referral.flags.get(name)]
    matched = [{"label": m.label(str(x["grade"])), "text": x["text"]} for x in referral.matched]
    return {
        "referral": referral,
        "info": m.info(referral.grade),
        "review_types": m.review_types(referral.grade, referral.flags),
        "terms": m.terms,
        "flags": flags,
        "matched": matched,
        "could_be": could_be_lines(referral, m),
        "clocks": clock_lines(referral, m, today),
    }


def could_be_lines(referral: Referral, matrix: Matrix) -> list[str]:
    """The stored result's could_be in the matrix's words, for grades still above the
    referral's current one (an escalation may have gone past some)."""
    lines = []
    for entry in referral.result.get("could_be", []):
        grade = str(entry.get("grade", ""))
        for fact, value in dict(entry.get("if", {})).items():
            if grade in matrix.grades and rank(grade) > rank(referral.grade):
                lines.append(matrix.could_be_text(CouldBe(grade, str(fact), str(value))))
    return lines


def chair_card(
    referral: Referral,
    by: str | None = None,
    matrix: Matrix | None = None,
    today: dt.date | None = None,
    partners: list[Any] | None = None,
) -> Rendered:
    """The decision card as it stands: buttons while undecided, the outcome once decided
    (by the chair named `by`, when the caller knows their name); under a joint decision,
    `partners` (`bot.delivery.partners.standings`) says who has decided what. It always fits one
    message: a description too long for that is shortened on the card (`/case` shows it whole)."""

    def card(shown: Referral) -> str:
        context = {**referral_context(shown, matrix, today), "partners": partners}
        if shown.is_undecided:
            return render("bot/chair_card.j2", **context)
        return render(
            "bot/decided_card.j2",
            outcome=labels.decision_label(shown.decision),
            by=decided_by_name(shown, by),
            when=when(shown.decided_at),
            reason=shown.decision_reason or "",
            **context,
        )

    text = card(referral)
    excess = messaging.visible_length(text) - messaging.LIMIT  # in Telegram's UTF-16 units
    if excess > 0:
        shortened = labels.phrase("shortened")
        room = telegram_length(referral.description) - excess - telegram_length(shortened)
        kept = messaging.cut_to(referral.description, max(0, room)).rstrip()
        text = card(replace(referral, description=kept + shortened))
    markup = keyboards.decision_keyboard(referral.ref) if referral.is_undecided else None
    return Rendered(text, markup)


def decided_by_name(referral: Referral, name: str | None = None) -> str:
    """Who decided: the chair's name when known, else "the chair" (never their id)."""
    del referral  # kept for callers; a person is named, or their role is
    return name or labels.phrase("the_chair")


def decider(s: Services, referral: Referral) -> str | None:
    """The deciding chair's first name as recorded with their events, or None."""
    if referral.decided_by is None:
        return None
    return events.names_of(s.db, [referral.decided_by]).get(str(referral.decided_by))


def joint_decider(s: Services, referral: Referral) -> str | None:
    """ "The three safeguarding partners" for a decision they took jointly (Approve or No
    review under a joint decision), else None (an escalation is one partner's, named as a
    chair is)."""
    if s.settings.joint and referral.decision in ("approved", "declined"):
        return labels.phrase("the_partners")
    return None


def status_context(s: Services, referral: Referral) -> dict[str, Any]:
    """The referral's status in words, and who decided and when (for notices that show it)."""
    decided = not referral.is_undecided and referral.decision is not None
    return {
        "status": labels.status_label(referral.status),
        "outcome": labels.decision_label(referral.decision) if decided else "",
        "by": decided_by_name(referral, joint_decider(s, referral) or decider(s, referral))
        if decided
        else "",
        "decided": when(referral.decided_at) if decided else "",
    }


def _board_notice(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    context = referral_context(referral)
    return Rendered(
        render(
            "bot/board_notice.j2",
            procedures=s.settings.cp_procedures,
            **context,
            **status_context(s, referral),
        )
    )


def _decision(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    payload = row.payload
    previous = str(payload.get("previous_grade") or "")
    return Rendered(
        render(
            "bot/decision.j2",
            ref=referral.ref,
            decision=referral.decision or "",
            outcome=labels.decision_label(referral.decision),
            grade_label=labels.grade_label(referral.grade),
            previous_label=labels.grade_label(previous) if previous else "",
            reason=referral.decision_reason or "",
            statutory=[labels.flag_label(str(name)) for name in payload.get("statutory", [])],
            warning=str(payload.get("warning", "")),  # rows queued before `statutory`
            audience=str(payload.get("audience", "board")),
            good_practice=bool(referral.facts.get("good_practice")),
        )
    )


def _question(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    question = info_requests.get_question(s.db, int(row.payload["question_id"]))
    if question is None:
        return None
    return Rendered(render("bot/info_request.j2", ref=referral.ref, question=question.question))


def _answer(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    question = info_requests.get_question(s.db, int(row.payload["question_id"]))
    if question is None or question.answer is None:
        return None
    removed = list(row.payload.get("removed", []))
    return Rendered(
        render("bot/info_answer.j2", ref=referral.ref, answer=question.answer, removed=removed)
    )


def _reminder(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    payload = dict(row.payload)
    for key in ("filed", "deadline", "due"):
        if key in payload:
            payload[key] = dt.date.fromisoformat(str(payload[key]))
    if "status" in payload:
        payload["status"] = labels.status_label(str(payload["status"]))
    if payload.get("reminder") == partners.DIFFER:
        payload["partners"] = partners.standings(s, referral.ref)
    return Rendered(render("bot/reminder.j2", **payload))


def action_context(action: Action) -> dict[str, Any]:
    """What every action template needs: the action, its id and its status in words."""
    return {
        "action": action,
        "id": action.id,
        "status": labels.action_status_label(action.status),
    }


def _action_lead(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    action = actions.find_action(s.db, str(row.payload["action"]))
    if action is None or not action.is_open:
        return None
    due_today = bool(row.payload.get("due_today"))
    text = render("bot/actions/to_lead.j2", due_today=due_today, **action_context(action))
    return Rendered(text, keyboards.action_keyboard(action.ref, action.seq))


def who_acted(s: Services, actor: str) -> str:
    """Who changed an action: the lead of an agency, an officer or the chair (by id)."""
    if not actor.isdigit():
        return actor
    user_id = int(actor)
    if s.settings.is_chair(user_id):
        return labels.phrase("chair", id=user_id)
    if s.settings.is_officer(user_id):
        return labels.phrase("officer", id=user_id)
    who = practitioners.get_practitioner(s.db, user_id)
    if who is not None and who.lead:
        return labels.phrase("lead", agency=who.agency)
    return labels.phrase("user", id=user_id)


def _action_update(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    action = actions.find_action(s.db, str(row.payload["action"]))
    event = events.get_event(s.db, int(row.payload["event_id"]))
    if action is None or event is None:
        return None
    words = event.detail.removeprefix(action.id).removeprefix(": ")
    text = render(
        "bot/actions/update.j2",
        change=event.action,
        words=words,
        who=who_acted(s, event.actor),
        **action_context(action),
    )
    return Rendered(text)


def _actions_overdue(s: Services, row: OutboxRow) -> Rendered | None:
    day = dt.date.fromisoformat(str(row.payload["day"]))
    overdue = actions.overdue_actions(s.db, day)
    if not overdue:
        return None
    listed = [{**action_context(a), "late": (day - a.due).days} for a in overdue]
    return Rendered(render("bot/actions/overdue.j2", actions=listed))


def _simple(template: str) -> Callable[[Services, OutboxRow, Referral], Rendered]:
    def render_row(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
        context = {**referral_context(referral, s.matrix, board_today(s)), **dict(row.payload)}
        return Rendered(render(template, procedures=s.settings.cp_procedures, **context))

    return render_row


def _brief_card(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """A written brief to its chair, with `Approve brief` / `Send back` (nothing once decided)."""
    brief = briefs.get_brief(s.db, referral.ref)
    if brief is None or brief.status != briefs.AWAITING_CHAIR:
        return None
    texts = brief_texts(brief, bool(referral.facts.get("good_practice")))
    audience = ", ".join(brief.agencies) or labels.phrase("every_practitioner")
    head = render("bot/briefs/card.j2", ref=referral.ref, audience=audience, brief=texts.parts[0])
    parts = (head, *texts.parts[1:])
    return Rendered(parts[-1], keyboards.brief_keyboard(referral.ref), parts[:-1])


def _brief(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """An approved brief to one practitioner: its parts, `Read it` on the last, the document
    (nothing once they turned briefs off after it was queued, unless it is already part-sent)."""
    brief = briefs.get_brief(s.db, referral.ref)
    if brief is None or brief.status != briefs.APPROVED:
        return None
    person = practitioners.get_practitioner(s.db, row.chat_id)
    if row.parts_sent == 0 and (person is None or person.briefs_off):
        return None
    texts = brief_texts(brief, bool(referral.facts.get("good_practice")))
    markup = keyboards.read_keyboard(referral.ref)
    return Rendered(texts.parts[-1], markup, texts.parts[:-1], (texts.filename, texts.html))


# The one routing table: each kind of outbox row and what renders it (every kind has one).
RENDERERS: dict[OutboxKind, Callable[[Services, OutboxRow, Referral], Rendered | None]] = {
    OutboxKind.BOARD_NOTICE: _board_notice,
    OutboxKind.RECEIPT: _simple("bot/receipt.j2"),
    OutboxKind.CHAIR_CARD: lambda s, row, referral: chair_card(
        referral,
        joint_decider(s, referral),
        matrix=s.matrix,
        today=board_today(s),
        partners=partners.standings(s, referral.ref),
    ),
    OutboxKind.QUESTION: _question,
    OutboxKind.ANSWER: _answer,
    OutboxKind.DECISION: _decision,
    OutboxKind.REMINDER: _reminder,
    OutboxKind.ACTION_LEAD: _action_lead,
    OutboxKind.ACTION_UPDATE: _action_update,
    OutboxKind.ACTIONS_OVERDUE: lambda s, row, referral: _actions_overdue(s, row),
    OutboxKind.BRIEF_CARD: _brief_card,
    OutboxKind.BRIEF: _brief,
}

# Kinds whose rows are tied to no referral (a digest over many), rendered from the row alone.
UNTIED: dict[OutboxKind, Callable[[Services, OutboxRow], Rendered | None]] = {
    OutboxKind.ACTIONS_OVERDUE: _actions_overdue,
}


def render_row(s: Services, row: OutboxRow) -> Rendered | None:
    """The message for an outbox row, or None when there is nothing left to say."""
    if row.ref is None and row.kind in UNTIED:
        return UNTIED[OutboxKind(row.kind)](s, row)
    referral = referrals.get_referral(s.db, row.ref) if row.ref else None
    renderer = RENDERERS.get(OutboxKind(row.kind)) if row.kind in RENDERERS else None
    if referral is None or renderer is None:
        return None
    return renderer(s, row, referral)


def after_sent(s: Services, row: OutboxRow, message_id: int) -> None:
    """Follow-ups once a row is delivered: a relayed question now awaits the practitioner
    (unless they already owe an earlier answer or a reason: that comes first)."""
    if row.kind == OutboxKind.QUESTION and row.ref and inputs.awaited(s.db, row.chat_id) is None:
        inputs.expect(
            s.db,
            row.chat_id,
            InputKind.INFO_ANSWER,
            row.ref,
            {"question_id": int(row.payload["question_id"]), "message_id": message_id},
            s.clock(),
        )

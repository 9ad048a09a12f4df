"""What each outbox row says: the text and buttons, rendered from the referral at send time.

Storage keeps one representation of a referral; every row is rendered from it (and from the
row's small payload), never stored as text. This module holds the one routing table of outbox
kinds (`RENDERERS`, with `UNTIED` for rows tied to no referral), `render_row` and `after_sent`
for the sender, and the renderers of the referral's own notices: the board notice, the receipt,
relayed questions and answers, decisions, reminders and a learning brief (its card to the chair,
then to each practitioner). The chair's card is `chair_card`'s, the action plan's messages
`action_notices`', a review's terms to its panel and to the group `terms_texts`', the
individual agency reviews' `agency_review_texts`', a review's learning event and themes
`event_notices`'; what they
all share is in `referral_texts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from bot.context import Services
from bot.delivery import (
    action_notices,
    agency_review_texts,
    event_notices,
    keyboards,
    partners,
    terms_texts,
)
from bot.delivery.brief_texts import brief_parts, brief_texts
from bot.delivery.chair_card import chair_card
from bot.delivery.deciders import joint_decider, status_context
from bot.delivery.referral_texts import Rendered, referral_context
from services import regrading
from services.decisions import STATUTORY_FLAGS
from services.grading import matrix_for
from storage import briefs, event_feedback, info_requests, inputs, practitioners, referrals
from storage.inputs import InputKind
from storage.outbox import OutboxKind, OutboxRow
from storage.referrals import Referral
from templates import labels, render

__all__ = ["RENDERERS", "UNTIED", "Rendered", "after_sent", "render_row"]


def _board_notice(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    context = referral_context(referral, s.matrix)
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
    m = matrix_for(referral, s.matrix)
    previous = str(payload.get("previous_grade") or "")
    return Rendered(
        render(
            "bot/decision.j2",
            ref=referral.ref,
            decision=referral.decision or "",
            outcome=labels.decision_label(referral.decision, referral.profile),
            grade_label=labels.grade_label(referral.grade),
            previous_label=labels.grade_label(previous) if previous else "",
            reason=referral.decision_reason or "",
            statutory=[labels.flag_label(str(name), m) for name in payload.get("statutory", [])],
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
        payload["status"] = labels.status_label(str(payload["status"]), referral.profile)
    if payload.get("reminder") == partners.DIFFER:
        payload["partners"] = partners.standings(s, referral.ref)
    decision_of = labels.phrase("decision_of", referral.profile)
    return Rendered(render("bot/reminder.j2", decision_of=decision_of, **payload))


def _simple(template: str) -> Callable[[Services, OutboxRow, Referral], Rendered]:
    def render_row(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
        context = {**referral_context(referral, s.matrix, s.today()), **dict(row.payload)}
        return Rendered(render(template, procedures=s.settings.cp_procedures, **context))

    return render_row


def _brief_card(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """A written brief to its chair, with `Approve brief` / `Send back` (nothing once decided)."""
    brief = briefs.get_brief(s.db, referral.ref)
    if brief is None or brief.status != briefs.AWAITING_CHAIR:
        return None
    if row.payload.get("version", brief.version) != brief.version:  # queued for one rewritten
        return None
    texts = brief_texts(brief, bool(referral.facts.get("good_practice")), referral.profile)
    audience = ", ".join(brief.agencies) or labels.phrase("every_practitioner")
    head = render("bot/briefs/card.j2", ref=referral.ref, audience=audience, brief=texts.parts[0])
    parts = (head, *texts.parts[1:])
    return Rendered(parts[-1], keyboards.brief_keyboard(referral.ref, brief.version), parts[:-1])


def _brief(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """An approved brief to one practitioner: its parts, `Read it` and `Get the document` on the
    last; the document itself only to those who press for it (`bot.practitioner.briefs`).
    Nothing once they turned briefs off after it was queued, unless it is already part-sent."""
    brief = briefs.get_brief(s.db, referral.ref)
    if brief is None or brief.status != briefs.APPROVED:
        return None
    person = practitioners.get_practitioner(s.db, row.chat_id)
    if row.parts_sent == 0 and (person is None or person.briefs_off):
        return None
    parts = brief_parts(brief, bool(referral.facts.get("good_practice")))  # no document: asked
    return Rendered(parts[-1], keyboards.read_keyboard(referral.ref), tuple(parts[:-1]))


def _flag_labels(s: Services, referral: Referral, flags: Mapping[str, bool]) -> list[str]:
    m = matrix_for(referral, s.matrix)
    return [labels.flag_label(name, m) for name in STATUTORY_FLAGS if flags.get(name)]


def _lower_grade(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """A regrade's lower grade to a decider, with `Accept lower grade` / `Keep` (nothing once
    the proposal is no longer open)."""
    proposal = int(row.payload["proposal"])
    new = regrading.standing(s.db, referral.ref, proposal)
    if new is None:
        return None
    text = render(
        "bot/regrade/proposal.j2",
        ref=referral.ref,
        held=labels.grade_label(referral.grade),
        kept_flags=_flag_labels(s, referral, referral.flags),
        proposed=labels.grade_label(new.grade),
        flags=_flag_labels(s, referral, new.flags),
        version=new.matrix_version,
    )
    return Rendered(text, keyboards.lower_keyboard(referral.ref, proposal))


def _regrade_notice(s: Services, row: OutboxRow, referral: Referral) -> Rendered:
    """A decided referral's grade after a regrade, to the board group."""
    payload = row.payload
    return Rendered(
        render(
            "bot/regrade/notice.j2",
            ref=referral.ref,
            outcome=str(payload["outcome"]),
            grade=labels.grade_label(referral.grade),
            previous=labels.grade_label(str(payload["previous_grade"])),
            proposed=labels.grade_label(str(payload.get("proposed") or referral.grade)),
            who=regrading.answered_by(s.db, referral.ref) or labels.phrase("unnamed_chair"),
            version=referral.matrix_version,
            flags=_flag_labels(s, referral, referral.flags),
        )
    )


# The one routing table: each kind of outbox row and what renders it (every kind has one).
RENDERERS: dict[OutboxKind, Callable[[Services, OutboxRow, Referral], Rendered | None]] = {
    OutboxKind.BOARD_NOTICE: _board_notice,
    OutboxKind.RECEIPT: _simple("bot/receipt.j2"),
    OutboxKind.CHAIR_CARD: lambda s, row, referral: chair_card(
        referral,
        s.matrix,
        by=joint_decider(s, referral),
        today=s.today(),
        partners=partners.standings(s, referral.ref),
    ),
    OutboxKind.QUESTION: _question,
    OutboxKind.ANSWER: _answer,
    OutboxKind.DECISION: _decision,
    OutboxKind.REMINDER: _reminder,
    OutboxKind.ACTION_LEAD: action_notices.action_lead,
    OutboxKind.ACTION_UPDATE: action_notices.action_update,
    OutboxKind.ACTIONS_OVERDUE: lambda s, row, referral: action_notices.actions_overdue(s, row),
    OutboxKind.BRIEF_CARD: _brief_card,
    OutboxKind.BRIEF: _brief,
    OutboxKind.TERMS_CARD: terms_texts.terms_card,
    OutboxKind.TERMS_UPDATE: terms_texts.terms_update,
    OutboxKind.LOWER_GRADE: _lower_grade,
    OutboxKind.REGRADE_NOTICE: _regrade_notice,
    OutboxKind.EVENT_INVITE: event_notices.event_invite,
    OutboxKind.EVENT_REMINDER: event_notices.event_reminder,
    OutboxKind.EVENT_FEEDBACK: event_notices.feedback_question,
    OutboxKind.THEMES: event_notices.themes_settled,
    OutboxKind.AGENCY_REVIEW_ASK: agency_review_texts.ask,
    OutboxKind.AGENCY_REVIEW_NO_LEAD: agency_review_texts.no_lead,
    OutboxKind.AGENCY_REVIEW_IN: agency_review_texts.submitted,
    OutboxKind.AGENCY_REVIEW_DUE: agency_review_texts.due,
    OutboxKind.AGENCY_REVIEWS_OVERDUE: lambda s, row, referral: agency_review_texts.overdue(s, row),
}

# Kinds whose rows are tied to no referral (a digest over many), rendered from the row alone.
UNTIED: dict[OutboxKind, Callable[[Services, OutboxRow], Rendered | None]] = {
    OutboxKind.ACTIONS_OVERDUE: action_notices.actions_overdue,
    OutboxKind.AGENCY_REVIEWS_OVERDUE: agency_review_texts.overdue,
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
    (unless they already owe an earlier answer: that comes first; whatever else they owe
    waits beside it); a learning event's feedback question awaits the attendee's text."""
    if row.kind == OutboxKind.EVENT_FEEDBACK and row.ref:
        found = event_feedback.session(s.db, row.ref, row.chat_id)
        if found is not None and not found.done:
            data = {"question": found.state}
            inputs.expect(s.db, row.chat_id, InputKind.FEEDBACK, row.ref, data, s.clock())
        return
    if (
        row.kind == OutboxKind.QUESTION
        and row.ref
        and inputs.awaited(s.db, row.chat_id, InputKind.INFO_ANSWER) is None
    ):
        inputs.expect(
            s.db,
            row.chat_id,
            InputKind.INFO_ANSWER,
            row.ref,
            {"question_id": int(row.payload["question_id"]), "message_id": message_id},
            s.clock(),
        )

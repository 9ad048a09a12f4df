"""What the review panel and the board group read of a review's terms of reference (SPEC §9).

A panel member's card (`terms_card`, the outbox renderer of `TERMS_CARD`, and `card`, the same
card as it stands after a press, for editing it in place): the reference, the version, the
period under review and the key lines of enquiry, who has agreed (under a joint decision, each
partner), and `Agree terms` / `Send back` while that version is with the panel; the Terms of
Reference document follows it. A card of an older version, or of terms agreed or sent back,
has no buttons. The board group's notice (`terms_update`, of `TERMS_UPDATE`) says who sent the
terms back and why, or who agreed them. Everything is rendered from storage at send time.
"""

from __future__ import annotations

from bot.context import Services
from bot.delivery import keyboards, partners
from bot.delivery.referral_texts import Rendered
from dialogs.core.answers import answer_label
from dialogs.plan_questions import DONE_STATE, PLAN
from reports.tor_document import render_tor
from services.review import UPDATE_AGREED
from services.terms import UPDATE_COUNTED, UPDATE_SENT_BACK
from storage import plans, terms
from storage.outbox import OutboxRow
from storage.referrals import Referral
from storage.terms import Terms, TermsAnswer
from templates import labels, render


def who(s: Services, user_id: int, name: str | None) -> str:
    """A panel member in words: their first name, with the partner they lead under a joint
    decision ("Lara (Local authority)"); the partner alone, or "a panel member", unnamed."""
    partner = s.settings.partner_of(user_id)
    role = partners.partner_label(partner) if partner is not None else ""
    if name and role:
        return labels.phrase("panel_partner", who=name, partner=role)
    return name or role or labels.phrase("panel_member")


def _names(s: Services, answers: tuple[TermsAnswer, ...]) -> list[str]:
    return [who(s, a.user_id, a.name) for a in answers]


def card(s: Services, referral: Referral, current: Terms, version: int) -> Rendered:
    """The card of `version` of the terms as it stands now (buttons only while that version is
    with the panel)."""
    plan = plans.get_plan(s.db, referral.ref)
    answers = dict(plan.answers) if plan is not None else {}
    period = answers.get("period")
    enquiries = answers.get("enquiry")
    state = "superseded" if current.version != version else current.status
    waiting = [
        who(s, uid, None) for uid in current.waiting_for if s.settings.partner_of(uid) is not None
    ]
    sent_back = current.sent_back_by
    text = render(
        "bot/terms/card.j2",
        ref=referral.ref,
        version=version,
        latest=current.version,
        state=state,
        period=answer_label(PLAN.by_id["period"], period) if isinstance(period, str) else "",
        enquiries=list(enquiries) if isinstance(enquiries, list) else [],
        all_needed=current.all_needed,
        agreed=_names(s, current.agreed_by),
        waiting=waiting,
        sent_back=who(s, sent_back.user_id, sent_back.name) if sent_back else "",
        reason=sent_back.reason if sent_back else "",
    )
    live = state == terms.WITH_PANEL
    markup = keyboards.terms_keyboard(referral.ref, version) if live else None
    return Rendered(text, markup)


def terms_card(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """A version of the terms to one panel member, with its document; nothing once that
    version is no longer with the panel (agreed, sent back, replaced) or its plan is being
    changed (a new version follows)."""
    current = terms.get_terms(s.db, referral.ref)
    plan = plans.get_plan(s.db, referral.ref)
    version = int(row.payload.get("version", 0))
    if (
        current is None
        or current.version != version
        or current.status != terms.WITH_PANEL
        or plan is None
        or plan.state != DONE_STATE
    ):
        return None
    shown = card(s, referral, current, version)
    document = render_tor(referral, plan, s.today())
    caption = render("bot/terms/caption.j2", ref=referral.ref, version=version)
    return Rendered(
        shown.text, shown.markup, document=(document.html_name, document.html), caption=caption
    )


def terms_update(s: Services, row: OutboxRow, referral: Referral) -> Rendered | None:
    """The board group told that a version of the terms was sent back (by whom, why) or
    agreed (by whom)."""
    version = int(row.payload.get("version", 0))
    answers = terms.answers_to(s.db, referral.ref, version)
    event = str(row.payload.get("event", ""))
    if event == UPDATE_SENT_BACK:
        user_id = int(row.payload.get("user_id", 0))
        back = next((a for a in answers if a.user_id == user_id), None)
        if back is None:
            return None
        by = who(s, back.user_id, back.name)
        text = render(
            "bot/terms/update.j2",
            event=event,
            ref=referral.ref,
            version=version,
            by=by,
            reason=back.reason,
        )
        return Rendered(text)
    if event == UPDATE_AGREED:
        agreed = [a for a in answers if a.answer == terms.AGREE]
        names = _names(s, tuple(agreed))
        text = render(
            "bot/terms/update.j2", event=event, ref=referral.ref, version=version, names=names
        )
        return Rendered(text)
    if event == UPDATE_COUNTED:
        return _counted(s, referral, version, answers, int(row.payload.get("count", 0)))
    return None


def _counted(
    s: Services, referral: Referral, version: int, answers: tuple[TermsAnswer, ...], count: int
) -> Rendered | None:
    """The group told who has agreed so far (the first `count` agreements: what stood when
    the notice was queued) and whose agreement is still needed."""
    current = terms.get_terms(s.db, referral.ref)
    if current is None:
        return None
    agreed = tuple(a for a in answers if a.answer == terms.AGREE)[:count]
    done = {a.user_id for a in agreed}
    waiting = [who(s, uid, None) for uid in current.panel if uid not in done]
    text = render(
        "bot/terms/update.j2",
        event=UPDATE_COUNTED,
        ref=referral.ref,
        version=version,
        names=_names(s, agreed),
        waiting=waiting,
    )
    return Rendered(text)

"""The event log as people read it (`/case`): each entry names who acted (their first name as
recorded with the event, or their role; never a Telegram id; a safeguarding partner's lead as a
partner, with the partner they lead) and says statuses, decisions, grades and flags in words
rather than as stored values ("awaiting_chair -> approved" reads "awaiting the chair →
approved").
"""

from __future__ import annotations

import re

from bot.context import Services
from bot.delivery import partners
from bot.delivery.deciders import decided_by_name, decider
from bot.delivery.referral_texts import when
from matrix import GRADES, NONE
from storage import events
from storage.events import Event
from storage.lifecycle import STATUSES
from storage.referrals import DECISIONS, Referral
from templates import labels

_WORD = r"[a-z_]+"
_MOVE = re.compile(rf"\b({_WORD}) -> ({_WORD})\b")
_DECISION = re.compile(rf"^({'|'.join(DECISIONS)}): ")
_FLAGS = re.compile(r"\bflags ([a-z_, ]+?) -> ([a-z_, ]+?)(?=;|:|$)")
_GRADES = frozenset((*GRADES, NONE))


def actor_label(s: Services, referral: Referral | None, actor: str, name: str | None = None) -> str:
    """Who an event's actor is: a practitioner by their agency only; anyone else by the first
    name they had when they acted, with their role (a partner's lead: the partner); their role
    alone when no name is known."""
    if not actor.lstrip("-").isdigit():
        return actor
    user_id = int(actor)
    if referral is not None and user_id == referral.referrer_id:
        return labels.phrase("practitioner", agency=referral.referrer_agency)
    partner = s.settings.partner_of(user_id)
    if partner is not None and not s.settings.is_chair(user_id):
        words = partners.partner_label(partner)
        if name:
            return labels.phrase("partner", who=name, partner=words)
        return labels.phrase("unnamed_partner", partner=words)
    role = "chair" if s.settings.is_chair(user_id) else "officer"
    if not s.settings.is_officer(user_id):
        role = "user"
    return labels.phrase(role, who=name) if name else labels.phrase(f"unnamed_{role}")


def _flag_names(text: str, profile: str | None) -> str:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if names == ["none"]:
        return labels.phrase("no_flags")
    return ", ".join(labels.flag_short(name, profile) for name in names)


def _move(match: re.Match[str], profile: str | None) -> str:
    before, after = match.group(1), match.group(2)
    if before in STATUSES and after in STATUSES:
        return f"{labels.status_label(before, profile)} → {labels.status_label(after, profile)}"
    if before in _GRADES and after in _GRADES:
        return f"{labels.grade_label(before)} → {labels.grade_label(after)}"
    return match.group(0)


def detail_words(detail: str, profile: str | None = None) -> str:
    """An event's stored detail with its statuses, decisions, grades and flags in words, in
    the words of the referral's `profile` (SPEC §3, Profiles)."""
    detail = _FLAGS.sub(
        lambda m: (
            f"{labels.phrase('flags')} {_flag_names(m[1], profile)} → {_flag_names(m[2], profile)}"
        ),
        detail,
    )
    detail = _DECISION.sub(lambda m: f"{labels.decision_label(m[1], profile)}: ", detail)
    return _MOVE.sub(lambda m: _move(m, profile), detail)


def entries(s: Services, referral: Referral, logged: list[Event]) -> list[dict[str, str]]:
    """The log lines `/case` shows: when, who (named), what and the detail in words."""
    names = events.names_of(s.db, [e.actor for e in logged if e.actor_name is None])
    return [
        {
            "when": when(e.at),
            "who": actor_label(s, referral, e.actor, e.actor_name or names.get(e.actor)),
            "action": e.action,
            "detail": detail_words(e.detail, referral.profile),
        }
        for e in logged
    ]


def decided_by(s: Services, referral: Referral) -> str:
    """Who decided, by name (or "the chair" when no name was recorded)."""
    return decided_by_name(referral, decider(s, referral))

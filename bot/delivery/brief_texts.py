"""What a learning brief says (SPEC §7): its message parts and its HTML document.

Rendered from the stored brief at send time, like every outbox row: the heading, then each
section under its key phrase; when the whole is longer than one Telegram message, it is split
only between sections (a section is at most `dialogs.brief_questions.SECTION` characters, so
one always fits). The same brief is an HTML document (`templates/brief/brief.html.j2`). What
was typed is escaped once, by the templates, on every path (the chair's card shows the parts
as they are).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from telegram.constants import MessageLimit

from bot.delivery.messaging import visible_length
from dialogs.brief_questions import BRIEF
from storage.briefs import Brief
from templates import labels, render


@dataclass(frozen=True)
class BriefTexts:
    """A brief ready to send: its message parts in order, and its document."""

    parts: tuple[Markup, ...]  # HTML, escaped once
    filename: str
    html: str


def sections(brief: Brief) -> list[tuple[str, str]]:
    """(key phrase, text) of each section written, in the order asked."""
    return [(q.short, brief.sections[q.id]) for q in BRIEF.questions if q.id in brief.sections]


def brief_parts(
    brief: Brief, case_study: bool, limit: int = MessageLimit.MAX_TEXT_LENGTH
) -> list[Markup]:
    """The brief's message text, split between sections only when it does not fit in one.

    Each part is HTML as Telegram reads it, what was typed escaped once (by the templates), and
    marked as such: a template that shows a part (the chair's card) must not escape it again."""
    parts = [render("brief/heading.j2", ref=brief.ref, case_study=case_study)]
    for title, text in sections(brief):
        piece = render("brief/section.j2", title=title, text=text)
        joined = f"{parts[-1]}\n\n{piece}"
        if visible_length(joined) <= limit:
            parts[-1] = joined
        else:
            parts.append(piece)
    return [Markup(part) for part in parts]  # rendered by the templates: already escaped


def brief_texts(brief: Brief, case_study: bool, profile: str) -> BriefTexts:
    """The brief's message parts and its HTML document (naming who approved it in the words of
    the referral's `profile`)."""
    approved = brief.approved_at.strftime("%d %b %Y") if brief.approved_at else ""
    html = render(
        "brief/brief.html.j2",
        ref=brief.ref,
        case_study=case_study,
        sections=sections(brief),
        approved=approved,
        approver=labels.phrase("brief_approver", profile),
    )
    return BriefTexts(tuple(brief_parts(brief, case_study)), f"brief-{brief.ref}.html", html)

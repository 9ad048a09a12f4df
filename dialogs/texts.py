"""The practitioner dialog's messages that are not questions: help, privacy, urgent, and so on.

Each is rendered from `templates/dialog/`; the bot sends them with parse_mode HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matrix.model import TERMS_2013
from templates import render


def help_text(terms: Mapping[str, str] | None = None) -> str:
    """What the check is and the commands available at any point (/help), naming the body in
    `terms` (the configured profile's; the 2013 words when None)."""
    return render("dialog/help.j2", terms=TERMS_2013 if terms is None else terms)


def privacy_text(ttl_hours: int = 72) -> str:
    """What is stored, what is removed, and how long drafts live (/privacy)."""
    return render("dialog/privacy.j2", ttl_hours=ttl_hours)


def urgent_text(contacts: str, procedures: str = "") -> str:
    """The urgent-escalation message shown at once when a child is at immediate risk;
    `procedures` names the child protection procedures to act under (the bot's setting)."""
    return render("dialog/urgent.j2", contacts=contacts, procedures=procedures)


def expired_text(hours: int) -> str:
    """Told to a practitioner whose unfinished check expired."""
    return render("dialog/expired.j2", hours=hours)


def cancelled_text() -> str:
    """Told after /cancel or the Cancel button: nothing was filed."""
    return render("dialog/cancelled.j2")


def redacted_text(kinds: Sequence[str]) -> str:
    """Tells the practitioner which kinds of identifier were removed from their text."""
    return render("dialog/redacted.j2", kinds=list(kinds))

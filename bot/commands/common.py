"""What the subcommands that read the board's database share: its settings and the database
itself, opened only when it already exists (a mistyped TRIAGE_DB must not create an empty one)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from bot.settings import Settings


def settings_for(command: str) -> Settings | None:
    """The settings; None (having said why on stderr) when they are wrong."""
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        print(f"triage-bot {command}: {exc}", file=sys.stderr)
        return None


def existing_db(command: str, settings: Settings) -> Database | None:
    """The board's database opened; None (having said why on stderr) when there is none at
    TRIAGE_DB."""
    from storage.db import open_db

    if not settings.db_path.exists():
        print(
            f"triage-bot {command}: no database at {settings.db_path} (set TRIAGE_DB)",
            file=sys.stderr,
        )
        return None
    return open_db(settings.db_path)


def open_existing(command: str) -> tuple[Settings, Database] | None:
    """The settings and the open database; None (having said why on stderr) when the settings
    are wrong or there is no database at TRIAGE_DB."""
    settings = settings_for(command)
    db = None if settings is None else existing_db(command, settings)
    return None if settings is None or db is None else (settings, db)


def actor_label(settings: Settings, actor: str, referrer_id: int | None = None) -> str:
    """Who an event's actor is, for the board's own eyes: the role and the Telegram id of a
    chair, safeguarding partner's lead (with the partner), officer or practitioner; a pseudonym
    or a role ("system", "cli") as it is."""
    if not actor.isdigit():
        return actor
    user_id = int(actor)
    if settings.is_chair(user_id):
        return f"chair {user_id}"
    partner = settings.partner_of(user_id)
    if partner is not None:
        return f"partner ({partner}) {user_id}"
    if settings.is_officer(user_id):
        return f"officer {user_id}"
    if user_id == referrer_id:
        return f"practitioner {user_id}"
    return f"user {user_id}"

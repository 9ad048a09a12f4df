"""A review's practice themes (SPEC §9, "Themes"), as use cases without Telegram: a theme
toggled on or off (at most `storage.themes.MOST`, a fourth refused), and the themes settled
(`Done`), which tells the board group through the outbox in the same transaction."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from storage import themes
from storage.db import transaction
from storage.outbox import PRIORITY_NORMAL, OutboxKind, enqueue
from storage.themes import Toggled

__all__ = ["Toggled", "settle_themes", "toggle_theme"]


def toggle_theme(
    db: Database, ref: str, theme: str, officer_id: int, officer_name: str | None, now: dt.datetime
) -> Toggled:
    """Add `theme` to the review or take it off (`Toggled.FULL`: a fourth, refused)."""
    return themes.toggle(db, ref, theme, officer_id, officer_name, now)


def settle_themes(
    db: Database,
    ref: str,
    officer_id: int,
    officer_name: str | None,
    board_chat_id: int | None,
    now: dt.datetime,
) -> list[str]:
    """The officers' `Done`: recorded, and the group told the review's themes."""
    with transaction(db):
        chosen = themes.record_done(db, ref, officer_id, officer_name, now)
        if board_chat_id is not None:
            payload = {"by": officer_name or ""}
            enqueue(db, ref, OutboxKind.THEMES, board_chat_id, payload, PRIORITY_NORMAL, now)
    return chosen

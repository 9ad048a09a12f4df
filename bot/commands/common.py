"""What the subcommands share: their settings, the board's database opened only when it already
exists (a mistyped TRIAGE_DB must not create an empty one), a read of it that always closes it,
the `--matrix` option and the matrix it names, and their flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlite_utils import Database

    from bot.settings import Settings
    from matrix import Matrix

T = TypeVar("T")


def add_flags(parser: argparse.ArgumentParser, flags: dict[str, str]) -> None:
    """Declare on/off options, each `--name` with its help."""
    for flag, text in flags.items():
        parser.add_argument(flag, action="store_true", help=text)


def add_matrix_option(parser: argparse.ArgumentParser, use: str, note: str = "") -> None:
    """Declare `--matrix TOML`: a profile (2013, wt2023) or a matrix file, instead of the MATRIX
    setting's; `use` says what the command does with it, `note` adds to the help."""
    text = f"{use} this profile (2013, wt2023) or matrix file instead of the MATRIX setting's"
    parser.add_argument("--matrix", metavar="TOML", default=None, help=text + note)


def write_utf8(text: str) -> None:
    """Write `text` to stdout as UTF-8 whatever the terminal's locale (the appendix quotes
    contain ’)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def chosen_matrix(command: str, named: str | None) -> Matrix | None:
    """The matrix `--matrix` names, else the MATRIX setting's (a TRIAGE_CONFIG file counts);
    None (having said why on stderr) when it cannot be loaded."""
    from bot.settings import SettingsError, load_only
    from matrix import MatrixError, load_profile

    try:
        return load_profile(named or load_only(["MATRIX"]).matrix)
    except (MatrixError, SettingsError) as exc:
        print(f"triage-bot {command}: {exc}", file=sys.stderr)
        return None


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


def open_existing(
    command: str, check_targets: Callable[[], None] | None = None
) -> tuple[Settings, Database] | None:
    """The settings and the open database; None (having said why on stderr) when the settings
    are wrong, when `check_targets` refuses where the command would write (`UnsafeTarget`,
    checked before the database is opened), or when there is no database at TRIAGE_DB."""
    from bot.files import UnsafeTarget

    settings = settings_for(command)
    if settings is None:
        return None
    try:
        if check_targets is not None:
            check_targets()
    except UnsafeTarget as exc:
        print(f"triage-bot {command}: {exc}", file=sys.stderr)
        return None
    db = existing_db(command, settings)
    return None if db is None else (settings, db)


def read_existing(command: str, read: Callable[[Database], T]) -> tuple[Settings, T] | None:
    """The settings and what `read` gets from the open database, which is closed after it;
    None (having said why on stderr) when the settings are wrong or there is no database."""
    opened = open_existing(command)
    if opened is None:
        return None
    settings, db = opened
    try:
        return settings, read(db)
    finally:
        db.conn.close()


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

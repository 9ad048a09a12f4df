"""The `triage-bot` entry point: parses the subcommand and imports only what it needs.

Subcommands that do not talk to Telegram (grade, regrade, matrix, diagram, report, export,
backup, invite, purge, subject-access, audit, privacy-notice) must not import `telegram`, so
that they start fast; each lives in its own module under `bot.commands` and is imported lazily
here.

Before any subcommand runs, the umask is set to `PRIVATE_UMASK`: every file the bot creates
(the database and its -wal and -shm, backups, exports, reports) is readable by its owner alone
(0600) and every folder 0700. A setting that is malformed stops any subcommand with one line
on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# group and others get nothing: files 0600, folders 0700
PRIVATE_UMASK = 0o077

# subcommand -> (module under bot.commands, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run the bot (long polling, or --webhook)"),
    "grade": ("grade", "grade facts JSON on the matrix (file or - for stdin)"),
    "regrade": ("regrade", "regrade stored referrals on the current matrix (--dry-run lists)"),
    "matrix": ("matrix_table", "print the grading matrix as a table"),
    "diagram": ("diagram", "print the practitioner dialog as a Mermaid diagram"),
    "invite": ("invite", "issue a one-time invite code for an agency"),
    "demo": ("demo", "run the whole system offline with a web page"),
    "report": ("report", "write the annual learning report"),
    "export": ("export", "export referrals, actions or learning briefs as CSV"),
    "backup": ("backup", "copy the database with SQLite's online backup"),
    "purge": ("purge", "erase free text due under the retention schedule now"),
    "subject-access": ("subject_access", "print what is held about one Telegram user"),
    "audit": ("audit", "print a referral's whole event log, views included"),
    "privacy-notice": ("privacy_notice", "print the privacy notice a board can adopt"),
}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand's own arguments."""
    parser = argparse.ArgumentParser(
        prog="triage-bot",
        description="Learning and improvement triage bot for a Safeguarding Children Board.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        module = _load(module_name)
        if module is not None:
            module.add_arguments(sp)
    return parser


def _load(module_name: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(f"bot.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"bot.commands.{module_name}":
            return None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `triage-bot` command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    module = _load(SUBCOMMANDS[args.command][0])
    if module is None:
        print(f"triage-bot: '{args.command}' is not available in this build", file=sys.stderr)
        return 2
    from bot.settings import SettingsError

    os.umask(PRIVATE_UMASK)
    try:
        result: int = module.run(args)
    except SettingsError as exc:
        print(f"triage-bot {args.command}: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    return result


if __name__ == "__main__":
    raise SystemExit(main())

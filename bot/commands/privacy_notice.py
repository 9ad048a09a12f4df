"""`triage-bot privacy-notice`: the privacy notice a board can adopt, as Markdown on stdout.

Rendered from `templates/docs/privacy.md.j2` with the settings' defaults (never the
environment's, so the committed `docs/privacy.md` is the same wherever it is generated), the
tables of the latest database schema, and the kinds of identifier the redaction removes. A
table the template does not describe stops it with an error, so the notice cannot fall behind
the schema. Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn


class UndescribedTable(RuntimeError):
    """The schema has a table the privacy notice does not describe."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No arguments: the notice is always generated from the defaults."""


def _undescribed(name: str) -> NoReturn:
    raise UndescribedTable(
        f"table {name!r} is not described in templates/docs/privacy.md.j2: say what it holds"
        " about people and how long"
    )


def notice() -> str:
    """The privacy notice as Markdown."""
    from bot.settings import Settings
    from dialogs.redact import KINDS
    from storage.migrations import LATEST, schema
    from templates import render

    return render(
        "docs/privacy.md.j2",
        s=Settings(),
        tables=schema(),
        version=LATEST,
        kinds=KINDS,
        undescribed=_undescribed,
    )


def run(args: argparse.Namespace) -> int:
    """Print the notice."""
    try:
        text = notice()
    except UndescribedTable as exc:
        print(f"triage-bot privacy-notice: {exc}", file=sys.stderr)
        return 1
    print(text)
    return 0

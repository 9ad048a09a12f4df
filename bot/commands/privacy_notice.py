"""`triage-bot privacy-notice`: the privacy notice a board can adopt, as Markdown on stdout
(`--html`: the same notice as an HTML page on the documents' accessible base, to publish).

Rendered from `templates/docs/privacy.md.j2` with the settings' defaults (never the
environment's, so the committed `docs/privacy.md` is the same wherever it is generated), the
tables of the latest database schema, and the kinds of identifier the redaction removes. A
table the template does not describe stops it with an error, so the notice cannot fall behind
the schema. Does not import `telegram`.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from typing import NoReturn

# The Markdown the notice's template writes, and nothing more: headings, paragraphs, "- " lists
# (continued by indented lines), pipe tables, `code`, **strong** and *emphasis*.
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*", re.S)
_EM = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", re.S)


class UndescribedTable(RuntimeError):
    """The schema has a table the privacy notice does not describe."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """`--html`; otherwise no arguments: the notice is always generated from the defaults."""
    parser.add_argument(
        "--html", action="store_true", help="print the notice as an HTML page instead"
    )


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


def _inline(text: str) -> str:
    codes: list[str] = []

    def keep(match: re.Match[str]) -> str:
        codes.append(f"<code>{match.group(1)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = _CODE.sub(keep, html.escape(text, quote=False))
    out = _EM.sub(r"<em>\1</em>", _STRONG.sub(r"<strong>\1</strong>", out))
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str], caption: str) -> str:
    head, rows = _cells(lines[0]), [_cells(line) for line in lines[2:]]
    columns = "".join(f'<th scope="col">{_inline(c)}</th>' for c in head)
    body = "".join(
        f'<tr><th scope="row">{_inline(r[0])}</th>'
        + "".join(f"<td>{_inline(c)}</td>" for c in r[1:])
        + "</tr>\n"
        for r in rows
    )
    label = html.escape(caption)
    return (
        f'<div class="table" role="region" tabindex="0" aria-label="{label}">\n<table>\n'
        f"<caption>{label}</caption>\n<thead><tr>{columns}</tr></thead>\n<tbody>\n{body}"
        "</tbody>\n</table>\n</div>"
    )


def markdown_html(markdown: str) -> tuple[str, str]:
    """(title, body HTML) of the notice's Markdown; the title is its first heading."""
    title, heading, parts = "", "", []
    for block in re.split(r"\n\s*\n", markdown.strip()):
        lines = block.splitlines()
        first = lines[0]
        if match := re.match(r"(#{1,3}) (.+)", first):
            level, heading = len(match.group(1)), match.group(2)
            title = title or heading
            parts.append(f"<h{level}>{_inline(heading)}</h{level}>")
        elif first.startswith("|"):
            parts.append(_table(lines, heading))
        elif first.startswith("- "):
            items: list[str] = []
            for line in lines:
                if line.startswith("- "):
                    items.append(line[2:])
                else:
                    items[-1] += " " + line.strip()
            parts.append("<ul>\n" + "".join(f"<li>{_inline(i)}</li>\n" for i in items) + "</ul>")
        else:
            parts.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return title, "\n".join(parts)


def notice_html() -> str:
    """The privacy notice as an HTML page (the documents' base: lang, viewport, main, tables
    with caption and header scope)."""
    from markupsafe import Markup

    from templates import render

    title, body = markdown_html(notice())
    return render("docs/privacy.html.j2", title=title, body=Markup(body)) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the notice."""
    try:
        text = notice_html() if args.html else notice()
    except UndescribedTable as exc:
        print(f"triage-bot privacy-notice: {exc}", file=sys.stderr)
        return 1
    print(text)
    return 0

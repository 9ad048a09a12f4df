"""The README tells the truth: its command tables list exactly the commands the bot answers
(in the private chat and in the board group) and the `triage-bot` subcommands, the command
menus agree with both, and its diagram is the one the machine draws today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.app import BOARD_COMMANDS, PRIVATE_COMMANDS, build_app
from bot.cli import SUBCOMMANDS, main
from bot.settings import load_settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _table_commands(block: str) -> list[str]:
    """The first word of each row's first cell: `/queue`, `triage-bot grade`, …"""
    return re.findall(r"^\| `((?:/|triage-bot )[a-z][a-z-]*)", block, flags=re.MULTILINE)


def _tables(section: str) -> list[list[str]]:
    return [cmds for block in section.split("\n\n") if (cmds := _table_commands(block))]


def _registered(tmp_path: Path) -> dict[str, set[str]]:
    """The commands the bot, built as `triage-bot run` builds it, answers, by where."""
    env = {
        "TELEGRAM_BOT_TOKEN": "123456:TEST-token-for-the-readme-check",
        "TRIAGE_DB": str(tmp_path / "triage.db"),
        "BOARD_CHAT_ID": "-100",
        "CHAIR_USER_IDS": "1",
        "OFFICER_USER_IDS": "2",
    }
    app = build_app(load_settings(env))
    try:
        found: dict[str, set[str]] = {"private": set(), "group": set()}
        for handlers in app.handlers.values():
            for handler in handlers:
                if not isinstance(handler, CommandHandler):
                    continue
                module = handler.callback.__module__
                where = "private" if module.startswith("bot.practitioner") else "group"
                assert module.startswith(("bot.practitioner", "bot.board")), module
                found[where].update(f"/{c}" for c in handler.commands)
        return found
    finally:
        app.bot_data.services.db.conn.close()


def test_the_tables_of_commands_people_type_match_the_bot(tmp_path: Path) -> None:
    private, group = _tables(_section("Commands people type"))
    registered = _registered(tmp_path)
    assert sorted(private) == sorted(registered["private"])
    assert sorted(group) == sorted(registered["group"])


def test_the_command_menus_offer_what_the_bot_answers(tmp_path: Path) -> None:
    registered = _registered(tmp_path)
    assert {f"/{c.command}" for c in PRIVATE_COMMANDS} == registered["private"]
    assert {f"/{c.command}" for c in BOARD_COMMANDS} == registered["group"]


def test_the_command_line_table_lists_every_subcommand() -> None:
    (listed,) = _tables(_section("Command line"))
    assert sorted(c.removeprefix("triage-bot ") for c in listed) == sorted(SUBCOMMANDS)


def test_the_diagram_is_the_one_the_machine_draws(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "--forward", "--markdown"]) == 0
    drawn = capsys.readouterr().out.strip()
    assert drawn in README.read_text(), "regenerate it: triage-bot diagram --forward --markdown"


def test_a_stale_table_is_caught() -> None:
    """The reader of the tables can fail: a row removed from a table is missed."""
    rows = "| `/queue` | a |\n| `/case REF` | b |\n"
    assert _table_commands(rows) == ["/queue", "/case"]
    assert _table_commands(rows.replace("| `/case REF` | b |\n", "")) == ["/queue"]

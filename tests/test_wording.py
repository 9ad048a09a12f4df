"""Every text a person reads comes from `templates/`: no sentence is written into the bot's code.

An AST scan of `bot/` finds each call that sends, answers or edits a message (and the helpers
that wrap them) and fails if any argument holds a string literal or f-string with words in it,
directly or through a name bound to one (a module constant, a local variable). A path to a
template ("bot/chair/asked.j2") or markup between rendered parts ("\\n\\n") is not a sentence.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"

# Calls whose arguments a person reads: Telegram's methods and our wrappers around them.
SPEAKING_CALLS = frozenset(
    {
        "send_message",
        "edit_message_text",
        "edit_message_caption",
        "send_document",
        "answer",
        "answer_callback_query",
        "reply_text",
        "reply_html",
        "answer_query",
        "reply",
        "send",
        "edit",
        "usage",
        "ForceReply",
        "InlineKeyboardButton",
        "BotCommand",
        "buttons",
    }
)
# Two words with a space between them: a sentence or a phrase (a template's path has none).
WORDS = re.compile(r"[A-Za-z]{2,}[,;:.!?)]*\s+[(\"“]*[A-Za-z]{2,}")


def _is_sentence(text: str) -> bool:
    return bool(WORDS.search(text))


def _literals(node: ast.AST) -> list[str]:
    """The string literal parts inside an expression (f-string parts included)."""
    found: list[str] = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            found.append(sub.value)
    return found


def _bindings(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Every expression assigned to each simple name anywhere in the module."""
    bound: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        value: ast.expr | None = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AugAssign | ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        if value is None:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                bound.setdefault(target.id, []).append(value)
    return bound


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _sentences(expr: ast.expr, bound: dict[str, list[ast.expr]], seen: set[str]) -> list[str]:
    """Sentences an argument expression carries, following names to what they were bound to."""
    found = [text for text in _literals(expr) if _is_sentence(text)]
    for sub in ast.walk(expr):
        if isinstance(sub, ast.Name) and sub.id in bound and sub.id not in seen:
            seen.add(sub.id)
            for value in bound[sub.id]:
                found += _sentences(value, bound, seen)
    return found


def scan(source: str) -> list[tuple[int, str, str]]:
    """(line, call, sentence) for each sentence passed to a speaking call in `source`."""
    tree = ast.parse(source)
    bound = _bindings(tree)
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _call_name(node) not in SPEAKING_CALLS:
            continue
        args = [*node.args, *(keyword.value for keyword in node.keywords)]
        for arg in args:
            for text in _sentences(arg, bound, set()):
                found.append((node.lineno, _call_name(node), text))
    return found


def test_the_scan_finds_a_sentence_however_it_is_written() -> None:
    source = """
INVALID = "That button is not valid."
async def f(context, query, ref, user_id):
    await context.bot.send_message(user_id, "Thank you.  Your answer is in.")
    await query.answer(INVALID, show_alert=True)
    note = f"The plan for {ref} is not open."
    await messaging.answer_query(query, note)
    await reply(update, context, "Sorry" if ref else "Nothing here")
    text = render("bot/resent.j2")
    text += "Sent again, maybe twice."
    await context.bot.send_message(chat_id=1, text=text)
    await edit(context, 1, 2, None, buttons([[("Ask for information", data)]]))
"""
    assert {line for line, _, _ in scan(source)} == {4, 5, 7, 8, 11, 12}, scan(source)


def test_the_scan_lets_templates_and_markup_through() -> None:
    source = """
async def f(context, user_id, before, done, ref):
    await context.bot.send_message(user_id, render("bot/chair/asked.j2", ref=ref))
    await messaging.edit(context, user_id, 1, f"{before.text}\\n\\n{done}")
    await query.answer()
"""
    assert scan(source) == []


@pytest.mark.parametrize(
    "path", sorted(BOT.rglob("*.py")), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_sentence_is_passed_to_a_send_answer_or_edit_call(path: Path) -> None:
    found = scan(path.read_text(encoding="utf-8"))
    assert not found, "texts belong in templates/: " + "; ".join(
        f"line {line} {call}({text!r})" for line, call, text in found
    )

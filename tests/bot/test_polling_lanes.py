"""Different people's updates are handled concurrently; each person's stay in order.

A reply made slow on the local Bot API (the bot's sendMessage to one chat answered late)
stands for a slow handler: nothing of ours is changed or mocked.
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

from harness import PRACTITIONER, Bots, Person, settle

from localapi import LocalBotAPI

SLOW = 1.5
ROOT = Path(__file__).resolve().parents[2]


async def test_a_slow_reply_to_one_person_does_not_hold_up_another(
    api: LocalBotAPI, bots: Bots, pat: Person, stranger: Person
) -> None:
    api.delay("sendMessage", SLOW, chat_id=PRACTITIONER)
    since = api.mark()
    api.send_text(pat.user_id, "/help")  # both wait for the bot, so they come in one batch
    api.send_text(stranger.user_id, "/help")
    started = time.monotonic()
    await bots.start(bots.settings())
    await api.wait_for_message(stranger.chat_id, "How this works", since=since)
    other = time.monotonic() - started
    await api.wait_for_message(pat.chat_id, "How this works", since=since)
    assert other < SLOW <= time.monotonic() - started


async def test_one_persons_updates_are_handled_in_order(
    api: LocalBotAPI, bots: Bots, pat: Person
) -> None:
    api.delay("sendMessage", SLOW, chat_id=PRACTITIONER)  # the first reply only
    api.send_text(pat.user_id, "/help")
    api.send_text(pat.user_id, "/privacy")
    api.send_text(pat.user_id, "/cancel")
    await bots.start(bots.settings())
    await settle(api)
    replies = [c.params.get("text", "") for c in api.calls("sendMessage", chat_id=pat.chat_id)]
    assert len(replies) == 3
    assert "How this works" in replies[0] and "stored" in replies[1].lower()
    assert "nothing" in replies[2].lower() or "cancel" in replies[2].lower()


def test_no_transaction_awaits_inside_it() -> None:
    """Handlers share one SQLite connection: a transaction must run BEGIN to COMMIT without
    yielding to another coroutine, or two handlers' writes would interleave in it."""
    offenders = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.With | ast.AsyncWith):
                continue
            opens = any(
                isinstance(item.context_expr, ast.Call)
                and getattr(item.context_expr.func, "id", "") == "transaction"
                for item in node.items
            )
            inner = (n for stmt in node.body for n in ast.walk(stmt))
            if opens and any(
                isinstance(n, ast.Await | ast.AsyncFor | ast.AsyncWith) for n in inner
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, offenders

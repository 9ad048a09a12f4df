"""The check lives in one message: a press is answered at once and edits that message into the
next question (SPEC §2), and a whole check costs about one request naming the chat and a few SQL
statements per update.

Counted, not timed: the calls the bot made, as the local Bot API recorded them, and the statements
its database connection ran (SQLite's trace callback).
"""

from __future__ import annotations

from flows import REF, register, walk
from harness import Person, Running, settle
from synthetic import CATASTROPHIC_PATH, DESCRIPTION

from bot.settings import Settings
from localapi import LocalBotAPI

# What the practitioner does after registering: (what, label or text, the next phrase).
WHOLE_CHECK = [
    *(("press", label, phrase) for label, phrase in CATASTROPHIC_PATH),
    ("press", "Health", "Chosen: Health"),
    ("press", "Police", "Chosen: Health, Police"),
    ("press", "Done", "describe"),
    ("say", DESCRIPTION, "case reference"),
    ("press", "Skip", "submit"),
]
REQUESTS_PER_UPDATE = 1.25
STATEMENTS_PER_UPDATE = 15  # 11 on a quick machine: the outbox polls once a second


def _chat_calls(api: LocalBotAPI, chat_id: int, since: int) -> list[str]:
    return [c.method for c in api.calls(chat_id=chat_id, since=since)]


async def answer_and_submit(pat: Person) -> int:
    """Answer the whole check (`WHOLE_CHECK`) and press Submit; how many updates that took."""
    for action, value, phrase in WHOLE_CHECK:
        if action == "press":
            await pat.answer(value, phrase)
        else:
            await pat.say(value, expect=phrase)
    receipt = await pat.press("Submit to the board", expect="received")
    assert REF.search(receipt.reads)
    return len(WHOLE_CHECK) + 1


async def test_a_press_is_answered_first_then_edits_the_check_in_place(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    first = await pat.answer("I understand", "immediate risk")
    assert "Question 2 of about 19" in first.reads
    since = api.mark()
    nxt = await pat.answer("No", "good practice")
    await settle(api)

    assert nxt.message_id == first.message_id
    assert nxt.button_texts == ["A concern", "Good practice"]
    text = nxt.reads
    assert text.startswith("✓ Immediate risk: No\nQuestion 3 of about 19")
    assert _chat_calls(api, pat.chat_id, since) == ["editMessageText"]
    order = [c.method for c in api.calls(since=since) if c.method != "getUpdates"]
    assert order.index("answerCallbackQuery") < order.index("editMessageText")


async def test_the_answer_line_follows_the_path_taken(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    await register(pat, settings)
    await walk(pat, CATASTROPHIC_PATH[:5])
    custody = pat.last()
    assert "✓ Child died: Yes" in custody.reads
    assert "Question 6 of about 17" in custody.reads  # the child died: a shorter path


async def test_a_whole_check_costs_at_most_one_and_a_quarter_requests_per_update(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    since = api.mark()
    await register(pat, settings)
    updates = 1 + await answer_and_submit(pat)
    await settle(api)

    calls = _chat_calls(api, pat.chat_id, since)
    assert len(calls) / updates <= REQUESTS_PER_UPDATE, (len(calls), updates, calls)
    # one edit a press: new messages only around the typed description and for the summary
    assert calls.count("editMessageText") >= len(CATASTROPHIC_PATH) + 3, calls


async def test_a_whole_check_costs_a_few_sql_statements_per_update(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person
) -> None:
    """The draft is read once an update and saved with one statement (its transaction and
    synchronous setting around it); the rest is filing and the outbox's polls. When the check
    went through sqlite-utils' Table API, which reads the schema on every call, it was about
    40 statements an update."""
    await register(pat, settings)
    assert running.app is not None
    statements: list[str] = []
    running.app.bot_data.services.db.conn.set_trace_callback(statements.append)
    updates = await answer_and_submit(pat)
    await settle(api)
    running.app.bot_data.services.db.conn.set_trace_callback(None)

    drafts_read = [s for s in statements if s.startswith("SELECT * FROM drafts")]
    assert len(drafts_read) == updates, drafts_read  # once an update, Submit's included
    assert len(statements) / updates <= STATEMENTS_PER_UPDATE, statements

"""Drafts: saved at each step, restored in a fresh connection, expired after their time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database
from storage_helpers import NOW

from storage.db import open_db
from storage.drafts import (
    DraftExpired,
    count_drafts,
    delete_draft,
    expire_drafts,
    load_draft,
    prompt_message,
    save_draft,
    set_prompt_message,
)

TTL = 72


def test_save_creates_then_updates_keeping_the_draft_id(db: Database) -> None:
    first = save_draft(db, 1, "immediate", {"privacy": "ok"}, False, NOW)
    later = NOW + dt.timedelta(minutes=3)
    second = save_draft(db, 1, "kind", {"privacy": "ok", "immediate": "yes"}, True, later)
    assert second.draft_id == first.draft_id
    assert (second.state, second.urgent, second.created_at, second.updated_at) == (
        "kind",
        True,
        NOW,
        later,
    )
    assert second.answers == {"privacy": "ok", "immediate": "yes"}
    assert count_drafts(db) == 1


def test_a_draft_is_restored_by_a_fresh_connection(db: Database, db_path: Path) -> None:
    answers = {"privacy": "ok", "immediate": "no", "agencies": ["Health", "Police"]}
    saved = save_draft(db, 1, "describe", answers, False, NOW)
    db.conn.close()
    fresh = open_db(db_path)
    restored = load_draft(fresh, 1, NOW + dt.timedelta(hours=1), TTL)
    assert restored == saved
    fresh.conn.close()


def test_each_user_has_their_own_draft(db: Database) -> None:
    a = save_draft(db, 1, "kind", {}, False, NOW)
    b = save_draft(db, 2, "died", {}, False, NOW)
    assert a.draft_id != b.draft_id
    assert load_draft(db, 3, NOW, TTL) is None


def test_an_old_draft_expires_on_load_and_is_deleted(db: Database) -> None:
    save_draft(db, 1, "kind", {"privacy": "ok"}, False, NOW)
    assert load_draft(db, 1, NOW + dt.timedelta(hours=TTL), TTL) is not None
    with pytest.raises(DraftExpired) as caught:
        load_draft(db, 1, NOW + dt.timedelta(hours=TTL, seconds=1), TTL)
    assert caught.value.draft.state == "kind"
    assert load_draft(db, 1, NOW, TTL) is None


def test_activity_keeps_a_draft_alive(db: Database) -> None:
    save_draft(db, 1, "kind", {}, False, NOW)
    later = NOW + dt.timedelta(hours=TTL - 1)
    save_draft(db, 1, "abuse", {}, False, later)
    assert load_draft(db, 1, later + dt.timedelta(hours=TTL - 1), TTL) is not None


def test_expire_drafts_sweeps_only_the_old_ones(db: Database) -> None:
    save_draft(db, 1, "kind", {}, False, NOW)
    save_draft(db, 2, "kind", {}, False, NOW + dt.timedelta(hours=10))
    save_draft(db, 3, "kind", {}, False, NOW - dt.timedelta(hours=1))
    sweep_at = NOW + dt.timedelta(hours=TTL + 1)
    assert expire_drafts(db, sweep_at, TTL) == [1, 3]
    assert expire_drafts(db, sweep_at, TTL) == []
    assert load_draft(db, 2, sweep_at, TTL) is not None


def test_delete_draft(db: Database) -> None:
    save_draft(db, 1, "kind", {}, False, NOW)
    assert delete_draft(db, 1) is True
    assert delete_draft(db, 1) is False
    assert load_draft(db, 1, NOW, TTL) is None


def test_the_prompt_message_is_remembered_across_saves(db: Database, db_path: Path) -> None:
    assert set_prompt_message(db, 1, 77) is False  # no draft yet: nothing to remember it by
    save_draft(db, 1, "kind", {}, False, NOW)
    assert prompt_message(db, 1) is None
    assert set_prompt_message(db, 1, 77) is True
    save_draft(db, 1, "abuse", {"kind": "concern"}, False, NOW)
    fresh = open_db(db_path)
    assert prompt_message(fresh, 1) == 77
    draft = load_draft(fresh, 1, NOW, TTL)
    assert draft is not None and draft.prompt_message_id == 77
    fresh.conn.close()
    delete_draft(db, 1)
    assert prompt_message(db, 1) is None


def _statements(db: Database) -> list[str]:
    """Every statement the connection runs from now on (SQLite's trace callback)."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    return seen


def test_a_save_is_one_statement_and_keeps_what_the_first_save_gave(db: Database) -> None:
    first = save_draft(db, 1, "kind", {"privacy": "ok"}, False, NOW)
    set_prompt_message(db, 1, 41)
    seen = _statements(db)
    later = NOW + dt.timedelta(minutes=1)
    saved = save_draft(db, 1, "abuse", {"privacy": "ok", "kind": "concern"}, True, later)
    db.conn.set_trace_callback(None)
    writes = [s for s in seen if s.startswith("INSERT")]
    assert len(writes) == 1 and len(seen) == 5, seen  # with BEGIN, COMMIT, synchronous twice
    assert (saved.draft_id, saved.created_at, saved.prompt_message_id) == (
        first.draft_id,
        NOW,
        41,
    )
    assert (saved.state, saved.urgent, saved.updated_at) == ("abuse", True, later)
    assert load_draft(db, 1, later, TTL) == saved


def test_a_load_and_the_prompt_message_are_one_statement_each(db: Database) -> None:
    save_draft(db, 1, "kind", {}, False, NOW)
    seen = _statements(db)
    draft = load_draft(db, 1, NOW, TTL)
    assert set_prompt_message(db, 1, 9) is True
    assert prompt_message(db, 1) == 9
    assert set_prompt_message(db, 2, 9) is False
    assert load_draft(db, 2, NOW, TTL) is None
    db.conn.set_trace_callback(None)
    assert draft is not None and draft.state == "kind"
    work = [s for s in seen if not s.startswith(("BEGIN", "COMMIT", "PRAGMA"))]
    assert len(work) == 5, seen
    assert seen.count("PRAGMA synchronous = NORMAL") == 2  # the prompt message, as a save

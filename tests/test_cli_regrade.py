"""`triage-bot regrade [--dry-run]` over a real database of referrals graded on matrix 2013.2,
run as the user runs it (a subprocess)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from filed import file
from sqlite_utils import Database

from storage.db import open_db
from storage.events import events_for
from storage.outbox import rows_for
from storage.referrals import (
    Referral,
    escalate_grade,
    list_referrals,
    record_decision,
)

SETTING_NAMES = ("TELEGRAM_BOT_TOKEN", "TRIAGE_CONFIG", "TRIAGE_DB", "BOARD_CHAT_ID")
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CHAIR = 7001
FLAG_NAMES = ("scr_required", "scr_unless_no_concerns", "cdop", "urgent")
SUICIDE = {"child_died": True, "suspected_suicide": True, "abuse_or_neglect": "none"}
ABUSE_HARM_NO_CONCERNS = {
    "abuse_or_neglect": "suspected",
    "seriously_harmed": True,
    "interagency_concern": "none",
    "standards": "statutory_or_professional",
}
STATUTORY = {"standards": "statutory_or_professional"}
KNOWN_DEATH = {"abuse_or_neglect": "known", "child_died": True}


def cli(args: list[str], db_path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["TRIAGE_DB"] = str(db_path)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def file_old(db: Database, user_id: int, facts: dict[str, Any], grade: str, *on: str) -> Referral:
    """File a referral as matrix 2013.2 graded it (its grade and flags given here)."""
    matched = [] if grade == "none" else [{"grade": grade, "id": "old", "text": "2013.2"}]
    result = {
        "grade": grade,
        "flags": {name: name in on for name in FLAG_NAMES},
        "matched": matched,
        "matrix_version": "2013.2",
    }
    return file(
        db,
        facts,
        NOW,
        result=result,
        referrer=user_id,
        agencies=["Health"],
        description="synthetic",
        board_chat_id=-100,
        chair_ids=[CHAIR],
    )


@pytest.fixture
def world(tmp_path: Path) -> tuple[Path, list[str]]:
    """Six referrals graded on 2013.2: five that 2013.3 changes and one it does not."""
    db_path = tmp_path / "data" / "triage.db"
    db = open_db(db_path)
    refs = [
        file_old(db, 1, SUICIDE, "catastrophic", "scr_required", "cdop").ref,
        file_old(db, 2, ABUSE_HARM_NO_CONCERNS, "none").ref,
        file_old(db, 3, STATUTORY, "none").ref,
        file_old(db, 4, {"child_died": True}, "significant", "cdop").ref,
        file_old(db, 5, STATUTORY, "none").ref,
        file_old(db, 6, KNOWN_DEATH, "catastrophic", "scr_required", "cdop").ref,
    ]
    record_decision(db, refs[1], CHAIR, "declined", "agencies worked well together", None, NOW)
    escalate_grade(db, refs[2], CHAIR, "moderate", "more than the answers show", NOW)
    escalate_grade(db, refs[4], CHAIR, "catastrophic", "a death was since reported", NOW)
    db.conn.close()
    return db_path, refs


def expected_lines(refs: list[str]) -> list[str]:
    return [
        f"{refs[0]}  grade catastrophic -> significant  flags scr_required, cdop -> cdop",
        f"{refs[1]}  grade none -> significant  flags none -> notifiable"
        "  [already decided (declined, status declined): decision and status kept]",
        f"{refs[2]}  grade moderate -> significant  flags none -> none"
        "  (matrix grade none -> significant)",
        f"{refs[4]}  grade catastrophic -> catastrophic  flags none -> scr_required"
        "  (matrix grade none -> significant)",
        f"{refs[5]}  grade catastrophic -> catastrophic  flags scr_required, cdop -> scr_required,"
        " cdop, notifiable",
    ]


def snapshot(db_path: Path) -> tuple[list[Referral], list[list[str]], list[int]]:
    db = open_db(db_path)
    referrals = list_referrals(db)
    events = [[e.action for e in events_for(db, r.ref)] for r in referrals]
    outbox = [len(rows_for(db, r.ref)) for r in referrals]
    db.conn.close()
    return referrals, events, outbox


def test_dry_run_lists_the_changes_and_writes_nothing(
    tmp_path: Path, world: tuple[Path, list[str]]
) -> None:
    db_path, refs = world
    before = snapshot(db_path)
    done = cli(["regrade", "--dry-run"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[:-1] == expected_lines(refs)
    assert lines[-1] == (
        "5 of 6 referrals would change under matrix 2013.3; 1 already decided keep their "
        "decision and status (dry run: nothing written)."
    )
    assert snapshot(db_path) == before


def test_regrade_applies_each_change_with_an_event(
    tmp_path: Path, world: tuple[Path, list[str]]
) -> None:
    db_path, refs = world
    _, events_before, outbox_before = snapshot(db_path)
    done = cli(["regrade"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:-1] == expected_lines(refs)
    assert lines[-1].startswith("Regraded 5 of 6 referrals under matrix 2013.3; 1 already")
    referrals, events, outbox = snapshot(db_path)
    by_ref = {r.ref: r for r in referrals}
    assert outbox == outbox_before  # the board is told later, not by this command
    for index, ref in enumerate(refs):
        changed = index != 3
        assert events[index] == events_before[index] + (["regraded"] if changed else [])
        assert by_ref[ref].matrix_version == ("2013.3" if changed else "2013.2")

    suicide = by_ref[refs[0]]
    assert (suicide.grade, suicide.original_grade) == ("significant", "significant")
    assert {k for k, v in suicide.flags.items() if v} == {"cdop"}
    assert [m["id"] for m in suicide.matched] == ["sig_child_died"]
    assert suicide.result["grade"] == "significant" and suicide.status == "awaiting_chair"

    declined = by_ref[refs[1]]
    assert declined.grade == "significant"
    assert (declined.status, declined.decision) == ("declined", "declined")
    assert declined.decision_reason == "agencies worked well together"
    db = open_db(db_path)
    event = events_for(db, refs[1])[-1]
    assert (event.action, event.actor) == ("regraded", "cli")
    assert "matrix 2013.2 -> 2013.3; grade none -> significant" in event.detail
    assert "flags none -> notifiable" in event.detail
    assert "already decided (declined, status declined)" in event.detail
    db.conn.close()

    kept = by_ref[refs[4]]  # escalated by the chair above the matrix's new grade
    assert (kept.grade, kept.original_grade) == ("catastrophic", "significant")
    assert kept.flags["scr_required"] and kept.status == "awaiting_chair"
    raised = by_ref[refs[2]]  # escalated, but the matrix now grades it higher
    assert (raised.grade, raised.original_grade) == ("significant", "significant")

    again = cli(["regrade", "--dry-run"], db_path, tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout == "No referral's grade or flags change under matrix 2013.3 (6 checked).\n"


def test_stored_facts_the_matrix_refuses_are_named_and_left(tmp_path: Path) -> None:
    db_path = tmp_path / "triage.db"
    db = open_db(db_path)
    bad = file_old(db, 1, {"injurie": "minor"}, "low").ref
    good = file_old(db, 2, STATUTORY, "none").ref
    db.conn.close()
    done = cli(["regrade"], db_path, tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(f"triage-bot regrade: {bad}: cannot regrade: unknown fact")
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines()[0].startswith(f"{good}  grade none -> significant")
    db = open_db(db_path)
    assert [e.action for e in events_for(db, bad)] == ["filed"]
    db.conn.close()


def test_a_missing_database_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    done = cli(["regrade", "--dry-run"], missing, tmp_path)
    assert done.returncode == 2
    assert "no database at" in done.stderr and "Traceback" not in done.stderr
    assert not missing.exists()


def test_regrade_does_not_import_telegram(tmp_path: Path) -> None:
    db_path = tmp_path / "triage.db"
    open_db(db_path).conn.close()
    script = (
        "import sys\n"
        "from bot.cli import SUBCOMMANDS, main\n"
        "assert SUBCOMMANDS['regrade'][0] == 'regrade'\n"
        "rc = main(['regrade', '--dry-run'])\n"
        "assert rc == 0, rc\n"
        "assert 'telegram' not in sys.modules, 'telegram was imported'\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["TRIAGE_DB"] = str(db_path)
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr

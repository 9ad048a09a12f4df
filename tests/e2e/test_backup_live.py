"""`triage-bot backup PATH` while the bot runs and files, and a restore from the copy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from botproc import (
    ROOT,
    BotProcess,
    Person,
    referral_refs,
    register,
    wait_until,
    walk_to_summary,
)

from localapi import ThreadedLocalBotAPI
from storage import events, outbox, referrals
from storage.db import open_db

PRACTITIONERS = [5001, 5002]
CHECKS_EACH = 2


def file_checks(api: ThreadedLocalBotAPI, db_path: Path, user_id: int, errors: list[str]) -> None:
    """One practitioner registering and filing `CHECKS_EACH` whole checks, one after another."""
    try:
        pat = Person(api, user_id)
        register(pat, db_path)
        for n in range(CHECKS_EACH):
            if n:
                pat.say("/start", expect="no names")
            walk_to_summary(pat, db_path)
            pat.press("Submit to the board", expect="LIR-", edited=True)
    except Exception as exc:  # reported by the test
        errors.append(f"{user_id}: {exc!r}")


def backup(bot: BotProcess, dest: Path) -> str:
    """Run `triage-bot backup DEST` as an operator would, beside the running bot."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(dest)],
        cwd=ROOT,
        env={**os.environ, "TRIAGE_DB": str(bot.db_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout


def test_backup_while_filing_is_consistent_and_restores(
    api: ThreadedLocalBotAPI, bot: BotProcess, tmp_path: Path
) -> None:
    """Two practitioners file four referrals through the running bot; backups are taken
    while they do. Each copy passes SQLite's integrity and foreign-key checks, holds every
    referral committed before it began (and none that does not exist), each with its first
    event and its three notifications; restored (started over by a new bot) it serves on."""
    for user_id in PRACTITIONERS:
        api.add_user(user_id, f"Practitioner {user_id}")
    errors: list[str] = []
    threads = [
        threading.Thread(target=file_checks, args=(api, bot.db_path, u, errors), daemon=True)
        for u in PRACTITIONERS
    ]
    for thread in threads:
        thread.start()
    copies: list[tuple[set[str], Path]] = []
    total = len(PRACTITIONERS) * CHECKS_EACH
    for n, wanted in enumerate((1, total // 2, total - 1)):
        wait_until(
            lambda w=wanted: errors or len(referral_refs(bot.db_path)) >= w,  # type: ignore[misc]
            30,
            f"{wanted} referral(s)",
        )
        assert errors == []
        before = set(referral_refs(bot.db_path))
        dest = tmp_path / f"backup-{n}.db"
        assert "Backed up" in backup(bot, dest)
        copies.append((before, dest))
    for thread in threads:
        thread.join(60)
    assert errors == []
    final = set(referral_refs(bot.db_path))
    assert len(final) == total

    for before, dest in copies:
        plain = sqlite3.connect(str(dest))
        assert plain.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert plain.execute("PRAGMA foreign_key_check").fetchall() == []
        plain.close()
        db = open_db(dest)
        held = {r.ref for r in referrals.list_referrals(db)}
        assert before <= held <= final
        for ref in held:
            assert [e.action for e in events.events_for(db, ref)][:1] == ["filed"]
            assert len(outbox.rows_for(db, ref)) == 3
        db.conn.close()

    # restore: the last copy becomes the database of a new bot, which starts and reads it
    bot.stop()
    restored_dir = tmp_path / "restored"
    restored_dir.mkdir()
    copies[-1][1].rename(restored_dir / "triage.db")
    restored = BotProcess(api, restored_dir)
    restored.start()
    try:
        assert set(referral_refs(restored.db_path)) >= copies[-1][0]
        pat = Person(api, PRACTITIONERS[0])
        pat.say("/start", expect="no names")  # registered in the copy: straight to the check
    finally:
        restored.stop()

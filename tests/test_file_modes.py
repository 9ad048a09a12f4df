"""Files the bot writes are its owner's alone, whole, and never written through a planted link.

Run as an operator runs them (subprocesses under the usual umask 022): the database and its
folder, backups, exports and reports are created 0600 (folders 0700); the database's -wal and
-shm take its mode. `backup` refuses a folder or a symbolic link as its target and leaves no
partial copy when it fails; `export --out` and `report --out` refuse a symbolic link planted at
the file's name and leave the file it points to untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from filed import file

from storage.db import open_db

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2026
UNDER_UMASK_022 = (
    "import os, sys; os.umask(0o022); from bot.cli import main; "
    "raise SystemExit(main(sys.argv[1:]))"
)
VICTIM_TEXT = "a file the bot must never overwrite\n"


def mode(path: Path) -> int:
    """The permission bits of `path` (not following a link)."""
    return stat.S_IMODE(path.lstat().st_mode)


def triage_bot(folder: Path, db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`triage-bot ARGS` in `folder`, started under umask 022, over the database `db_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "TRIAGE_"))}
    env.update(TRIAGE_DB=str(db_path), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-c", UNDER_UMASK_022, *args],
        env=env,
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


def refused(done: subprocess.CompletedProcess[str], said: str) -> None:
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.splitlines()) == 1 and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def file_one(db_path: Path) -> None:
    """One synthetic referral of YEAR."""
    now = dt.datetime(YEAR, 3, 2, 10, tzinfo=dt.UTC)
    file(
        db_path,
        {"injury": "minor"},
        now,
        result={"grade": "low", "flags": {}, "matched": [], "matrix_version": "test"},
        referrer=100,
        agencies=["Health"],
        description="synthetic description",
        board_chat_id=-100,
        chair_ids=[1],
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A database with one referral, made by `triage-bot invite` (so created by the CLI)."""
    path = tmp_path / "data" / "triage.db"
    done = triage_bot(tmp_path, path, "invite", "--agency", "Health")
    assert done.returncode == 0, done.stderr
    file_one(path)
    return path


def test_the_database_its_folder_wal_and_shm_are_private(tmp_path: Path, db_path: Path) -> None:
    assert mode(db_path.parent) == 0o700
    assert mode(db_path) == 0o600
    old = os.umask(0o022)  # the library used directly, under the usual umask
    try:
        other = tmp_path / "library" / "made-by-open_db.db"
        db = open_db(other)
        db.conn.execute("CREATE TABLE t (x)")
        db.conn.execute("INSERT INTO t VALUES (1)")
        live = {p.name: mode(p) for p in other.parent.iterdir()}
        db.conn.close()
    finally:
        os.umask(old)
    names = ("made-by-open_db.db", "made-by-open_db.db-wal", "made-by-open_db.db-shm")
    assert live == {name: 0o600 for name in names}
    assert mode(other.parent) == 0o700


def test_backup_is_private_and_refuses_a_folder_or_a_link(tmp_path: Path, db_path: Path) -> None:
    backups = tmp_path / "backups"
    done = triage_bot(tmp_path, db_path, "backup", str(backups / "copy.db"))
    assert done.returncode == 0, done.stderr
    assert mode(backups) == 0o700 and mode(backups / "copy.db") == 0o600

    folder = tmp_path / "a-folder"
    folder.mkdir()
    refused(triage_bot(tmp_path, db_path, "backup", str(folder), "--force"), "is a folder")
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "backups", "data"]

    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    link = backups / "planted.db"
    link.symlink_to(victim)
    refused(triage_bot(tmp_path, db_path, "backup", str(link), "--force"), "symbolic link")
    assert victim.read_text() == VICTIM_TEXT and link.is_symlink()
    assert sorted(p.name for p in backups.iterdir()) == ["copy.db", "planted.db"]


def test_a_failed_backup_leaves_nothing_behind(tmp_path: Path) -> None:
    not_a_database = tmp_path / "triage.db"
    not_a_database.write_bytes(b"this is not an SQLite database at all " * 200)
    backups = tmp_path / "backups"
    backups.mkdir()
    done = triage_bot(tmp_path, not_a_database, "backup", str(backups / "copy.db"))
    refused(done, "backup failed")
    assert list(backups.iterdir()) == []


def test_export_is_private_and_never_written_through_a_link(tmp_path: Path, db_path: Path) -> None:
    out = tmp_path / "exports" / "referrals.csv"
    done = triage_bot(tmp_path, db_path, "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert mode(out) == 0o600 and mode(out.parent) == 0o700
    assert "synthetic description" in out.read_text()
    assert [p.name for p in out.parent.iterdir()] == ["referrals.csv"]  # no temporary file left

    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    link = tmp_path / "exports" / "planted.csv"
    link.symlink_to(victim)
    refused(triage_bot(tmp_path, db_path, "export", "--out", str(link)), "symbolic link")
    assert victim.read_text() == VICTIM_TEXT and link.is_symlink()
    dangling = tmp_path / "exports" / "dangling.csv"
    dangling.symlink_to(tmp_path / "would-be-created.csv")
    refused(triage_bot(tmp_path, db_path, "export", "--out", str(dangling)), "symbolic link")
    assert not (tmp_path / "would-be-created.csv").exists()
    refused(triage_bot(tmp_path, db_path, "export", "--out", str(tmp_path)), "is a folder")


def test_report_is_private_and_never_written_through_a_link(tmp_path: Path, db_path: Path) -> None:
    out = tmp_path / "reports"
    done = triage_bot(tmp_path, db_path, "report", "--year", str(YEAR), "--out", str(out))
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in out.iterdir())
    assert written == [f"annual-report-{YEAR}.html", f"annual-report-{YEAR}.md"]
    assert mode(out) == 0o700
    assert {name: mode(out / name) for name in written} == {name: 0o600 for name in written}

    planted = tmp_path / "planted"
    planted.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    (planted / f"annual-report-{YEAR}.html").symlink_to(victim)
    done = triage_bot(tmp_path, db_path, "report", "--year", str(YEAR), "--out", str(planted))
    refused(done, "symbolic link")
    assert victim.read_text() == VICTIM_TEXT
    assert [p.name for p in planted.iterdir()] == [f"annual-report-{YEAR}.html"]  # not the .md
    refused(
        triage_bot(tmp_path, db_path, "report", "--year", str(YEAR), "--out", str(victim)),
        "is not a folder",
    )

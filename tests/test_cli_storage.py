"""`triage-bot invite`, `triage-bot backup` and what `triage-bot purge` says of the backups, run as
the user runs them (subprocesses)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from filed import file
from privacy_support import DECLINED_TEXTS, declined_case
from sqlite_utils import Database

from storage.backup import record_backup
from storage.db import open_db, transaction
from storage.events import events_for
from storage.practitioners import ALPHABET, CODE_LENGTH, get_invite, leads_of, redeem_invite
from storage.referrals import Referral, list_referrals

SETTING_NAMES = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_BASE_URL",
    "TRIAGE_CONFIG",
    "TRIAGE_DB",
    "BOARD_CHAT_ID",
    "CHAIR_USER_IDS",
    "OFFICER_USER_IDS",
    "AGENCIES",
)


def _env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["TRIAGE_DB"] = str(db_path)
    env.update(extra)
    return env


def _cli(
    args: list[str], db_path: Path, cwd: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=_env(db_path, **extra),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _file(db: Database, user_id: int, now: dt.datetime) -> Referral:
    return file(
        db,
        {"injury": "minor"},
        now,
        result={
            "grade": "low",
            "flags": {"urgent": False},
            "matched": [{"grade": "low", "id": "minor_injury", "text": "minor injuries"}],
            "matrix_version": "test",
        },
        referrer=user_id,
        agencies=["Health"],
        description="synthetic",
        board_chat_id=-100,
        chair_ids=[1],
    )


NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "triage.db"


def test_invite_prints_the_code_last(tmp_path: Path, db_path: Path) -> None:
    done = _cli(["invite", "--agency", "health", "--days", "3"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "Health" in lines[0] and "/start" in lines[0]
    code = lines[-1]
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    db = open_db(db_path)
    invite = get_invite(db, code)
    assert invite is not None
    assert (invite.agency, invite.created_by) == ("Health", "cli")
    assert dt.timedelta(days=3) - (invite.expires_at - invite.created_at) < dt.timedelta(seconds=1)
    assert redeem_invite(db, code, 5001, dt.datetime.now(dt.UTC)).agency == "Health"
    db.conn.close()


def test_invite_with_lead_registers_the_agencys_lead(tmp_path: Path, db_path: Path) -> None:
    done = _cli(["invite", "--agency", "police", "--lead"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert "the lead of Police" in lines[0]
    db = open_db(db_path)
    invite = get_invite(db, lines[-1])
    assert invite is not None and invite.lead
    who = redeem_invite(db, lines[-1], 5002, dt.datetime.now(dt.UTC))
    assert (who.agency, who.lead) == ("Police", True)
    assert leads_of(db, "Police") == [5002]
    db.conn.close()


def test_invite_for_an_agency_not_configured_warns_but_issues(
    tmp_path: Path, db_path: Path
) -> None:
    done = _cli(
        ["invite", "--agency", "Youth offending team"],
        db_path,
        tmp_path,
        AGENCIES="Health,Police",
    )
    assert done.returncode == 0
    assert "warning" in done.stderr and "Youth offending team" in done.stderr
    code = done.stdout.strip().splitlines()[-1]
    db = open_db(db_path)
    invite = get_invite(db, code)
    assert invite is not None and invite.agency == "Youth offending team"
    db.conn.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["invite", "--agency", "   "], "must name an agency"),
        (["invite", "--agency", "Health", "--days", "0"], "--days must be positive"),
    ],
)
def test_invite_refuses_bad_arguments(
    tmp_path: Path, db_path: Path, args: list[str], message: str
) -> None:
    done = _cli(args, db_path, tmp_path)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not db_path.exists()


def test_invite_and_backup_do_not_import_telegram(tmp_path: Path, db_path: Path) -> None:
    script = (
        "import sys\n"
        "from bot.cli import main\n"
        "main(['invite', '--agency', 'Health'])\n"
        f"main(['backup', {str(tmp_path / 'copy.db')!r}])\n"
        "print('telegram' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(db_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_backup_of_a_live_database_and_restore(tmp_path: Path, db_path: Path) -> None:
    live = open_db(db_path)  # stays open, as the running bot's connection does
    filed = [_file(live, 100 + i, NOW) for i in range(3)]
    copy = tmp_path / "backups" / "triage-copy.db"
    with transaction(live):  # the bot is in the middle of filing a fourth one
        _file(live, 200, NOW)
        done = _cli(["backup", str(copy)], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(copy) in done.stdout and "3 referrals" in done.stdout
    plain = sqlite3.connect(copy)
    assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    plain.close()
    assert not copy.with_name(copy.name + ".partial").exists()

    restored = open_db(copy)
    assert [r.ref for r in list_referrals(restored)] == [r.ref for r in filed]
    assert list_referrals(restored) == filed
    assert [e.action for e in events_for(restored, filed[0].ref)] == ["filed"]
    # the restored database carries on where the backup was taken
    assert _file(restored, 300, NOW).ref == f"LIR-{NOW.year}-0004"
    restored.conn.close()
    assert len(list_referrals(live)) == 4
    live.conn.close()


def test_backup_refuses_to_overwrite_without_force(tmp_path: Path, db_path: Path) -> None:
    live = open_db(db_path)
    _file(live, 100, NOW)
    copy = tmp_path / "copy.db"
    copy.write_text("an older file")
    refused = _cli(["backup", str(copy)], db_path, tmp_path)
    assert refused.returncode == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert copy.read_text() == "an older file"
    forced = _cli(["backup", str(copy), "--force"], db_path, tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert "1 referral)" in forced.stdout
    restored = open_db(copy)
    assert len(list_referrals(restored)) == 1
    restored.conn.close()
    live.conn.close()


def test_backup_of_a_missing_database_is_refused(tmp_path: Path, db_path: Path) -> None:
    done = _cli(["backup", str(tmp_path / "copy.db")], db_path, tmp_path)
    assert done.returncode == 2
    assert "no database" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "copy.db").exists()
    assert not db_path.exists()


def _declined_and_due(db_path: Path) -> None:
    """A referral declined long enough ago for the purge to erase its text."""
    live = open_db(db_path)
    record_backup(live, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # before it was filed
    declined_case(live, dt.datetime(2024, 1, 10, 14, 0, tzinfo=dt.UTC))
    live.conn.close()


def test_a_purge_names_the_backups_that_still_hold_what_it_erased(
    tmp_path: Path, db_path: Path
) -> None:
    _declined_and_due(db_path)
    for name in ("first.db", "second.db"):
        made = _cli(["backup", str(tmp_path / name)], db_path, tmp_path)
        assert made.returncode == 0, made.stderr
    dry = _cli(["purge", "--dry-run"], db_path, tmp_path)
    assert "2 backups made before this purge" in dry.stdout and "would erase" in dry.stdout
    done = _cli(["purge"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert (
        f"2 backups made before this purge (the latest on {today}) still hold the text it "
        "erased: replace or destroy them as your backup policy says."
    ) in done.stdout
    copy = sqlite3.connect(tmp_path / "second.db")  # and so it does
    (description,) = copy.execute("SELECT description FROM referrals").fetchone()
    assert description == DECLINED_TEXTS["description"]
    copy.close()


def test_a_purge_with_no_backup_since_the_text_was_filed_names_none(
    tmp_path: Path, db_path: Path
) -> None:
    _declined_and_due(db_path)  # its one backup was made before the referral was filed
    done = _cli(["purge"], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Erased the free text of 1 referral" in done.stdout
    assert "backup" not in done.stdout

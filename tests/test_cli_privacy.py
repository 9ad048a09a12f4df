"""`triage-bot purge`, `audit`, `subject-access` and `privacy-notice`, run as the user runs them
(subprocesses over a real database file), and the retention settings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from privacy_support import (
    CHAIR,
    CLOSED_TEXTS,
    DECLINED_TEXTS,
    OFFICER,
    closed_case,
    declined_case,
    file_bytes,
    file_case,
    found_in,
)

from bot.cli import main
from bot.commands.privacy_notice import UndescribedTable, notice
from bot.settings import Settings, SettingsError, load_settings
from dialogs.redact import KINDS
from storage import briefs, joint, outbox
from storage.db import open_db
from storage.events import record_view
from storage.migrations import schema
from storage.practitioners import create_invite, redeem_invite
from templates import render

ROOT = Path(__file__).resolve().parents[1]
DECLINED_AT = dt.datetime(2025, 1, 10, 14, 0, tzinfo=dt.UTC)
CLOSED_AT = dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC)
SETTING_NAMES = ("TELEGRAM_BOT_TOKEN", "TRIAGE_CONFIG", "TRIAGE_DB", "CHAIR_USER_IDS")


def _env(db_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES and "RETAIN" not in k}
    env.update(TRIAGE_DB=str(db_path), CHAIR_USER_IDS=str(CHAIR), OFFICER_USER_IDS=str(OFFICER))
    env.update(extra)
    return env


def _subprocess(args: list[str], db_path: Path) -> subprocess.CompletedProcess[str]:
    """Run `triage-bot ARGS` as the user does."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=_env(db_path),
        cwd=db_path.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `triage-bot ARGS` in this process (`bot.cli.main`, the environment set as for a
    subprocess): quicker than a process per call; the outcome in the same shape."""

    def run(args: list[str], db_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
        with monkeypatch.context() as patch:
            for name in list(os.environ):
                patch.delenv(name)
            for name, value in _env(db_path, **extra).items():
                patch.setenv(name, value)
            capsys.readouterr()
            try:
                code = main(args)
            except SystemExit as exc:  # argparse refusing an argument
                code = int(exc.code or 0)
            out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    return run


Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def board_db(tmp_path: Path) -> tuple[Path, str, str, str]:
    """A database (closed) with a declined, a closed and an open referral."""
    path = tmp_path / "triage.db"
    db = open_db(path)
    declined = declined_case(db, DECLINED_AT)
    closed = closed_case(db, CLOSED_AT)
    still_open = file_case(db, DECLINED_AT, "Ottershaw open case").ref
    record_view(db, declined, OFFICER, "/case", DECLINED_AT)
    db.conn.close()
    return path, declined, closed, still_open


def _export(cli: Cli, db_path: Path) -> list[dict[str, str]]:
    done = cli(["export"], db_path)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_purge_erases_due_free_text_from_every_file_and_the_figures_still_add_up(
    board_db: tuple[Path, str, str, str], cli: Cli
) -> None:
    path, declined, closed, still_open = board_db
    before = _export(cli, path)
    report = cli(["report", "--year", "2025", "--out", str(path.parent / "r1")], path)
    assert report.returncode == 0 and "Annual update 2025: 2 referrals." in report.stdout

    dry = cli(["purge", "--dry-run", "--today", "2026-01-10"], path)
    assert dry.returncode == 0, dry.stderr
    assert f"Would erase {declined} (declined on 2025-01-10, due 2026-01-10)" in dry.stdout
    assert "Dry run: nothing was changed." in dry.stdout and closed not in dry.stdout
    assert found_in(file_bytes(path), DECLINED_TEXTS) == list(DECLINED_TEXTS)
    assert _export(cli, path) == before

    early = cli(["purge", "--today", "2026-01-09"], path)
    assert (
        "Nothing is due." in early.stdout and "2 declined or closed referrals are" in early.stdout
    )

    done = _subprocess(["purge", "--today", "2026-01-10"], path)  # as the user runs it
    assert done.returncode == 0, done.stderr
    assert f"Erased {declined} (declined on 2025-01-10, due 2026-01-10): 1 description," in (
        done.stdout
    )
    assert "Erased the free text of 1 referral: " in done.stdout
    assert found_in(file_bytes(path), DECLINED_TEXTS) == []
    assert found_in(file_bytes(path), CLOSED_TEXTS) == list(CLOSED_TEXTS)  # not due for years

    copy = path.parent / "after.db"
    assert cli(["backup", str(copy)], path).returncode == 0
    assert found_in(copy.read_bytes(), DECLINED_TEXTS) == []

    after = _export(cli, path)
    assert [row["ref"] for row in after] == [row["ref"] for row in before]
    erased = next(row for row in after if row["ref"] == declined)
    assert erased["description"] == "erased under the retention schedule on 2026-01-10"
    assert erased["grade"] == "severe" and erased["status"] == "declined"
    assert erased["decided_at"] and erased["days_to_decision"] == "7.00"
    again = cli(["report", "--year", "2025", "--out", str(path.parent / "r2")], path)
    assert "Annual update 2025: 2 referrals." in again.stdout
    assert (path.parent / "r1" / "annual-report-2025.md").read_text() == (
        path.parent / "r2" / "annual-report-2025.md"
    ).read_text()

    audit = cli(["audit", declined], path)
    assert audit.returncode == 0, audit.stderr
    lines = audit.stdout.splitlines()
    assert any(
        "cli" in line and "erased: declined on 2025-01-10, kept 12 months" in line for line in lines
    )
    assert any(f"officer {OFFICER}" in line and "viewed: /case" in line for line in lines)
    assert not found_in(audit.stdout.encode(), DECLINED_TEXTS)

    later = cli(["purge", "--today", "2031-02-03"], path)
    assert f"Erased {closed} (closed on 2025-02-03, due 2031-02-03)" in later.stdout
    assert "2 plan answers" in later.stdout
    assert found_in(file_bytes(path), CLOSED_TEXTS) == []
    assert still_open not in later.stdout


def test_shorter_periods_come_from_the_settings(
    board_db: tuple[Path, str, str, str], cli: Cli
) -> None:
    path, declined, closed, _ = board_db
    done = cli(
        ["purge", "--today", "2025-04-10"],
        path,
        RETAIN_DECLINED_MONTHS="3",
        RETAIN_CLOSED_YEARS="1",
    )
    assert f"Erased {declined}" in done.stdout and closed not in done.stdout
    assert "kept 3 months after a referral is declined and 1 years" in done.stdout


def test_purge_refuses_a_bad_day_and_a_missing_database(tmp_path: Path, cli: Cli) -> None:
    missing = cli(["purge"], tmp_path / "none.db")
    assert missing.returncode == 2 and "no database at" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    bad = cli(["purge", "--today", "tomorrow"], tmp_path / "none.db")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_audit_of_an_unknown_referral(board_db: tuple[Path, str, str, str], cli: Cli) -> None:
    done = cli(["audit", "LIR-2025-0099"], board_db[0])
    assert done.returncode == 1 and "no referral LIR-2025-0099" in done.stderr


def test_subject_access_prints_what_is_held_about_one_user(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "triage.db"
    db = open_db(path)
    user = 5555
    redeem_invite(db, create_invite(db, "Police", "cli", DECLINED_AT), user, DECLINED_AT)
    ref = declined_case(db, DECLINED_AT, user_id=user)
    db.conn.close()

    done = cli(["subject-access", "--user", str(user)], path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "registered 2025-01-10 14:00 UTC for Police" in out
    assert f"{ref}  filed 2025-01-03 14:00 UTC  agency Health  grade severe  status declined" in out
    assert f"Questions the board relayed to them (1):\n  {ref}  asked" in out
    assert DECLINED_TEXTS["answer"] in out
    assert "Events where they are the actor (4):" in out  # registered, filed, answer, status
    assert DECLINED_TEXTS["description"] not in out

    nobody = cli(["subject-access", "--user", "42"], path)
    assert "Nothing is held about this user." in nobody.stdout


def test_subject_access_lists_the_briefs_sent_and_read_the_opt_out_and_a_partners_presses(
    tmp_path: Path, cli: Cli
) -> None:
    path = tmp_path / "triage.db"
    db = open_db(path)
    user, partner = 5555, 6666
    redeem_invite(db, create_invite(db, "Police", "cli", DECLINED_AT), user, DECLINED_AT)
    sent = []
    for n in range(2):
        ref = file_case(db, DECLINED_AT, f"Hobbledown brief case {n}").ref
        briefs.start_brief(db, ref, "what_happened", (), OFFICER, DECLINED_AT)
        texts = {k: f"Sprocketwell {k}" for k in briefs.SECTIONS}
        briefs.save_sections(db, ref, "done", texts, True, DECLINED_AT)
        briefs.approve(db, ref, CHAIR, DECLINED_AT)
        (row,) = outbox.rows_for(db, ref, outbox.OutboxKind.BRIEF)
        outbox.mark_sent(db, row.id, 10 + n, DECLINED_AT)
        sent.append(ref)
    briefs.record_read(db, sent[1], user, "Police", CLOSED_AT)
    briefs.set_briefs_off(db, user, True)
    joint.record_press(db, sent[0], "police", partner, "declined", "Tumblewick reason", CLOSED_AT)
    db.conn.close()

    out = cli(["subject-access", "--user", str(user)], path).stdout
    assert "Learning briefs: turned off (/briefs off)" in out
    assert "Learning briefs sent to them (2, read 1;" in out
    assert f"  {sent[0]}  sent 2025-01-10 14:00 UTC  not read" in out
    assert f"  {sent[1]}  sent 2025-01-10 14:00 UTC  read 2025-02-03 09:00 UTC" in out
    assert "Sprocketwell" not in out  # the brief's text is not theirs
    assert "as a safeguarding partner's lead (0):\n  none" in out

    joint_env = {"MATRIX": "wt2023", "PARTNER_USER_IDS": f"la:6661,icb:6662,police:{partner}"}
    done = cli(["subject-access", "--user", str(partner)], path, **joint_env)
    assert done.returncode == 0, done.stderr
    assert "Role in the settings: lead of a safeguarding partner (Police)" in done.stdout
    assert "as a safeguarding partner's lead (1):" in done.stdout
    assert f"  {sent[0]}  police  declined  2025-02-03 09:00 UTC: Tumblewick reason" in done.stdout
    assert "Learning briefs: none (not registered)" in done.stdout
    audit = cli(["audit", sent[0]], path, **joint_env).stdout
    assert f"partner (police) {partner}  partner_pressed: police pressed declined" in audit


def test_the_committed_privacy_notice_is_the_one_the_generator_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["privacy-notice"]) == 0
    printed = capsys.readouterr().out
    committed = (ROOT / "docs" / "privacy.md").read_text()
    assert printed == committed, "docs/privacy.md is stale: triage-bot privacy-notice > it"


def test_the_notice_describes_every_table_and_the_defaults() -> None:
    text = notice()
    for table in schema():
        assert f"| `{table}` |" in text
    defaults = Settings()
    assert f"erased {defaults.retain_declined_months}\n  months after" in text
    assert f"erased {defaults.retain_closed_years} years after" in text
    assert all(kind in text for kind in KINDS)
    assert "Names are not removed automatically" in text
    assert "/mydata" in text and "/forget" in text and "subject-access" in text
    assert "the learning briefs sent to you" in text and "turned briefs off" in text
    assert "your presses on decision\n  cards" in text


def test_a_table_the_notice_does_not_describe_stops_the_generator() -> None:
    from bot.commands.privacy_notice import _undescribed

    with pytest.raises(UndescribedTable, match="lessons"):
        render(
            "docs/privacy.md.j2",
            s=Settings(),
            tables={**schema(), "lessons": ("ref", "text")},
            version=0,
            kinds=KINDS,
            undescribed=_undescribed,
        )


def test_the_retention_settings_are_positive_whole_numbers() -> None:
    defaults = load_settings({})
    assert (defaults.retain_declined_months, defaults.retain_closed_years) == (12, 6)
    chosen = load_settings({"RETAIN_DECLINED_MONTHS": "18", "RETAIN_CLOSED_YEARS": "7"})
    assert (chosen.retain_declined_months, chosen.retain_closed_years) == (18, 7)
    for name, value in [
        ("RETAIN_DECLINED_MONTHS", "0"),
        ("RETAIN_CLOSED_YEARS", "-1"),
        ("RETAIN_CLOSED_YEARS", "six"),
    ]:
        with pytest.raises(SettingsError, match=name):
            load_settings({name: value})

"""`triage-bot export --what actions|referrals`: the actions of reviews' action plans with their
ids and whether each was done on time, and referrals with their codes in words, plan dates and
status history."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from officers_support import SEVERE, decide, file

from bot.cli import main
from storage import actions, plans, referrals
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def board_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A database with one approved, planned referral and three actions: done on time, done
    late, and dropped."""
    path = tmp_path / "triage.db"
    monkeypatch.setenv("TRIAGE_DB", str(path))
    for name in ("TRIAGE_CONFIG", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    ref = file(path, SEVERE, NOW).ref
    decide(path, ref, NOW + dt.timedelta(days=1))
    db = open_db(path)
    try:
        answers = {"iar_due": "2026-04-30", "report_due": "2026-06-30"}
        plans.save_plan(db, ref, "publication_date", answers, 3001, NOW + dt.timedelta(days=2))
        referrals.set_status(db, ref, "review_planned", 3001, "", NOW + dt.timedelta(days=3))
        due = dt.date(2026, 4, 1)
        for n in range(3):
            actions.add_action(db, ref, "Health", due, f"Train staff {n}", 3001, NOW)
        actions.change_action(db, ref, 1, "done", 3001, "=HYPERLINK(x)", NOW)
        late = dt.datetime(2026, 4, 9, tzinfo=dt.UTC)
        actions.change_action(db, ref, 2, "done", 3001, "done after the date", late)
        actions.change_action(db, ref, 3, "dropped", 3001, "no longer needed", NOW)
    finally:
        db.conn.close()
    return path, ref


def _csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["export", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_actions_export_gives_ids_owners_and_timeliness(
    board_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, ref = board_db
    rows = _csv(capsys, "--what", "actions")
    assert [r["id"] for r in rows] == [f"{ref}/A1", f"{ref}/A2", f"{ref}/A3"]
    assert [r["status_words"] for r in rows] == ["done", "done", "dropped"]
    assert [r["on_time"] for r in rows] == ["1", "0", ""]
    assert rows[0]["outcome"] == "'=HYPERLINK(x)"  # a formula is made inert
    assert all(r["agency"] == "Health" and r["due"] == "2026-04-01" for r in rows)
    assert _csv(capsys, "--what", "actions", "--year", "2025") == []


def test_referrals_export_says_codes_in_words_with_plan_dates_and_history(
    board_db: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, ref = board_db
    [row] = _csv(capsys)
    assert row["ref"] == ref and row["grade"] == "severe" and row["grade_words"] == "Severe"
    assert row["status"] == "review_planned" and row["status_words"]
    assert row["decision"] == "approved" and row["decision_words"] == "Review approved"
    assert (row["iar_due"], row["report_due"], row["publication_date"]) == (
        "2026-04-30",
        "2026-06-30",
        "",
    )
    assert row["status_history"] == "2026-03-03 approved; 2026-03-05 review_planned"
    assert "case_reference" not in row


def test_the_annual_update_shows_actions_and_last_year_beside(
    board_db: tuple[Path, str],
) -> None:
    from reports.annual import gather_years, render_report

    path, ref = board_db
    db = open_db(path)
    try:
        last = file(path, SEVERE, NOW.replace(year=2025)).ref
        then = NOW.replace(year=2025)
        actions.add_action(db, last, "Police", dt.date(2025, 6, 1), "Audit", 3001, then)
        figures = gather_years(db, 2026, dt.date(2026, 12, 1), io.StringIO(), False)
    finally:
        db.conn.close()
    a = figures.actions
    assert (a.recorded, a.done_on_time, a.done_late, a.dropped, a.overdue) == (3, 1, 1, 1, 0)
    assert a.by_agency == [("Health", (3, 1, 1, 0, 1))]
    assert figures.last_year.total == 1 and figures.year.total == 1
    assert figures.last_actions.overdue == 1  # still open after its 2025 due date
    report = render_report(figures, dt.date(2026, 12, 1))
    assert "| Figure | 2026 | 2025 |" in report.markdown
    assert "| Done after their due date | 1 | 0 |" in report.markdown
    assert "| Overdue (still open after their due date) | 0 | 1 |" in report.markdown
    assert "| Health | 3 | 1 | 1 | 0 | 1 |" in report.markdown
    assert "Actions by agency" in report.html and "<svg" in report.html
    assert ref not in report.markdown  # figures, not cases

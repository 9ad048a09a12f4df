"""Where each review stands (`reports.review_stages`): the stage, the next date due and the
working days past it, over several reviews at each stage, on real storage (plans, terms agreed
through `services.terms`, agency reviews through `storage.agency_reviews`). Synthetic only."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from filed import GOOD_PRACTICE, LOW, SEVERE, decide, file
from reviewed import OFFICER, agency_review, reviewed
from sqlite_utils import Database

from bot.cli import main
from bot.delivery.workdays import board_day, working_days_between
from reports.review_stages import ReviewStage, Stage, stages
from storage import actions, plans, referrals, themes
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
GOOD_FRIDAY = dt.date(2026, 4, 3)
DUE = dt.date(2026, 3, 31)  # the plan's agency reviews date (tests/reviewed.py)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "triage.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_db(db_path)
    with closing(database.conn):
        yield database


def _stages(db: Database, today: dt.date, holidays: tuple[dt.date, ...] = ()) -> list[ReviewStage]:
    count = functools.partial(working_days_between, holidays=holidays)
    return stages(db, referrals.list_referrals(db), today, count)


def _move(db: Database, ref: str, *statuses: str) -> None:
    for status in statuses:
        referrals.set_status(db, ref, status, OFFICER, "", NOW)


def test_each_review_has_its_stage_its_next_date_and_the_working_days_past_it(
    db: Database, db_path: Path
) -> None:
    no_plan = reviewed(db_path, SEVERE, NOW, until="approved")
    half = reviewed(db_path, SEVERE, NOW, until="approved")
    plans.save_plan(db, half.ref, "report_due", {"iar_due": "2026-03-31"}, OFFICER, NOW)
    with_panel = reviewed(db_path, SEVERE, NOW, until="sent")
    asked = reviewed(db_path, SEVERE, NOW)  # Health and Police asked, Health in
    agency_review(db, asked.ref, "Health", NOW, lead=5001, chronology=[("2025-10-01", "Seen")])
    all_in = reviewed(db_path, SEVERE, NOW, agencies=("Health",))
    agency_review(db, all_in.ref, "Health", NOW, lead=5001, chronology=[("2025-10-01", "Seen")])
    received = reviewed(db_path, SEVERE, NOW, agencies=())
    _move(db, received.ref, "in_review", "report_received")
    published = reviewed(db_path, SEVERE, NOW, agencies=())
    _move(db, published.ref, "in_review", "report_received", "published")
    file(db_path, LOW, NOW)  # undecided: no review
    declined = file(db_path, LOW, NOW)
    decide(db_path, declined.ref, NOW, "declined", "Single-agency learning")
    case_study = file(db_path, GOOD_PRACTICE, NOW)
    decide(db_path, case_study.ref, NOW)  # a case study, no review to plan

    found = {s.ref: s for s in _stages(db, dt.date(2026, 3, 20))}

    assert list(found) == [
        no_plan.ref,
        half.ref,
        with_panel.ref,
        asked.ref,
        all_in.ref,
        received.ref,
        published.ref,
    ]
    seen = [(s.stage, s.due, s.behind, s.label) for s in found.values()]
    assert seen == [
        (Stage.PLAN, None, 0, "plan being written"),
        (Stage.PLAN, DUE, 0, "plan being written"),
        (Stage.TERMS, DUE, 0, "terms with the panel"),
        (Stage.AGENCY_REVIEWS, DUE, 0, "agency reviews, 1 of 2 in"),
        (Stage.OVERVIEW, dt.date(2026, 6, 30), 0, "overview report"),
        (Stage.OVERVIEW, dt.date(2026, 9, 1), 0, "overview report"),  # report in: publication
        (Stage.PUBLISHED, None, 0, "published"),
    ]
    assert found[asked.ref].due_for == "iar_due" and found[all_in.ref].due_for == "report_due"
    assert found[received.ref].due_for == "publication_date"
    assert (found[asked.ref].asked, found[asked.ref].submitted) == (2, 1)


def test_working_days_past_the_date_skip_weekends_and_the_boards_bank_holidays(
    db: Database, db_path: Path
) -> None:
    late = reviewed(db_path, SEVERE, NOW)
    on_the_day = {s.ref: s for s in _stages(db, DUE)}[late.ref]
    assert (on_the_day.behind, on_the_day.overdue, on_the_day.late) == (0, False, 0)

    # Tuesday 31 March due; Monday 6 April is four working days on, three with Good Friday.
    monday = dt.date(2026, 4, 6)
    (plain,) = _stages(db, monday)
    (holiday,) = _stages(db, monday, (GOOD_FRIDAY,))
    assert (plain.stage, plain.behind, plain.overdue) == (Stage.AGENCY_REVIEWS, 4, True)
    assert holiday.behind == 3
    assert (plain.asked, plain.submitted, plain.late) == (2, 0, 2)  # both out past their date


def test_an_agency_review_submitted_after_its_date_stays_counted_late(
    db: Database, db_path: Path
) -> None:
    review = reviewed(db_path, SEVERE, NOW)
    after = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)
    entry = [("2025-10-01", "Seen at clinic")]
    agency_review(db, review.ref, "Health", NOW, lead=5001, chronology=entry)
    agency_review(db, review.ref, "Police", after, lead=5002, chronology=entry)

    (stage,) = _stages(db, dt.date(2026, 4, 20))

    assert (stage.stage, stage.asked, stage.submitted, stage.late) == (Stage.OVERVIEW, 2, 2, 1)
    assert stage.due == dt.date(2026, 6, 30) and stage.behind == 0


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_the_annual_update_and_the_reviews_export_give_each_review_of_the_year_a_row(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRIAGE_DB", str(db_path))
    for name in ("TRIAGE_CONFIG", "TELEGRAM_BOT_TOKEN", "BANK_HOLIDAYS"):
        monkeypatch.delenv(name, raising=False)
    review = reviewed(db_path, SEVERE, NOW)
    entry = [("2025-10-01", "Seen at clinic")]
    agency_review(db, review.ref, "Health", NOW, lead=5001, chronology=entry)
    after = dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC)
    agency_review(db, review.ref, "Police", after, lead=5002, chronology=entry)
    actions.add_action(db, review.ref, "Health", dt.date(2026, 4, 1), "Train staff", OFFICER, NOW)
    writing = reviewed(db_path, SEVERE, NOW, until="approved")
    file(db_path, LOW, NOW)  # undecided: not a review
    last_year = reviewed(db_path, SEVERE, dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC))
    today = board_day(dt.datetime.now(dt.UTC))
    behind = working_days_between(dt.date(2026, 6, 30), today)

    themes.toggle(db, review.ref, "neglect", OFFICER, None, NOW)
    themes.toggle(db, review.ref, "babies", OFFICER, None, NOW)

    out = tmp_path / "out"
    _cli(capsys, "report", "--year", "2026", "--out", str(out))
    markdown = (out / "annual-report-2026.md").read_text()
    section = markdown.split("## Reviews of the year")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| LIR-")]
    assert rows == [
        f"| {review.ref} | Severe | 02 Mar 2026 | overview report | 30 Jun 2026 | {behind} "
        "| 31 Mar 2026 | 30 Jun 2026 | 01 Sep 2026 | 2 | 2 | 1 | 1 |",
        f"| {writing.ref} | Severe | 02 Mar 2026 | plan being written | none | 0 |  |  |  "
        "| 0 | 0 | 0 | 0 |",
    ]
    page = (out / "annual-report-2026.html").read_text()
    assert f'<th scope="row">{review.ref}</th>' in page and "<caption>Reviews of 2026" in page

    table = _cli(capsys, "export", "--what", "reviews", "--year", "2026")
    found = list(csv.DictReader(io.StringIO(table)))
    assert [r["ref"] for r in found] == [review.ref, writing.ref]  # last year's is not of 2026
    first = found[0]
    assert (first["stage"], first["stage_words"]) == ("overview", "overview report")
    assert (first["next_due"], first["next_due_is"]) == ("2026-06-30", "report_due")
    assert first["working_days_behind"] == str(behind)
    assert (first["agency_reviews_asked"], first["agency_reviews_in"]) == ("2", "2")
    assert (first["agency_reviews_late"], first["actions_overdue"]) == ("1", "1")
    assert (first["themes"], found[1]["themes"]) == ("neglect; babies", "")
    assert (first["iar_due"], first["decided_at"], first["grade_words"]) == (
        "2026-03-31",
        "2026-03-02",
        "Severe",
    )
    everything = _cli(capsys, "export", "--what", "reviews")
    assert last_year.ref in everything

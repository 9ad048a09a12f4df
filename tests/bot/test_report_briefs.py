"""Learning briefs in the annual update and the CSV exports (SPEC §7, "Annual update"): briefs
written, approved, delivered and read in storage over two years and several agencies; the report
shows each count this year beside last year, by agency, with a read-rate chart; `export --what
briefs|briefs-by-agency` gives counts only, formula-safe; the referrals export carries the case
reference only with `--with-case-reference`, and such an export is in each referral's log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from filed import GOOD_PRACTICE, SEVERE, decide, file

from bot.cli import main
from reports.annual import gather_years, render_report
from storage import briefs, outbox, practitioners
from storage.db import open_db
from storage.events import EXPORTED, events_for
from storage.outbox import OutboxKind

LAST = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
SECTIONS = {k: f"Synthetic {k}" for k in briefs.SECTIONS}
CASE_REF = "SYN-CASE-0042"


def _register(db_path: Path, people: dict[int, str], now: dt.datetime) -> None:
    db = open_db(db_path)
    try:
        for user_id, agency in people.items():
            code = practitioners.create_invite(db, agency, "cli", now)
            practitioners.redeem_invite(db, code, user_id, now)
    finally:
        db.conn.close()


def _brief(
    db_path: Path,
    ref: str,
    now: dt.datetime,
    agencies: tuple[str, ...] = (),
    *,
    approve: bool = True,
    failed: tuple[int, ...] = (),
    reads: tuple[tuple[int, str], ...] = (),
) -> None:
    """Write a brief, approve it, deliver it (but to `failed`) and record the `reads`."""
    db = open_db(db_path)
    try:
        briefs.start_brief(db, ref, "what_happened", agencies, 3001, now)
        briefs.save_sections(db, ref, "done", SECTIONS, True, now)
        if not approve:
            return
        assert briefs.approve(db, ref, 2001, now)
        for row in outbox.rows_for(db, ref, OutboxKind.BRIEF):
            if row.chat_id in failed:
                outbox.mark_failed(db, row.id, "Forbidden", now)
            else:
                outbox.mark_sent(db, row.id, 1, now)
        for user_id, agency in reads:  # read a day later (the 2025 one, in 2026: still 2025's)
            later = now + dt.timedelta(days=1 if now.year == 2026 else 300)
            assert briefs.record_read(db, ref, user_id, agency, later)
    finally:
        db.conn.close()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """2025: one review's brief to Health and Police, Health read it. 2026: a review's brief to
    all (Health read twice, Police and Education not; Social care's delivery failed), a case
    study of good practice to Police (read), and one still awaiting the chair."""
    path = tmp_path / "triage.db"
    monkeypatch.setenv("TRIAGE_DB", str(path))
    for name in ("TRIAGE_CONFIG", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    _register(path, {7001: "Health", 7002: "Police"}, LAST)
    a = file(path, SEVERE, LAST, case_reference=CASE_REF).ref
    decide(path, a, LAST)
    _brief(path, a, LAST + dt.timedelta(days=5), reads=((7001, "Health"),))
    _register(path, {7003: "Health", 7004: "Education", 7005: "Social care"}, NOW)
    b = file(path, SEVERE, NOW, case_reference="=HYPERLINK(x)").ref
    c = file(path, GOOD_PRACTICE, NOW).ref
    d = file(path, SEVERE, NOW).ref
    for ref in (b, c, d):
        decide(path, ref, NOW)
    _brief(path, b, NOW, failed=(7005,), reads=((7001, "Health"), (7003, "Health")))
    _brief(path, c, NOW + dt.timedelta(days=30), ("police",), reads=((7002, "Police"),))
    _brief(path, d, NOW, ("=HYPERLINK(x)",), approve=False)
    return {"path": path, "refs": (a, b, c, d)}


def test_the_briefs_figures_count_each_year_and_agency(world: dict[str, object]) -> None:
    path = world["path"]
    assert isinstance(path, Path)
    db = open_db(path)
    try:
        figures = gather_years(db, 2026, dt.date(2026, 12, 1), io.StringIO(), False)
    finally:
        db.conn.close()
    now, last = figures.briefs, figures.last_briefs
    assert (now.briefs, now.reviews, now.case_studies) == (2, 1, 1)  # the draft is not counted
    assert (now.sent, now.people, now.read, now.rate) == (5, 4, 3, 60)  # the failed one is not
    assert [(a.agency, a.sent, a.read, a.rate) for a in now.by_agency] == [
        ("Health", 2, 2, 100),
        ("Police", 2, 1, 50),
        ("Education", 1, 0, 0),
    ]
    assert (last.briefs, last.reviews, last.sent, last.people, last.read, last.rate) == (
        1,
        1,
        2,
        2,
        1,
        50,
    )
    assert [(a.agency, a.rate) for a in last.by_agency] == [("Health", 100), ("Police", 0)]


class _Charts(HTMLParser):
    """Each svg's aria-label and the width of its bars."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[float]] = {}
        self._current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self._current = str(dict(attrs).get("aria-label"))
            self.charts[self._current] = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "rect":
            self.charts[self._current].append(float(dict(attrs)["width"] or 0))


def test_the_report_shows_briefs_beside_last_year_with_a_read_rate_chart(
    world: dict[str, object],
) -> None:
    path = world["path"]
    assert isinstance(path, Path)
    db = open_db(path)
    try:
        report = render_report(
            gather_years(db, 2026, dt.date(2026, 12, 1), io.StringIO(), False),
            dt.date(2026, 12, 1),
        )
    finally:
        db.conn.close()
    md = report.markdown
    assert "## Learning briefs\n" in md and "| Learning briefs | 2026 | 2025 |" in md
    for line in (
        "| Briefs sent | 2 | 1 |",
        "| Case studies of good practice | 1 | 0 |",
        "| Sent to (one per practitioner per brief) | 5 | 2 |",
        "| Practitioners reached | 4 | 2 |",
        "| Read (Read it pressed) | 3 | 1 |",
        "| Read rate | 60% | 50% |",
        "| Health | 2 | 2 | 100% | 1 | 1 | 100% |",
        "| Police | 2 | 1 | 50% | 1 | 0 | 0% |",
        "| Education | 1 | 0 | 0% | 0 | 0 | none sent |",
    ):
        assert line in md, line
    assert "Social care" not in md  # its only delivery failed
    charts = _Charts()
    charts.feed(report.html)
    rates = charts.charts["Read rate of learning briefs by agency"]
    assert len(rates) == 3 and rates[0] == 2 * rates[1] and rates[2] == 0
    assert len(charts.charts["Learning briefs"]) == 4
    assert '<th scope="row">Education</th>' in report.html  # a row header, each row
    assert '<td class="n">none sent</td>' in report.html


def _csv(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, str]]:
    assert main(["export", *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_export_briefs_gives_counts_per_brief_and_per_agency(
    world: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, c, d = world["refs"]  # type: ignore[misc]
    assert main(["export", "--what", "briefs", "--year", "2026"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0] == (
        "ref,case_study,agencies,status,created_at,approved_at,sent_to,read,read_rate"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["ref"], r["case_study"], r["status"]) for r in rows] == [
        (b, "0", "approved"),
        (c, "1", "approved"),
        (d, "0", "awaiting_chair"),
    ]
    assert [(r["sent_to"], r["read"], r["read_rate"]) for r in rows] == [
        ("4", "2", "50%"),
        ("1", "1", "100%"),
        ("0", "0", ""),
    ]
    assert [r["agencies"] for r in rows] == ["all", "police", "'=HYPERLINK(x)"]  # made inert
    assert rows[0]["approved_at"] == "2026-03-02T10:00:00+00:00" and rows[2]["approved_at"] == ""
    for user_id in ("7001", "7002", "7003", "7004"):
        assert user_id not in text  # no practitioner numbered
    [last] = _csv(capsys, "--what", "briefs", "--year", "2025")
    assert (last["ref"], last["sent_to"], last["read"]) == (a, "2", "1")  # read in 2026
    assert len(_csv(capsys, "--what", "briefs")) == 4

    by_agency = _csv(capsys, "--what", "briefs-by-agency", "--year", "2026")
    assert list(by_agency[0]) == ["ref", "agency", "sent_to", "read", "read_rate"]
    assert [tuple(r.values()) for r in by_agency] == [
        (b, "Education", "1", "0", "0%"),
        (b, "Health", "2", "2", "100%"),
        (b, "Police", "1", "0", "0%"),
        (c, "Police", "1", "1", "100%"),
    ]
    target = Path(str(world["path"])).with_name("reach.csv")
    assert main(["export", "--what", "briefs-by-agency", "--out", str(target)]) == 0
    assert f"Exported 6 rows of briefs by agency to {target}." in capsys.readouterr().err
    assert len(target.read_text(encoding="utf-8").splitlines()) == 7


def test_the_case_reference_is_exported_only_when_asked_and_logged(
    world: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path = world["path"]
    assert isinstance(path, Path)
    a, b, c, _ = world["refs"]  # type: ignore[misc]
    plain = _csv(capsys, "--year", "2025")
    assert "case_reference" not in plain[0] and CASE_REF not in str(plain)

    assert main(["export", "--with-case-reference"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("ref,case_reference,year,")
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[a]["case_reference"] == CASE_REF
    assert rows[b]["case_reference"] == "'=HYPERLINK(x)"  # a formula made inert
    assert "holds the case references of 2 referrals" in err  # a and b have one
    db = open_db(path)
    try:
        logged = [e for e in events_for(db, a) if e.action == EXPORTED]
        assert [(e.actor, e.detail) for e in logged] == [
            ("cli", "case reference in a CSV export (triage-bot export --with-case-reference)")
        ]
        assert [e for e in events_for(db, c) if e.action == EXPORTED] == []  # it has none
    finally:
        db.conn.close()
    assert main(["audit", a]) == 0
    audit = capsys.readouterr().out
    assert re.search(r"UTC  cli +exported: case reference in a CSV export", audit)

    assert main(["export", "--what", "briefs", "--with-case-reference"]) == 2
    assert "--with-case-reference is for --what referrals" in capsys.readouterr().err


def test_an_export_that_cannot_be_written_logs_no_case_reference_event(
    world: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    path = world["path"]
    assert isinstance(path, Path)
    a = world["refs"][0]  # type: ignore[index]
    blocker = path.with_name("not-a-folder")
    blocker.write_text("a file where the export's folder would be\n", encoding="utf-8")
    target = blocker / "export.csv"
    assert main(["export", "--with-case-reference", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"cannot write {target}" in err and "holds the case references" not in err
    db = open_db(path)
    try:
        assert [e for e in events_for(db, a) if e.action == EXPORTED] == []
    finally:
        db.conn.close()

    good = path.with_name("export.csv")  # the control: a written export is logged
    assert main(["export", "--with-case-reference", "--out", str(good)]) == 0
    assert CASE_REF in good.read_text(encoding="utf-8")
    db = open_db(path)
    try:
        assert len([e for e in events_for(db, a) if e.action == EXPORTED]) == 1
    finally:
        db.conn.close()

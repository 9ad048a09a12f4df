"""`triage-bot report` and `triage-bot export` over a few hundred synthetic referrals, run as the
user runs them (subprocesses, without importing `telegram`); every figure checked against the
database with SQL of its own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from filed import file

from matrix.engine import load_matrix
from reports.figures import bucket
from storage import plans, referrals
from storage.db import open_db, transaction
from storage.lifecycle import TRANSITIONS

YEAR = 2025
AGENCIES = ["Children's social care", "Health", "Police", "Education", "Voluntary | faith"]
SETTINGS = ("TRIAGE_CONFIG", "TELEGRAM_BOT_TOKEN", "BOARD_CHAT_ID", "CHAIR_USER_IDS")
CHAIR = 2001
REFERRER_BASE = 770_000
NO_TELEGRAM = (
    "import sys; from bot.cli import main; rc = main(sys.argv[1:]); "
    "assert 'telegram' not in sys.modules, 'telegram was imported'; raise SystemExit(rc)"
)


def synthetic_facts(rng: random.Random) -> dict[str, object]:
    """Varied facts of SPEC §3 (the practitioner's answers), synthetic."""
    if rng.random() < 0.1:
        return {"good_practice": True}
    facts: dict[str, object] = {
        "abuse_or_neglect": rng.choice(["known", "suspected", "none", "none"]),
        "child_died": rng.random() < 0.08,
        "interagency_concern": rng.choice(["cause_for_concern", "curiosity", "none", "unknown"]),
        "standards": rng.choice(
            [
                "statutory_or_professional",
                "internal_policy",
                "minor_noncompliance",
                "none",
                "unknown",
            ]
        ),
        "sexual_abuse_or_cse": rng.random() < 0.1,
        "missing_education": rng.random() < 0.2,
        "child_status": rng.sample(["cp_plan", "cin", "significant_services"], rng.randint(0, 2)),
    }
    if facts["child_died"]:
        facts["death_in_custody"] = rng.random() < 0.1
        facts["suspected_suicide"] = rng.random() < 0.2
    else:
        facts["seriously_harmed"] = rng.random() < 0.3
        facts["injury"] = rng.choice(
            ["none", "minor", "hospital_treatment", "hospital_admission_over_24h"]
        )
        facts["significant_self_harm"] = rng.random() < 0.1
    return facts


def populate(path: Path, count: int, seed: int = 5) -> None:
    """`count` referrals of YEAR (and a few of the year before), filed, decided and moved on."""
    rng = random.Random(seed)
    db = open_db(path)
    start = dt.datetime(YEAR, 1, 1, 9, tzinfo=dt.UTC)
    moments = sorted(
        start + dt.timedelta(minutes=rng.randrange(364 * 24 * 60)) for _ in range(count)
    )
    moments = [start - dt.timedelta(days=30 + i) for i in range(5)][::-1] + moments
    with transaction(db):
        for n, filed in enumerate(moments):
            facts = synthetic_facts(rng)
            urgent = rng.random() < 0.05
            description = rng.choice(
                [
                    "Synthetic case: concerns about supervision; number [REDACTED] removed.",
                    "=HYPERLINK(synthetic) typed as the first characters",
                    "Synthetic case, no identifiers.",
                ]
            )
            referral = file(
                db,
                facts,
                filed,
                urgent=urgent,
                referrer=REFERRER_BASE + n,
                agency=rng.choice(AGENCIES),
                agencies=rng.sample(AGENCIES, rng.randint(1, 3)),
                description=description,
                case_reference="CASE-SECRET-1",
                board_chat_id=-100,
                chair_ids=[CHAIR],
            )
            roll = rng.random()
            if roll < 0.15:
                continue  # still with the chair
            decided = filed + dt.timedelta(hours=rng.randrange(1, 30 * 24))
            matrix = load_matrix()
            if roll < 0.35:
                referrals.record_decision(
                    db, referral.ref, CHAIR, "declined", "no learning", None, decided
                )
                continue
            higher = matrix.higher_grades(referral.grade)
            if roll < 0.45 and higher:
                referrals.record_decision(
                    db, referral.ref, CHAIR, "escalated", "pattern", higher[-1], decided
                )
            else:
                referrals.record_decision(db, referral.ref, CHAIR, "approved", "", None, decided)
            steps = rng.randint(0, 5)
            status = "approved"
            for _ in range(steps):
                status = TRANSITIONS[status][0]
                if status == "review_planned":
                    answers = {
                        "methodology": rng.choice(["welsh", "scie"]),
                        "family": rng.choice(["yes", "no"]),
                        "staff": rng.choice(["yes", "yes", "no"]),
                    }
                    plans.save_plan(db, referral.ref, "done", answers, CHAIR, decided)
                referrals.set_status(db, referral.ref, status, CHAIR, "", decided)
    db.conn.close()


def run_cli(args: list[str], db_path: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["TRIAGE_DB"] = str(db_path)
    return subprocess.run(
        [sys.executable, "-c", NO_TELEGRAM, *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def md_tables(markdown: str) -> dict[str, dict[str, str]]:
    """Each `## section` of the Markdown and its table rows (label -> value), unescaped."""
    tables: dict[str, dict[str, str]] = {}
    current = ""
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:]
            tables[current] = {}
        elif line.startswith("|---") and current:
            tables[current].clear()  # what came before was the header row
        elif line.startswith("| ") and current:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            tables[current][cells[0].replace("\\", "")] = cells[1]
    return tables


class Page(HTMLParser):
    """Checks the HTML is well formed and collects its charts (the rects of each svg)."""

    VOID = frozenset({"meta", "br", "link", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.charts: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.charts.append({"label": dict(attrs).get("aria-label"), "rects": 0})
        if tag == "rect":
            self.charts[-1]["rects"] = int(self.charts[-1]["rects"]) + 1  # type: ignore[call-overload]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "rect":
            self.charts[-1]["rects"] = int(self.charts[-1]["rects"]) + 1  # type: ignore[call-overload]

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("report")
    db_path = folder / "triage.db"
    populate(db_path, 320)
    out = folder / "out"
    done = run_cli(
        ["report", "--year", str(YEAR), "--out", str(out), "--progress"], db_path, folder
    )
    assert done.returncode == 0, done.stderr
    return {"db": db_path, "folder": folder, "out": out, "done": done}


def sql(db_path: Path, query: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(query, params).fetchall()
    finally:
        conn.close()


def test_report_writes_both_documents_and_a_progress_bar(world: dict[str, object]) -> None:
    done = world["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    out = world["out"]
    assert isinstance(out, Path)
    lines = done.stdout.splitlines()
    assert lines == [
        f"Annual update {YEAR}: 320 referrals.",
        str(out / f"annual-report-{YEAR}.md"),
        str(out / f"annual-report-{YEAR}.html"),
    ]
    # each `\r` redraw reads as a line here (universal newlines)
    drawn = [line for line in done.stderr.splitlines() if line]
    assert drawn[0].endswith("]  10% 1/10 parts")  # a step a part, redrawn at most every 0.1 s
    assert drawn[-1] == "[" + "#" * 30 + "] 100% 10/10 parts"


def test_report_figures_match_the_database(world: dict[str, object]) -> None:
    db_path, out = world["db"], world["out"]
    assert isinstance(db_path, Path) and isinstance(out, Path)
    tables = md_tables((out / f"annual-report-{YEAR}.md").read_text())
    matrix = load_matrix()
    where = "FROM referrals WHERE year = ?"

    summary = tables["Summary"]
    ((total,),) = sql(db_path, f"SELECT count(*) {where}", YEAR)
    assert total == 320 and summary["Referrals"] == "320"
    ((urgent,),) = sql(db_path, f"SELECT count(*) {where} AND urgent = 1", YEAR)
    assert summary["Urgent at referral"] == str(urgent)
    ((escalated,),) = sql(db_path, f"SELECT count(*) {where} AND grade != original_grade", YEAR)
    assert escalated > 0 and summary["Escalated by the chair"] == str(escalated)

    grades = dict(sql(db_path, f"SELECT grade, count(*) {where} GROUP BY grade", YEAR))
    assert tables["Referrals by grade"] == {matrix.label(g): str(n) for g, n in grades.items()}
    assert list(tables["Referrals by grade"]) == [
        matrix.label(g) for g in (*matrix.grades, "none") if g in grades
    ]

    referrers = dict(sql(db_path, f"SELECT referrer_agency, count(*) {where} GROUP BY 1", YEAR))
    assert tables["Referrals by referring agency"] == {a: str(n) for a, n in referrers.items()}
    involved = dict(
        sql(
            db_path,
            "SELECT j.value, count(*) FROM referrals, json_each(referrals.agencies) j"
            " WHERE year = ? GROUP BY j.value",
            YEAR,
        )
    )
    assert tables["Agencies involved"] == {a: str(n) for a, n in involved.items()}
    assert "Voluntary | faith" in involved

    decisions = dict(
        sql(db_path, f"SELECT coalesce(decision, '-'), count(*) {where} GROUP BY 1", YEAR)
    )
    assert tables["Referrals by the chair's decision"] == {
        label: str(decisions[key])
        for key, label in [
            ("approved", "Review approved"),
            ("escalated", "Review approved at a higher grade"),
            ("declined", "No review"),
            ("-", "Awaiting the chair"),
        ]
    }

    days = [
        float(d)
        for (d,) in sql(
            db_path,
            f"SELECT julianday(decided_at) - julianday(created_at) {where}"
            " AND decided_at IS NOT NULL",
            YEAR,
        )
    ]
    assert summary["Decided"] == str(len(days))
    assert summary["Median time to decision"] == f"{statistics.median(days):.1f} days"
    assert summary["Longest time to decision"] == f"{max(days):.1f} days"
    buckets = Counter(bucket(d) for d in days)
    assert {k: int(v) for k, v in tables["Time to decision"].items()} == {
        label: buckets[label] for label in tables["Time to decision"]
    }
    assert sum(int(v) for v in tables["Time to decision"].values()) == len(days)

    reviews = dict(
        sql(
            db_path,
            f"SELECT status, count(*) {where} AND decision IN ('approved', 'escalated')"
            " GROUP BY status",
            YEAR,
        )
    )
    assert {k: int(v) for k, v in tables["Reviews by status"].items() if int(v)} == {
        status.replace("_", " "): n for status, n in reviews.items()
    }

    standards = dict(
        sql(
            db_path,
            f"SELECT coalesce(json_extract(facts, '$.standards'), '-'), count(*) {where}"
            " GROUP BY 1",
            YEAR,
        )
    )
    labels = {
        "statutory_or_professional": "Professional or statutory",
        "internal_policy": "Internal policy or procedure",
        "minor_noncompliance": "Minor non-compliance",
        "none": "None identified",
        "unknown": "Don't know",
        "-": "Not asked (good practice)",
    }
    assert tables["Theme: standards not met"] == {labels[k]: str(n) for k, n in standards.items()}
    ((died,),) = sql(
        db_path, f"SELECT count(*) {where} AND json_extract(facts, '$.child_died')", YEAR
    )
    assert tables["Theme: incidents"]["Child died"] == str(died)

    ((planned,),) = sql(
        db_path, "SELECT count(*) FROM plans p JOIN referrals r USING (ref) WHERE r.year = ?", YEAR
    )
    assert summary["Review plans completed"] == str(planned)
    ((family_no,),) = sql(
        db_path,
        "SELECT count(*) FROM plans p JOIN referrals r USING (ref)"
        " WHERE r.year = ? AND json_extract(p.answers, '$.family') = 'no'",
        YEAR,
    )
    assert summary["Plans recording the family not involved"] == str(family_no)


def test_html_report_is_well_formed_with_a_chart_per_table(world: dict[str, object]) -> None:
    out = world["out"]
    assert isinstance(out, Path)
    html = (out / f"annual-report-{YEAR}.html").read_text()
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == []
    tables = md_tables((out / f"annual-report-{YEAR}.md").read_text())
    charts = {str(c["label"]): int(c["rects"]) for c in page.charts}  # type: ignore[call-overload]
    assert charts["Referrals by grade"] == len(tables["Referrals by grade"])
    assert charts["Referrals by review route"] == len(tables["Referrals by review route"])
    assert charts["Time to decision"] == 6
    listed = ("Summary", "Reviews of the year")  # figures and one row a review: no chart
    assert set(charts) == {title for title, rows in tables.items() if rows and title not in listed}
    assert "Voluntary | faith" in html and "<script" not in html


def test_export_writes_csv_without_practitioner_identity(world: dict[str, object]) -> None:
    db_path, folder = world["db"], world["folder"]
    assert isinstance(db_path, Path) and isinstance(folder, Path)
    target = folder / "export.csv"
    done = run_cli(["export", "--year", str(YEAR), "--out", str(target)], db_path, folder)
    assert done.returncode == 0, done.stderr
    assert f"Exported 320 referrals to {target}" in done.stderr
    text = target.read_text(encoding="utf-8")
    found = list(csv.DictReader(io.StringIO(text)))
    assert len(found) == 320 and all(row["year"] == str(YEAR) for row in found)
    assert "referrer_id" not in found[0] and "case_reference" not in found[0]
    assert "CASE-SECRET-1" not in text
    assert not re.search(rf"\b{REFERRER_BASE // 1000}\d{{3}}\b", text)
    formula = [r["description"] for r in found if "HYPERLINK" in r["description"]]
    assert formula and all(d.startswith("'=") for d in formula)
    first = referrals.list_referrals(open_db(db_path), YEAR)[0]
    row = found[0]
    assert row["ref"] == first.ref and row["grade"] == first.grade
    assert row["agencies"] == "; ".join(first.agencies)
    assert row["notifiable"] == str(int(bool(first.flags.get("notifiable"))))
    assert {r["notifiable"] for r in found} == {"0", "1"}

    everything = run_cli(["export"], db_path, folder)
    assert everything.returncode == 0, everything.stderr
    assert len(list(csv.DictReader(io.StringIO(everything.stdout)))) == 325


def test_commands_refuse_a_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    for args in (["report", "--year", "2025"], ["export"]):
        done = run_cli(args, missing, tmp_path)
        assert done.returncode == 2 and "no database at" in done.stderr
        assert not missing.exists()
    bad_year = run_cli(["report", "--year", "25"], missing, tmp_path)
    assert bad_year.returncode == 2 and "--year must be a year" in bad_year.stderr


def test_briefs_export_and_section_without_briefs(world: dict[str, object]) -> None:
    db_path, folder, out = world["db"], world["folder"], world["out"]
    assert isinstance(db_path, Path) and isinstance(folder, Path) and isinstance(out, Path)
    for what in ("briefs", "briefs-by-agency"):
        done = run_cli(["export", "--what", what, "--year", str(YEAR)], db_path, folder)
        assert done.returncode == 0, done.stderr
        assert len(done.stdout.splitlines()) == 1 and done.stdout.startswith("ref,")
    tables = md_tables((out / f"annual-report-{YEAR}.md").read_text())
    assert tables["Learning briefs"]["Briefs sent"] == "0"
    assert tables["Learning briefs"]["Read rate"] == "none sent"
    assert "Read rate of learning briefs by agency" not in tables

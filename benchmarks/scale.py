"""The board's commands over many synthetic referrals, at several sizes, so growth shows.

    python benchmarks/scale.py                         # 10 000 and 100 000 referrals
    python benchmarks/scale.py --sizes 3000 30000      # other sizes
    python benchmarks/scale.py --keep DIR              # keep (and reuse) the generated files

The referrals are filed with `storage.referrals.file_referral` (facts and grades from real
conversations through the dialog, so every field is as the bot writes it), then decided and
moved along the lifecycle with the storage functions, in one year; planned reviews get an
action each, and a quarter of them a plan, agreed terms and agency reviews with chronology
entries (`scale_reviews`). A row of a command that lists everything of a kind (`/reviews`, the
dashboard's views) is per item listed. Each row times the function a command runs (what its
handler calls, and its template), median of several runs, and counts the SQL statements that
read the referrals table. The table shows each row at every size and the growth from the
smallest to the largest as a ratio: a command that reads only what it shows stays near 1.

A command is one more row: a function decorated with `@row("name")` that takes the `Bench`
(the services over the database, sample references) and returns what to time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.board.actions import action_line, board_list
from bot.board.agency_reviews import iars_text
from bot.board.casework import case_context
from bot.board.queue import PAGE_SIZE, first_page, stats_context, turned_page
from bot.board.reviews import reviews_rows
from bot.context import Services
from bot.dashboard.views import VIEWS
from bot.delivery.queue_keyboards import NEXT, PageData
from bot.delivery.workdays import working_days_between
from bot.settings import Settings
from dialogs.practitioner import PractitionerDialog
from dialogs.registry import Dialogs
from matrix.engine import load_matrix
from reports.annual import gather_years, render_report
from reports.chronology import build_chronology
from reports.overview import assemble
from storage import actions, briefs, queue, referrals
from storage.db import open_db, transaction
from storage.lifecycle import IN_REVIEW, PUBLISHED, REPORT_RECEIVED, REVIEW_PLANNED
from templates import render

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scale_reviews

YEAR = 2025
AGENCIES = ("Children's social care", "Health", "Police", "Education", "Early help")
CHAIRS = (2001, 2002)
PATHS: tuple[tuple[str, ...], ...] = (
    # catastrophic: a known death
    ("I understand", "No", "A concern", "Known", "Yes", "No", "No", "No", "No", "No", "No",
     "Done", "Cause for concern", "Professional or statutory", "Health", "Police", "Done"),
    # moderate: hospital treatment
    ("I understand", "No", "A concern", "Suspected", "No", "No", "Taken to hospital for treatment",
     "No", "No", "No", "No", "No", "No", "Done", "Some curiosity", "Internal policy or procedure",
     "Education", "Done"),
    # best practice
    ("I understand", "No", "Good practice"),
)  # fmt: skip
LIFECYCLE = (REVIEW_PLANNED, IN_REVIEW, REPORT_RECEIVED, PUBLISHED)
REVIEWED = 0.25  # of the planned reviews, those with a plan, terms and agency reviews


def conversations() -> list[tuple[dict[str, Any], dict[str, Any], bool, list[str]]]:
    """(facts, result, urgent, agencies) of a few whole checks, answered through the dialog."""
    dialog = PractitionerDialog(AGENCIES, load_matrix())
    out = []
    for path in PATHS:
        conv = dialog.start()
        for label in path:
            if conv.current_prompt().kind == "text" or conv.state == "summary":
                break
            conv.answer_label(label)
        while conv.current_prompt().kind == "text":
            conv.answer_label("Skip" if conv.current_prompt().id == "reference" else "A case.")
        out.append(
            (
                dict(conv.facts()),
                conv.result().to_dict(),
                conv.urgent,
                list(conv.answers.get("agencies", [])),
            )
        )
    return out


def generate(path: Path, count: int, seed: int = 11) -> float:
    """File `count` referrals across `YEAR`, decide most, move some along; seconds taken."""
    started = time.monotonic()
    rng = random.Random(seed)
    variants = conversations()
    db = open_db(path)
    db.conn.execute("PRAGMA synchronous = OFF")  # bulk load of throwaway data only
    begin = dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)
    step = dt.timedelta(days=360) / max(1, count)
    batch = 2000
    for first in range(0, count, batch):
        with transaction(db):
            for n in range(first, min(count, first + batch)):
                facts, result, urgent, agencies = variants[n % len(variants)]
                now = begin + step * n
                referral, _ = referrals.file_referral(
                    db,
                    draft_id=f"bench-{n}",
                    referrer_id=10_000 + n % 3000,
                    referrer_agency=AGENCIES[n % len(AGENCIES)],
                    facts=facts,
                    result=result,
                    urgent=urgent or rng.random() < 0.03,
                    agencies=agencies,
                    description=f"Synthetic case {n}: agencies shared concerns late.",
                    case_reference=None,
                    board_chat_id=-100500,
                    chair_ids=CHAIRS,
                    now=now,
                )
                _progress(db, rng, referral.ref, now)
    db.conn.execute("PRAGMA synchronous = FULL")
    db.conn.execute("ANALYZE")
    db.conn.close()
    return time.monotonic() - started


def _progress(db: Any, rng: random.Random, ref: str, filed: dt.datetime) -> None:
    """Decide 85% of referrals a few days after filing; move some approved ones along, and give
    a quarter of the planned reviews their plan, terms and agency reviews (`scale_reviews`)."""
    roll = rng.random()
    if roll > 0.85:
        return
    decided = filed + dt.timedelta(days=rng.uniform(0.2, 15))
    decision = "declined" if roll < 0.25 else "approved"
    reason = "Single-agency learning is enough." if decision == "declined" else ""
    referrals.record_decision(db, ref, CHAIRS[0], decision, reason, None, decided)
    if decision == "approved":
        for n, status in enumerate(LIFECYCLE[: rng.randrange(len(LIFECYCLE) + 1)]):
            at = decided + dt.timedelta(days=10 * (n + 1))
            referrals.set_status(db, ref, status, "officer", "", at)
            if status == REVIEW_PLANNED:
                due = (at + dt.timedelta(days=rng.randrange(20, 200))).date()
                agency = AGENCIES[rng.randrange(len(AGENCIES))]
                actions.add_action(db, ref, agency, due, "Share the plan.", "officer", at)
                sample = random.Random(ref)  # its own draws: the rest is as without reviews
                if sample.random() < REVIEWED:
                    scale_reviews.add_review(db, sample, ref, AGENCIES, at)


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """The median wall time of `fn` over `runs` runs (after one warm-up), and every run, ms."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


@dataclass
class Bench:
    """What a row needs: the services over the database, and the references it samples."""

    s: Services
    refs: list[str]  # a sample of referrals across the year
    open_count: int
    reviews: list[str] = field(default_factory=list)  # a sample with agency reviews in
    year: int = YEAR


@dataclass(frozen=True)
class Row:
    """One command: its name, what to time (made from the `Bench`) and how many of what the
    command shows one run covers (the time is divided by it: `/case` of one referral)."""

    name: str
    make: Callable[[Bench], Callable[[], object]]
    per: Callable[[Bench], int] = lambda bench: 1


ROWS: list[Row] = []


def row(
    name: str, per: Callable[[Bench], int] | None = None
) -> Callable[[Callable[[Bench], Callable[[], object]]], Callable[[Bench], Callable[[], object]]]:
    """Add a command's row to the table (in the order rows are declared)."""

    def add(
        make: Callable[[Bench], Callable[[], object]],
    ) -> Callable[[Bench], Callable[[], object]]:
        ROWS.append(Row(name, make, per or (lambda bench: 1)))
        return make

    return add


@row("/queue first page")
def _queue_first(b: Bench) -> Callable[[], object]:
    return lambda: first_page(b.s)


@row("/queue middle page (Next from the middle)")
def _queue_middle(b: Bench) -> Callable[[], object]:
    middle = b.open_count // 2
    (ref,) = b.s.db.execute(
        f"SELECT ref FROM referrals WHERE {queue.OPEN_WHERE}"
        " ORDER BY urgent DESC, created_at, seq LIMIT 1 OFFSET ?",
        (middle,),
    ).fetchone()
    press = PageData(middle // PAGE_SIZE + 1, NEXT, ref)
    return lambda: turned_page(b.s, press)


@row("/case (one referral)", per=lambda b: len(b.refs))
def _case(b: Bench) -> Callable[[], object]:
    def case() -> None:
        for ref in b.refs:
            referral = referrals.require_referral(b.s.db, ref)
            render("bot/officers/case.j2", **case_context(b.s, referral))

    return case


@row("/actions REF (one review)", per=lambda b: len(b.refs))
def _actions_of(b: Bench) -> Callable[[], object]:
    def listed() -> None:
        today = b.s.today()
        for ref in b.refs:
            items = [action_line(a, today) for a in actions.actions_for(b.s.db, ref)]
            render("bot/actions/list.j2", actions=items, ref=ref, overdue=False, more=0)

    return listed


@row("/actions overdue")
def _actions_overdue(b: Bench) -> Callable[[], object]:
    return lambda: render("bot/actions/list.j2", **board_list(b.s, True))


@row("/actions (every open action)")
def _actions_open(b: Bench) -> Callable[[], object]:
    return lambda: render("bot/actions/list.j2", **board_list(b.s, False))


@row("/reach REF (one referral)", per=lambda b: len(b.refs))
def _reach(b: Bench) -> Callable[[], object]:
    def reach() -> None:
        for ref in b.refs:
            briefs.get_brief(b.s.db, ref)
            briefs.reach(b.s.db, ref)

    return reach


@row("/iars REF (one review)", per=lambda b: len(b.reviews))
def _iars(b: Bench) -> Callable[[], object]:
    return lambda: [iars_text(b.s, referrals.require_referral(b.s.db, r)) for r in b.reviews]


@row("/reviews (per review listed)", per=lambda b: len(reviews_rows(b.s)))
def _reviews(b: Bench) -> Callable[[], object]:
    return lambda: render("bot/officers/reviews.j2", rows=reviews_rows(b.s), today="today")


@row("/chronology REF (one review)", per=lambda b: len(b.reviews))
def _chronology(b: Bench) -> Callable[[], object]:
    return lambda: [build_chronology(b.s.db, ref, b.s.today()) for ref in b.reviews]


@row("/overview REF (one review)", per=lambda b: len(b.reviews))
def _overview(b: Bench) -> Callable[[], object]:
    return lambda: [assemble(b.s.db, ref, b.s.today()) for ref in b.reviews]


def _listed(view: str, shown: dict[str, Any]) -> int:
    """How many items a dashboard view's JSON lists (its rows, or its actions by agency)."""
    if view == "actions":
        return sum(len(group["actions"]) for group in shown["agencies"])
    return len(shown[DASHBOARD_ITEMS[view]]) if view in DASHBOARD_ITEMS else 1


DASHBOARD_ITEMS = {"queue": "referrals", "reviews": "reviews", "actions": "actions"}
for _view in ("queue", "reviews", "actions", "chart"):

    def _per(b: Bench, view: str = _view) -> int:
        return _listed(view, VIEWS[view](b.s, CHAIRS[0]))

    def _call(b: Bench, view: str = _view) -> Callable[[], object]:
        return lambda: VIEWS[view](b.s, CHAIRS[0])

    _what = f" (per {DASHBOARD_ITEMS[_view][:-1]} listed)" if _view in DASHBOARD_ITEMS else ""
    row(f"dashboard /api/{_view}{_what}", per=_per)(_call)


@row("/stats")
def _stats(b: Bench) -> Callable[[], object]:
    return lambda: stats_context(b.s)


@row("one full read of the referrals table (the unit)")
def _full_read(b: Bench) -> Callable[[], object]:
    def read() -> int:
        return sum(1 for _ in b.s.db.execute("SELECT * FROM referrals"))

    return read


@row("annual report (this year beside last)")
def _report(b: Bench) -> Callable[[], object]:
    def report() -> None:
        today = dt.date(b.year + 1, 1, 5)
        figures = gather_years(b.s.db, b.year, today, io.StringIO(), False)
        render_report(figures, today)

    return report


@row("annual report with the reviews of the year")
def _report_reviews(b: Bench) -> Callable[[], object]:
    count = functools.partial(working_days_between, holidays=b.s.settings.bank_holidays)

    def report() -> None:  # as `triage-bot report` runs it: with the board's working days
        today = dt.date(b.year + 1, 1, 5)
        figures = gather_years(b.s.db, b.year, today, io.StringIO(), False, count)
        render_report(figures, today)

    return report


@dataclass
class Measured:
    """One row at one size: the median ms (per item shown), every run, statements reading the
    referrals table in one run."""

    median: float
    runs: list[float] = field(default_factory=list)
    referral_reads: int = 0


def _counting(db: Any) -> list[str]:
    """Every statement `db` runs from now on that names the referrals table (the trace)."""
    seen: list[str] = []

    def trace(sql: str) -> None:
        if "referrals" in sql and not sql.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            seen.append(sql)

    db.conn.set_trace_callback(trace)
    return seen


def measure(path: Path, runs: int) -> dict[str, Any]:
    """Every row over the database at `path`: {"referrals": n, "open": n, name: Measured}."""
    db = open_db(path)
    settings = Settings(db_path=path, chair_user_ids=frozenset(CHAIRS), agencies=AGENCIES)
    clock = lambda: dt.datetime(YEAR, 12, 31, 12, tzinfo=dt.UTC)  # noqa: E731
    s = Services(
        settings=settings, db=db, dialogs=Dialogs.configured(AGENCIES, load_matrix()), clock=clock
    )
    total = referrals.count_referrals(db)
    bench = Bench(
        s=s,
        refs=[r.ref for r in referrals.list_referrals(db, YEAR)[:: max(1, total // 50)]][:20],
        open_count=referrals.count_open(db),
        reviews=scale_reviews.sample_reviews(db, 10),
    )
    out: dict[str, Any] = {"referrals": total, "open": bench.open_count}
    for each in ROWS:
        fn = each.make(bench)
        per = max(1, each.per(bench))
        seen = _counting(db)
        fn()
        reads = len(seen)
        db.conn.set_trace_callback(None)
        median, times = median_ms(fn, runs if "annual" not in each.name else max(3, runs // 2))
        out[each.name] = Measured(median / per, [t / per for t in times], reads)
    db.conn.close()
    return out


def table(results: list[tuple[dict[str, Any], float]]) -> list[str]:
    """Markdown: each row's median ms at every size, and the growth largest/smallest."""
    sizes = [figures["referrals"] for figures, _ in results]
    lines = [
        "; ".join(
            f"{f['referrals']:,} referrals ({f['open']:,} open) generated in {took:.0f} s"
            for f, took in results
        )
        + ".",
        "",
        "| command | "
        + " | ".join(f"ms at {n:,}" for n in sizes)
        + f" | growth {sizes[-1] // max(1, sizes[0])}x data"
        + " | statements naming referrals (one run) |",
        "|---|" + "---:|" * (len(sizes) + 2),
    ]
    for each in ROWS:
        cells = [figures[each.name] for figures, _ in results]
        growth = cells[-1].median / cells[0].median if cells[0].median else float("nan")
        reads = "/".join(str(c.referral_reads) for c in cells)
        medians = " | ".join(f"{c.median:,.2f}" for c in cells)
        lines.append(f"| {each.name} | {medians} | {growth:.2f} | {reads} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Generate (or reuse) a database per size, measure every row, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the databases here (reused if there)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="lir-scale-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = []
        for size in sorted(args.sizes):
            path = folder / f"scale-{size}.db"
            took = 0.0 if path.exists() else generate(path, size)
            results.append((measure(path, args.runs), took))
            print(f"scale {size}: measured", file=sys.stderr)
    lines = [f"SQLite {sqlite3.sqlite_version}", "", *table(results)]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`/queue`, `/case`, `/stats` and the annual report over many synthetic referrals.

The referrals are filed with `storage.referrals.file_referral` (facts and grades from real
conversations through the dialog, so every field is as the bot writes it), then decided and
moved along the lifecycle with the storage functions, in one year. Each measurement times the
function the command runs (`bot.board.queue.queue_page`, `bot.board.casework.case_context` and its
template, `bot.board.queue.stats_context`, `reports.annual.gather` + `render_report`); the
median of several runs is reported.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.board.casework import case_context
from bot.board.queue import queue_page, stats_context
from bot.context import Services
from bot.settings import Settings
from dialogs.practitioner import PractitionerDialog
from dialogs.registry import Dialogs
from matrix.engine import load_matrix
from reports.annual import gather, render_report
from storage import referrals
from storage.db import open_db, transaction
from storage.lifecycle import IN_REVIEW, PUBLISHED, REPORT_RECEIVED, REVIEW_PLANNED
from templates import render

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
    """Decide 85% of referrals a few days after filing; move some approved ones along."""
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


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    """The median wall time of `fn` over `runs` runs (after one warm-up), and every run, ms."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), times


def measure(path: Path, runs: int) -> dict[str, Any]:
    """Time the commands' functions over the database at `path`."""
    db = open_db(path)
    settings = Settings(db_path=path, chair_user_ids=frozenset(CHAIRS), agencies=AGENCIES)
    clock = lambda: dt.datetime(YEAR, 12, 31, 12, tzinfo=dt.UTC)  # noqa: E731
    s = Services(
        settings=settings, db=db, dialogs=Dialogs.configured(AGENCIES, load_matrix()), clock=clock
    )
    total = referrals.count_referrals(db)
    open_count = referrals.count_open(db)
    middle_page = open_count // 8 // 2
    refs = [r.ref for r in referrals.list_referrals(db, YEAR)[:: max(1, total // 50)]][:20]
    out: dict[str, Any] = {"referrals": total, "open": open_count}

    def case() -> None:
        for ref in refs:
            referral = referrals.require_referral(db, ref)
            render("bot/officers/case.j2", **case_context(s, referral))

    def report() -> None:
        figures = gather(db, YEAR, io.StringIO(), False)
        render_report(figures, dt.date(YEAR + 1, 1, 5))

    out["queue first page"] = median_ms(lambda: queue_page(s, 0), runs)
    out["queue middle page"] = median_ms(lambda: queue_page(s, middle_page), runs)
    case_ms, case_runs = median_ms(case, runs)
    out["case (one referral)"] = (case_ms / len(refs), [t / len(refs) for t in case_runs])
    out["stats"] = median_ms(lambda: stats_context(s), runs)
    out["annual report"] = median_ms(report, max(3, runs // 2))
    db.conn.close()
    return out

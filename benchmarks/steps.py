"""CPU of each step of the check, one person at a time: the triage bot beside the minimal button
bot, where the CPU ratio of `run.py` comes from.

    python benchmarks/steps.py                 # 12 people, one after another, each bot
    python benchmarks/steps.py --people 20 --out FILE

Each bot runs as `run.py` runs it (the triage bot without the flood limiter) against the local
Bot API server. People go through the whole check one step at a time, nobody else about: the
bot's CPU for a step is read from the scheduler (`/proc/<pid>/task/*/schedstat`, nanoseconds,
every thread) before the step and once its awaited reply is there (after Submit, once the
notices have gone out too). The table gives the median per step of each bot and the
difference; a ratio of whole checks read this way has none of the concurrency that the
20-user rows of `run.py` add.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import sim  # noqa: E402

from localapi import ThreadedLocalBotAPI  # noqa: E402

TRIAGE = "triage, no flood limit"
WARM_PEOPLE = 3
SETTLE_SECONDS = 0.03  # after a step's reply, for the rest of its work (an answer's save)
NOTICES_SECONDS = 1.2  # after Submit: the outbox sends the board's notice and the chair's card


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of `pid` so far, in nanoseconds."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        except OSError:  # a thread that ended meanwhile
            continue
    return total


def measure(kind: str, people: int) -> list[float]:
    """The median CPU in ms of each step of the check for `kind`, over `people` checks."""
    steps = run.STEPS.get(kind, sim.CHECK)
    per_step: list[list[float]] = [[] for _ in steps]
    ids = list(range(run.FIRST_USER, run.FIRST_USER + WARM_PEOPLE + people))
    with (
        tempfile.TemporaryDirectory(prefix="lir-steps-") as tmp,
        ThreadedLocalBotAPI(token=run.TOKEN) as api,
    ):
        folder = Path(tmp)
        api.add_user(run.CHAIR, "Chair")
        api.add_chat(run.BOARD, "supergroup", "Board")
        for user_id in ids:
            api.add_user(user_id, f"User {user_id}")
        if kind.startswith("triage"):
            run.register(folder, ids)
        proc = run.start_bot(kind, api, folder)
        try:
            warm = [sim.User(u, steps, 1) for u in ids[:WARM_PEOPLE]]
            sim.drive(api, warm, None, 60)
            time.sleep(2)
            for user_id in ids[WARM_PEOPLE:]:
                for index, step in enumerate(steps):
                    before = cpu_ns(proc.pid)
                    result = sim.drive(api, [sim.User(user_id, (step,), 1)], None, 20)
                    if result.errors or result.timed_out:
                        raise RuntimeError(f"{kind}: step {index} got no reply")
                    last = index == len(steps) - 1
                    time.sleep(NOTICES_SECONDS if last else SETTLE_SECONDS)
                    per_step[index].append((cpu_ns(proc.pid) - before) / 1e6)
        finally:
            run.stop_bot(proc)
    return [statistics.median(values) for values in per_step]


def table(triage: list[float], anchor: list[float]) -> list[str]:
    """Markdown rows: each step, both bots and the difference; then the whole check."""
    lines = [
        "| step | what the person does | triage ms | buttons ms | difference ms |",
        "|---:|---|---:|---:|---:|",
    ]
    for index, step in enumerate(sim.CHECK):
        verb = "presses" if step.action == "press" else "sends"
        what = "types the description" if step.value == sim.DESCRIPTION else f"{verb} {step.value}"
        t, a = triage[index], anchor[index]
        lines.append(f"| {index + 1} | {what} | {t:.2f} | {a:.2f} | {t - a:+.2f} |")
    t, a = sum(triage), sum(anchor)
    lines.append(f"| | the whole check | {t:.1f} | {a:.1f} | {t - a:+.1f} ({t / a:.2f}x) |")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Measure both bots and print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=12, help="checks measured per bot")
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    triage = measure(TRIAGE, args.people)
    anchor = measure(run.ANCHOR, args.people)
    command = " ".join(["python", "benchmarks/steps.py", *(argv or sys.argv[1:])])
    out = [f"Command: `{command}`", "", *run.machine(), "", *table(triage, anchor)]
    run.finish(out, started, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

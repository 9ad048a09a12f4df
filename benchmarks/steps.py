"""CPU of each step of the check, one person at a time: the triage bot beside the minimal button
bot, where the CPU ratio of `run.py` comes from.

    python benchmarks/steps.py                 # 12 people, one after another, on each bot
    python benchmarks/steps.py --people 20 --out FILE

Each bot runs as `run.py` runs it (the triage bot without the flood limiter), both at once, each
against a local Bot API server of its own. People go through the whole check one step at a time,
nobody else about, each step taken on one bot and then the other (the first of the two
alternates), so that the machine's drift meets both alike. A bot's CPU for a step is read from
the scheduler (`procstat.cpu_ns`: `/proc/<pid>/task/*/schedstat`, nanoseconds, every thread)
before the step and once its awaited reply is there (after Submit, once the notices have gone
out too). The table gives the median per step of each bot and the difference; a ratio of whole
checks read this way has none of the concurrency that the 20-user rows of `run.py` add.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import procstat  # noqa: E402
import run  # noqa: E402
import sim  # noqa: E402

from localapi import ThreadedLocalBotAPI  # noqa: E402

TRIAGE = "triage, no flood limit"
WARM_PEOPLE = 3
SETTLE_SECONDS = 0.03  # after a step's reply, for the rest of its work (an answer's save)
NOTICES_SECONDS = 1.2  # after Submit: the outbox sends the board's notice and the chair's card


@contextmanager
def started(kind: str, ids: list[int], warm: int) -> Iterator[Bot]:
    """`kind` running against a local Bot API of its own, warmed up by the checks of the first
    `warm` of `ids`."""
    steps = run.STEPS.get(kind, sim.CHECK)
    with (
        tempfile.TemporaryDirectory(prefix="lir-steps-") as tmp,
        ThreadedLocalBotAPI(token=run.TOKEN) as api,
    ):
        proc = run.populate_and_start(kind, api, Path(tmp), ids)
        try:
            sim.drive(api, [sim.User(u, steps, 1) for u in ids[:warm]], None, 60)
            yield Bot(kind, api, proc.pid, steps)
        finally:
            run.stop_bot(proc)


@dataclass
class Bot:
    """A bot under measurement: its server, its process and the steps of its check."""

    kind: str
    api: ThreadedLocalBotAPI
    pid: int
    steps: tuple[sim.Step, ...]
    ms: list[list[float]] = field(init=False)  # each step's CPU, one value a person

    def __post_init__(self) -> None:
        self.ms = [[] for _ in self.steps]

    def step(self, user_id: int, index: int) -> None:
        """Take step `index` of `user_id`'s check and record the bot's CPU for it."""
        before = procstat.cpu_ns(self.pid)
        result = sim.drive(
            self.api, [sim.User(user_id, self.steps[index : index + 1], 1)], None, 20
        )
        if result.errors or result.timed_out:
            raise RuntimeError(f"{self.kind}: step {index} got no reply")
        last = index == len(self.steps) - 1
        time.sleep(NOTICES_SECONDS if last else SETTLE_SECONDS)
        self.ms[index].append((procstat.cpu_ns(self.pid) - before) / 1e6)

    def medians(self) -> list[float]:
        """The median CPU in ms of each step."""
        return [statistics.median(values) for values in self.ms]


def measure(people: int, warm: int = WARM_PEOPLE) -> tuple[list[float], list[float]]:
    """The median CPU in ms of each step for the triage bot and the anchor, over `people`
    checks each: both bots run side by side and take each step in turn, so that the machine's
    drift (minutes long on a shared virtual machine) meets both alike."""
    ids = list(range(run.FIRST_USER, run.FIRST_USER + warm + people))
    with started(TRIAGE, ids, warm) as triage, started(run.ANCHOR, ids, warm) as anchor:
        time.sleep(2)
        for user_id in ids[warm:]:
            for index in range(len(triage.steps)):
                for bot in (triage, anchor) if index % 2 else (anchor, triage):
                    bot.step(user_id, index)
        return triage.medians(), anchor.medians()


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
    parser.add_argument(
        "--warm", type=int, default=WARM_PEOPLE, help="checks per bot before measuring"
    )
    parser.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    args = parser.parse_args(argv)
    started = time.monotonic()
    triage, anchor = measure(args.people, args.warm)
    command = " ".join(["python", "benchmarks/steps.py", *(argv or sys.argv[1:])])
    out = [f"Command: `{command}`", "", *run.machine(), "", *table(triage, anchor)]
    run.finish(out, started, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

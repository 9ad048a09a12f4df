"""The benchmark: the triage bot against the minimal button bot and an echo bot, and the board's
commands at scale.

    python benchmarks/run.py            # the full run (about ten minutes on two cores)
    python benchmarks/run.py --quick    # a small run to check the harness (not run by CI)
    python benchmarks/run.py --out FILE # also write the figures as Markdown to FILE
    python benchmarks/run.py --no-scale # the bots only (the scale rows: benchmarks/scale.py)

Both bots run as subprocesses (`python -m bot run`, `python benchmarks/echo_bot.py`) against
a local Bot API server on 127.0.0.1 in this process, one at a time, with the same simulated
users sending the same number of updates. Per BENCHMARKS.md: latency with 0.5-1.5 s think
time, throughput closed-loop, CPU per update from /proc/<pid>/stat as a ratio to the minimal
button bot (the anchor) and to the echo bot (the floor), requests naming a chat per update
(what Telegram's flood limits count), peak RSS and RSS per live draft, and `/queue`, `/case`,
`/stats`, `/actions`, `/reach` and the annual report over 10 000 and 100 000 synthetic
referrals (`benchmarks/scale.py`, which also runs alone). Every loop is bounded in
count and time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import procstat  # noqa: E402
import scale  # noqa: E402
import sim  # noqa: E402

from localapi import ThreadedLocalBotAPI  # noqa: E402
from storage import drafts, practitioners  # noqa: E402
from storage.db import open_db  # noqa: E402

TOKEN = "424242:BENCH-token-not-a-secret"
BOARD, CHAIR = -100500, 2001
FIRST_USER = 100_000
COMMANDS = {
    "echo": [sys.executable, str(HERE / "echo_bot.py")],
    "buttons": [sys.executable, str(HERE / "echo_bot.py"), "--buttons"],
    "triage": [sys.executable, "-m", "bot", "run"],
    "triage, no flood limit": [sys.executable, str(HERE / "triage_unlimited.py")],
}
STEPS = {"echo": sim.ECHO, "buttons": sim.BUTTONS}
ANCHOR = "buttons"
WARM_USERS = 5


@dataclass
class Run:
    """One bot under one load."""

    bot: str
    users: int
    think: tuple[float, float] | None
    latencies_ms: list[float] = field(default_factory=list)
    updates: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    idle_rss: float = 0.0
    peak_rss: float = 0.0
    rss_at_most_drafts: float = 0.0
    most_drafts: int = 0
    server_cpu: float = 0.0
    waiting: int = 0  # users still waiting for a reply when the time limit came
    chat_requests: int = 0  # calls naming a simulated user's chat, over the window
    errors: list[str] = field(default_factory=list)

    @property
    def cpu_per_update_ms(self) -> float:
        """Bot CPU (user + system) per update, ms."""
        return 1000 * self.cpu / max(1, self.updates)

    @property
    def requests_per_update(self) -> float:
        """Requests naming the users' chats per update (what the flood limits count)."""
        return self.chat_requests / max(1, self.updates)

    @property
    def rate(self) -> float:
        """Updates handled per second of the window."""
        return self.updates / self.seconds if self.seconds else 0.0


def start_bot(kind: str, api: ThreadedLocalBotAPI, folder: Path) -> subprocess.Popen[bytes]:
    """Start the triage bot or the echo bot against `api`; returns once it polls."""
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": api.base_url,
        "TRIAGE_DB": str(folder / "triage.db"),
        "BOARD_CHAT_ID": str(BOARD),
        "CHAIR_USER_IDS": str(CHAIR),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("TRIAGE_CONFIG", None)
    command = COMMANDS[kind]
    since = api.mark()
    log = (folder / "bot.log").open("ab")
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while not api.calls("deleteWebhook", since=since):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the {kind} bot did not start; see {folder / 'bot.log'}")
        time.sleep(0.02)
    return proc


def stop_bot(proc: subprocess.Popen[bytes]) -> None:
    """Stop a bot as a service manager would (SIGTERM), killing it if it does not end."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def register(folder: Path, user_ids: list[int]) -> None:
    """Register every simulated practitioner with an invite, as /start CODE would."""
    db = open_db(folder / "triage.db")
    now = dt.datetime.now(dt.UTC)
    for user_id in user_ids:
        code = practitioners.create_invite(db, "Health", "bench", now)
        practitioners.redeem_invite(db, code, user_id, now)
    db.conn.close()


def populate_and_start(
    kind: str, api: ThreadedLocalBotAPI, folder: Path, user_ids: list[int]
) -> subprocess.Popen[bytes]:
    """The chair, the board's group and `user_ids` as people of `api` (registered
    practitioners for the triage bot), then `kind` started against it."""
    api.add_user(CHAIR, "Chair")
    api.add_chat(BOARD, "supergroup", "Board")
    for user_id in user_ids:
        api.add_user(user_id, f"User {user_id}")
    if kind.startswith("triage"):
        register(folder, user_ids)
    return start_bot(kind, api, folder)


def measure(
    kind: str, users: int, think: tuple[float, float] | None, limit: float, workdir: Path
) -> Run:
    """Run `users` simulated people through one whole conversation each against one bot."""
    folder = Path(tempfile.mkdtemp(prefix=f"{kind}-{users}-", dir=workdir))
    ids = list(range(FIRST_USER, FIRST_USER + users))
    warm = list(range(FIRST_USER - WARM_USERS, FIRST_USER))
    steps = STEPS.get(kind, sim.CHECK)
    triage = kind.startswith("triage")
    run = Run(kind, users, think)
    with ThreadedLocalBotAPI(token=TOKEN) as api:
        proc = populate_and_start(kind, api, folder, warm + ids)
        try:
            warm_up = sim.drive(api, [sim.User(u, steps, 1) for u in warm], None, 60)
            run.errors += warm_up.errors
            time.sleep(1.5)  # let the outbox of the warm-up go out
            idle = procstat.sample(proc.pid)
            run.idle_rss = idle.rss_mib
            me = procstat.sample(os.getpid())
            reader = open_db(folder / "triage.db") if triage else None

            def tick() -> None:
                if reader is None:
                    return
                live = drafts.count_drafts(reader)
                if live >= run.most_drafts:
                    run.most_drafts = live
                    run.rss_at_most_drafts = procstat.sample(proc.pid).rss_mib

            window = api.mark()
            result = sim.drive(
                api, [sim.User(u, steps, 1) for u in ids], think, limit, on_tick=tick
            )
            end = procstat.sample(proc.pid)
            chats = set(ids)
            run.chat_requests = sum(
                1 for c in api.calls(since=window) if c.params.get("chat_id") in chats
            )
            if reader is not None:
                reader.conn.close()
            run.server_cpu = procstat.sample(os.getpid()).cpu - me.cpu
        finally:
            stop_bot(proc)
    run.latencies_ms = [1000 * x for x in result.latencies]
    run.updates = result.updates
    run.seconds = result.seconds
    run.cpu = end.cpu - idle.cpu
    run.peak_rss = end.peak_rss_mib
    run.errors += result.errors
    run.waiting = result.timed_out
    return run


def fmt(value: float, digits: int = 1) -> str:
    """A number for the tables."""
    return f"{value:,.{digits}f}"


def latency_table(runs: list[Run]) -> list[str]:
    """Markdown rows: latency, CPU per update (as ratios to the minimal button bot and to the
    echo bot) and requests naming a chat per update, per number of users."""
    lines = [
        "| users | bot | updates | p50 ms | p99 ms | max ms | CPU ms/update "
        "| ratio to buttons | ratio to echo | chat requests/update | peak RSS MiB "
        "| waiting at limit |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    anchor = {r.users: r.cpu_per_update_ms for r in runs if r.bot == ANCHOR}
    echo_cpu = {r.users: r.cpu_per_update_ms for r in runs if r.bot == "echo"}
    for r in runs:
        to_anchor = r.cpu_per_update_ms / anchor[r.users] if anchor.get(r.users) else 0.0
        to_echo = r.cpu_per_update_ms / echo_cpu[r.users] if echo_cpu.get(r.users) else 0.0
        lines.append(
            f"| {r.users} | {r.bot} | {r.updates} | {fmt(sim.percentile(r.latencies_ms, 50))} "
            f"| {fmt(sim.percentile(r.latencies_ms, 99))} | {fmt(max(r.latencies_ms or [0]))} "
            f"| {fmt(r.cpu_per_update_ms, 2)} | {fmt(to_anchor, 2)} | {fmt(to_echo, 2)} "
            f"| {fmt(r.requests_per_update, 2)} | {fmt(r.peak_rss)} | {r.waiting} |"
        )
    return lines


def throughput_table(runs: list[Run]) -> list[str]:
    """Markdown rows: closed-loop updates per second and what the processes used."""
    lines = [
        "| users | bot | updates | seconds | updates/s | bot CPU % of one core "
        "| server+driver CPU % of one core | p50 ms | p99 ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.users} | {r.bot} | {r.updates} | {fmt(r.seconds)} | {fmt(r.rate)} "
            f"| {fmt(100 * r.cpu / r.seconds if r.seconds else 0)} "
            f"| {fmt(100 * r.server_cpu / r.seconds if r.seconds else 0)} "
            f"| {fmt(sim.percentile(r.latencies_ms, 50))} "
            f"| {fmt(sim.percentile(r.latencies_ms, 99))} |"
        )
    return lines


def memory_table(runs: list[Run]) -> list[str]:
    """Markdown rows: RSS idle, at the most live drafts, peak, and growth per live draft."""
    lines = [
        "| users | idle RSS MiB | RSS at most live drafts | live drafts | KiB per live draft "
        "| peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        if not r.bot.startswith("triage"):
            continue
        per = 1024 * (r.rss_at_most_drafts - r.idle_rss) / r.most_drafts if r.most_drafts else 0
        lines.append(
            f"| {r.users} | {fmt(r.idle_rss)} | {fmt(r.rss_at_most_drafts)} | {r.most_drafts} "
            f"| {fmt(per)} | {fmt(r.peak_rss)} |"
        )
    return lines


def machine() -> list[str]:
    """What the figures were measured on."""
    import sqlite3

    import telegram

    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return [
        f"- {os.cpu_count()} cores ({model}), Linux {platform.release()}",
        f"- Python {platform.python_version()}, python-telegram-bot {telegram.__version__}, "
        f"SQLite {sqlite3.sqlite_version}",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) the figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run to check the harness")
    parser.add_argument("--out", type=Path, help="also write the figures to this Markdown file")
    parser.add_argument(
        "--no-scale", action="store_true", help="leave out the scale rows (benchmarks/scale.py)"
    )
    args = parser.parse_args(argv)
    quick = args.quick
    sizes = [5, 20] if quick else [20, 50, 100, 500]
    production = [(20, 30.0)] if quick else [(20, 60.0), (50, 60.0), (100, 90.0), (500, 60.0)]
    closed_users = 20 if quick else 100
    sizes_of_data = [] if args.no_scale else [300, 3_000] if quick else [10_000, 100_000]
    think = (0.5, 1.5)
    started = time.monotonic()
    command = " ".join(
        ["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])]
    )
    out: list[str] = [f"Command: `{command}`", "", *machine()]
    with tempfile.TemporaryDirectory(prefix="lir-bench-") as tmp:
        workdir = Path(tmp)
        latency: list[Run] = []
        for users in sizes:
            for bot in ("echo", ANCHOR, "triage, no flood limit"):
                latency.append(measure(bot, users, think, 120.0 + users, workdir))
                print(f"latency {bot} {users}: done at {time.monotonic() - started:.0f} s")
        for users, limit in production:
            latency.append(measure("triage", users, think, limit, workdir))
            print(f"latency triage {users}: done at {time.monotonic() - started:.0f} s")
        closed = [
            measure(bot, closed_users, None, 60.0, workdir)
            for bot in ("echo", ANCHOR, "triage, no flood limit", "triage")
        ]
        print(f"throughput: done at {time.monotonic() - started:.0f} s")
        at_scale = []
        for size in sizes_of_data:
            db_path = workdir / f"scale-{size}.db"
            generated = scale.generate(db_path, size)
            at_scale.append((scale.measure(db_path, 5 if quick else 7), generated))
        print(f"scale: done at {time.monotonic() - started:.0f} s")
    out += ["", "## Latency (think time 0.5-1.5 s)", "", *latency_table(latency)]
    out += ["", f"## Throughput (closed loop, {closed_users} users)", "", *throughput_table(closed)]
    out += ["", "## Memory (triage bot)", "", *memory_table(latency)]
    if at_scale:
        out += ["", "## The board's commands at scale", "", *scale.table(at_scale)]
    errors = [e for r in latency + closed for e in r.errors]
    out += ["", f"Errors: {len(errors)}", *(f"- {e}" for e in errors[:10])]
    finish(out, started, args.out)
    return 1 if errors else 0


def finish(out: list[str], started: float, path: Path | None) -> None:
    """Print the report's lines and the total time; also write them to `path` when given."""
    out += ["", f"Total time: {fmt(time.monotonic() - started, 0)} s"]
    text = "\n".join(out) + "\n"
    print(text)
    if path:
        path.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())

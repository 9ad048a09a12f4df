"""CPU time and memory of a process, read from /proc (Linux)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Sample:
    """CPU seconds used so far (user + system), resident memory now and at its peak (MiB)."""

    cpu: float
    rss_mib: float
    peak_rss_mib: float


def sample(pid: int) -> Sample:
    """Read /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS, VmHWM)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    status = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        status[key] = value.strip()
    return Sample(
        cpu=(utime + stime) / TICKS,
        rss_mib=_kib(status.get("VmRSS", "0 kB")) / 1024,
        peak_rss_mib=_kib(status.get("VmHWM", "0 kB")) / 1024,
    )


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of `pid` so far, in nanoseconds, from the scheduler
    (`/proc/<pid>/task/<tid>/schedstat`): finer than `sample`'s clock ticks, for one step."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
        except OSError:  # a thread that ended meanwhile
            continue
    return total


def _kib(value: str) -> float:
    return float(value.split()[0])

"""The broadcast benchmark's script runs end to end at a small size: every recipient gets the
brief once, the referral filed meanwhile reaches the board, and the figures are printed (not
timed: the benchmark itself is `make bench-broadcast`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_broadcast_benchmark_runs_at_a_small_size(tmp_path: Path) -> None:
    out = tmp_path / "broadcast.md"
    command = [sys.executable, "benchmarks/broadcast.py", "--practitioners", "20"]
    command += ["--think", "0", "--file-at", "0", "--fraction", "0.05", "--limit", "60"]
    done = subprocess.run(
        [*command, "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    figures = out.read_text()
    assert "20 practitioners" in figures
    assert "| recipients without the brief / with it twice | 0 / 0 |" in figures
    assert "| brief rows not marked sent | 0 |" in figures
    assert "| requests delivered (sendMessage + sendDocument) | 20 (1.00 per recipient" in figures
    assert "Problems: 0" in figures

"""The per-step benchmark's script runs end to end for one person a bot and prints its table
(not timed: the benchmark itself is `python benchmarks/steps.py`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_steps_benchmark_measures_every_step_of_both_bots(tmp_path: Path) -> None:
    out = tmp_path / "steps.md"
    done = subprocess.run(
        [sys.executable, "benchmarks/steps.py", "--people", "1", "--warm", "1", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    rows = [line for line in out.read_text().splitlines() if line.startswith("| ")]
    steps = [row for row in rows[1:] if not row.startswith("| |")]  # the header left out
    assert len(steps) == 21
    assert "presses Submit to the board" in steps[-1]
    assert "sends types the description" not in out.read_text()
    whole = rows[-1]
    assert "the whole check" in whole
    triage, anchor = (float(cell) for cell in whole.split("|")[3:5])
    assert triage > 0 and anchor > 0

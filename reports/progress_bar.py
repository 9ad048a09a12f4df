"""A plain text progress bar on a stream (stderr), for long command-line runs.

`Progress(total, stream, enabled)` redraws one line (`\\r`) at most every `interval` seconds and
at the end; when disabled (stderr is not a terminal and `--progress` was not given) it writes
nothing. `tick()` costs a counter increment and a clock read every `CHECK_EVERY` ticks.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

WIDTH = 30
CHECK_EVERY = 256


class Progress:
    """`[#####.....]  45%  4500/10000 referrals` on one line."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        enabled: bool,
        what: str = "referrals",
        interval: float = 0.1,
    ) -> None:
        self.total = max(0, total)
        self.stream = stream
        self.enabled = enabled
        self.what = what
        self.interval = interval
        self.done = 0
        self._last = 0.0
        self._drawn = -1

    def line(self) -> str:
        """The bar as it stands."""
        fraction = 1.0 if self.total == 0 else min(1.0, self.done / self.total)
        filled = round(WIDTH * fraction)
        bar = "#" * filled + "." * (WIDTH - filled)
        return f"[{bar}] {fraction:4.0%} {self.done}/{self.total} {self.what}"

    def tick(self, n: int = 1) -> None:
        """Count `n` more done; redraw if it is time."""
        self.done += n
        if self.enabled and (self.done % CHECK_EVERY == 0 or self.done >= self.total):
            now = time.monotonic()
            if now - self._last >= self.interval or self.done >= self.total:
                self._last = now
                self._draw()

    def _draw(self) -> None:
        self._drawn = self.done
        self.stream.write("\r" + self.line())
        self.stream.flush()

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            if self._drawn != self.done:
                self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

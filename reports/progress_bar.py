"""A plain text progress bar on a stream (stderr), for long command-line runs.

`Progress(total, stream, enabled, what)` counts steps of a few slow parts (the annual report's
parts, read one query or two each) and redraws one line (`\\r`) on each, at most every
`interval` seconds, and at the end; when disabled (stderr is not a terminal and `--progress` was
not given) it writes nothing.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import TextIO

WIDTH = 30


class Progress:
    """`[###.......]  30%  3/10 parts` on one line."""

    def __init__(
        self,
        total: int,
        stream: TextIO,
        enabled: bool,
        what: str = "parts",
        interval: float = 0.1,
    ) -> None:
        self.total = max(0, total)
        self.stream = stream
        self.enabled = enabled
        self.what = what
        self.interval = interval
        self.done = 0
        self._last = float("-inf")  # the first step is drawn at once
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
        if self.enabled:
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

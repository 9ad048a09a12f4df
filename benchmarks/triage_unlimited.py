"""The triage bot as `triage-bot run` runs it, but with python-telegram-bot's flood limiter off.

`build_app` installs `bot.serving.limits.RateLimiter` (python-telegram-bot's `AIORateLimiter`)
with Telegram's published limits (30 messages a second overall, 20 a minute per group), which
is right against Telegram and caps this bot at about 15 updates a second (two chat-bound calls
per answer). The local server enforces no limits, so this variant measures what our own code
costs per update. With BENCH_PROFILE=FILE the run is profiled with cProfile and the statistics
written to FILE when it stops (SIGTERM).
"""

from __future__ import annotations

import cProfile
import os
import sys

import bot.app
from bot.cli import main
from bot.serving.limits import RateLimiter


class NoFloodLimit(RateLimiter):
    """RetryAfter handling as in production, without the rate limits."""

    def __init__(self) -> None:
        super().__init__(overall_max_rate=0, group_max_rate=0)


if __name__ == "__main__":
    bot.app.RateLimiter = NoFloodLimit  # type: ignore[misc]
    profile_to = os.environ.get("BENCH_PROFILE")
    if not profile_to:
        sys.exit(main(["run"]))
    profiler = cProfile.Profile()
    try:
        status = profiler.runcall(main, ["run"])
    finally:
        profiler.dump_stats(profile_to)
    sys.exit(status)

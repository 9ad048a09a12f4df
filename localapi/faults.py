"""Fault injection: failures and slow answers queued per method (and optionally per chat).

A rule applies either to the next `times` matching calls or to every matching call until a
deadline; a rule with a `fraction` below 1 applies to that share of its matching calls only,
drawn from a seeded random generator (a steady trickle of 429s, as under flood control).
`take` consumes the first applicable rule for a call; the server then sleeps for the rule's
delay and answers with its error, or (a pure delay) handles the call normally.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from localapi.models import ApiError

_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


@dataclass
class FaultRule:
    """One queued fault. `status is None` means: delay, then answer normally."""

    method: str
    status: int | None
    delay: float
    remaining: int | None
    until: float | None
    retry_after: int | None
    description: str | None
    chat_id: int | str | None
    fraction: float = 1.0

    def matches(self, method: str, chat_id: Any, now: float) -> bool:
        """Whether this rule applies to a call of `method` for `chat_id` at `now`."""
        if self.until is not None and now >= self.until:
            return False
        if self.method not in ("*", method.lower()):
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def error(self) -> ApiError | None:
        """The error answer of this rule (None for a pure delay)."""
        if self.status is None:
            return None
        if self.status == 429:
            retry = self.retry_after if self.retry_after is not None else 1
            desc = self.description or f"Too Many Requests: retry after {retry}"
            return ApiError(429, desc, {"retry_after": retry})
        desc = self.description or _DESCRIPTIONS.get(self.status) or _phrase(self.status)
        params = {"retry_after": self.retry_after} if self.retry_after is not None else None
        return ApiError(self.status, desc, params)


class FaultBook:
    """The queued fault rules; thread-safe."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = []
        self._random = random.Random(seed)

    def add(
        self,
        method: str,
        *,
        status: int | None,
        delay: float = 0.0,
        times: int | None = 1,
        duration: float | None = None,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | str | None = None,
        fraction: float = 1.0,
    ) -> FaultRule:
        """Queue a rule for the next `times` calls, or for `duration` seconds when given; with
        `fraction` below 1, for that share of the matching calls only."""
        if duration is None and (times is None or times < 1):
            raise ValueError("times must be at least 1 (or give a duration)")
        if not 0.0 < fraction <= 1.0:
            raise ValueError("fraction must be above 0 and at most 1")
        rule = FaultRule(
            method=method.lower(),
            status=status,
            delay=delay,
            remaining=None if duration is not None else times,
            until=None if duration is None else time.monotonic() + duration,
            retry_after=retry_after,
            description=description,
            chat_id=chat_id,
            fraction=fraction,
        )
        with self._lock:
            self._rules.append(rule)
        return rule

    def take(self, method: str, chat_id: Any) -> FaultRule | None:
        """Consume and return the first rule applying to this call, if any."""
        now = time.monotonic()
        with self._lock:
            self._rules = [
                r for r in self._rules if (r.until is None or now < r.until) and r.remaining != 0
            ]
            for rule in self._rules:
                if rule.matches(method, chat_id, now):
                    if rule.fraction < 1.0 and self._random.random() >= rule.fraction:
                        continue
                    if rule.remaining is not None:
                        rule.remaining -= 1
                    return rule
        return None

    def clear(self) -> None:
        """Drop every queued rule."""
        with self._lock:
            self._rules.clear()

    def pending(self) -> int:
        """How many rules are still active."""
        now = time.monotonic()
        with self._lock:
            return sum(
                1 for r in self._rules if (r.until is None or now < r.until) and r.remaining != 0
            )

"""Simulated people: each completes whole conversations against the local Bot API server.

One driver thread plays every user. A user performs a step (types a text or presses a
button, injected straight into the server), waits for the bot's reply that step awaits (the
check's message edited into the next question, a new message after typing or for the
summary, or the redrawn keyboard), thinks for a random while, and performs the next.
Latency per step is the server's own clock: from the moment the update was queued to the
moment the server answered the bot's call that put the awaited reply there.
"""

from __future__ import annotations

import contextlib
import heapq
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from localapi import ThreadedLocalBotAPI
from localapi.models import Call


@dataclass(frozen=True)
class Step:
    """What the user does, and the bot call that answers it (`phrase` in its text, if set)."""

    action: str  # "say" or "press"
    value: str
    method: str  # "sendMessage" or "editMessageText"
    phrase: str | None = None


DESCRIPTION = (
    "Child aged 4 known to services died after a head injury at home; health visitor had "
    "raised concerns twice and school had noticed bruising."
)


def _press(label: str, phrase: str) -> Step:
    """A press answered by the check's message edited into the next question."""
    return Step("press", label, "editMessageText", phrase)


CHECK: tuple[Step, ...] = (
    Step("say", "/start", "sendMessage", "no names"),
    _press("I understand", "immediate risk"),
    _press("No", "good practice"),
    _press("A concern", "abuse or neglect"),
    _press("Known", "died"),
    _press("Yes", "custody"),
    _press("No", "suicide"),
    _press("No", "sexual abuse"),
    _press("No", "domestic homicide"),
    _press("No", "charged with neglect"),
    _press("No", "missing education"),
    _press("No", "child protection plan"),
    _press("Done", "worked together"),
    _press("Cause for concern", "standards"),
    _press("Professional or statutory", "agencies"),
    Step("press", "Health", "editMessageText"),
    Step("press", "Police", "editMessageText"),
    _press("Done", "describe"),
    Step("say", DESCRIPTION, "sendMessage", "case reference"),
    Step("press", "Skip", "sendMessage", "submit"),  # the summary is a new message
    Step("press", "Submit to the board", "editMessageText", "LIR-"),
)

ECHO: tuple[Step, ...] = tuple(
    Step("say", f"echo {n} of a conversation", "sendMessage", f"echo {n} of a conversation")
    for n in range(len(CHECK))
)


@dataclass
class User:
    """One simulated person working through `steps`, `rounds` times."""

    user_id: int
    steps: tuple[Step, ...]
    rounds: int
    index: int = 0
    done_rounds: int = 0
    sent_at: float = 0.0
    waiting: bool = False

    @property
    def step(self) -> Step:
        """The step in hand."""
        return self.steps[self.index]

    def matches(self, call: Call) -> bool:
        """Whether `call` is the bot's answer to the step in hand."""
        step = self.step
        if not self.waiting or call.method != step.method or not call.ok:
            return False
        if call.params.get("chat_id") != self.user_id:
            return False
        return step.phrase is None or step.phrase in str(call.params.get("text", ""))


@dataclass
class Result:
    """What one drive measured."""

    latencies: list[float] = field(default_factory=list)
    updates: int = 0
    started: float = 0.0
    ended: float = 0.0
    errors: list[str] = field(default_factory=list)
    timed_out: int = 0

    @property
    def seconds(self) -> float:
        """Wall time from the first update to the last awaited reply."""
        return self.ended - self.started


def drive(
    api: ThreadedLocalBotAPI,
    users: list[User],
    think: tuple[float, float] | None,
    limit_seconds: float,
    seed: int = 7,
    on_tick: Callable[[], None] | None = None,
) -> Result:
    """Play every user to the end (or until `limit_seconds`); `think` None is closed loop."""
    rng = random.Random(seed)
    by_id = {u.user_id: u for u in users}
    result = Result(started=time.monotonic())
    heap: list[tuple[float, int]] = []
    for u in users:  # the first steps spread over one think time, not all at once
        offset = rng.uniform(*think) if think else 0.0
        heapq.heappush(heap, (result.started + offset, u.user_id))
    cursor = api.mark()
    finished = 0
    deadline = result.started + limit_seconds
    next_tick = result.started
    while finished < len(users) and time.monotonic() < deadline:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, uid = heapq.heappop(heap)
            user = by_id[uid]
            try:
                _act(api, user)
            except Exception as exc:  # a reply went missing: count it, give the user up
                result.errors.append(f"user {uid} step {user.index}: {exc!r}")
                finished += 1
                continue
            user.sent_at = time.monotonic()
            user.waiting = True
            result.updates += 1
        calls = api.calls(since=cursor)
        if calls:
            cursor = calls[-1].seq
        for call in calls:
            chat = call.params.get("chat_id")
            answered = by_id.get(chat) if isinstance(chat, int) else None
            if answered is None or not answered.matches(call):
                continue
            user = answered
            result.latencies.append(call.at - user.sent_at)
            result.ended = max(result.ended, call.at)
            user.waiting = False
            user.index += 1
            if user.index == len(user.steps):
                user.index = 0
                user.done_rounds += 1
                if user.done_rounds == user.rounds:
                    finished += 1
                    continue
            pause = rng.uniform(*think) if think else 0.0
            heapq.heappush(heap, (call.at + pause, user.user_id))
        if on_tick is not None and now >= next_tick:
            on_tick()
            next_tick = now + 0.5
        wait = min(0.02, max(0.0, heap[0][0] - time.monotonic())) if heap else 0.02
        seen = api.seq
        with contextlib.suppress(TimeoutError):
            api.wait_for(lambda s=seen: api.seq != s or None, wait)  # type: ignore[misc]
    result.timed_out = sum(1 for u in users if u.waiting)
    if not result.ended:
        result.ended = time.monotonic()
    return result


def _act(api: ThreadedLocalBotAPI, user: User) -> None:
    step = user.step
    if step.action == "say":
        api.send_text(user.user_id, step.value)
    else:
        api.press_button(user.user_id, user.user_id, step.value)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`, in the same unit."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# The same steps against the minimal button bot (benchmarks/echo_bot.py --buttons): a press
# is answered by its message edited into the next question, a text by one new message.
BUTTONS: tuple[Step, ...] = tuple(
    Step(s.action, s.value, "editMessageText" if s.action == "press" else "sendMessage", "next")
    for s in CHECK
)

"""What the outbox dispatcher of one application remembers between runs (held in its services,
`Services.dispatch`): the lock one run holds, flood control's pause and the burst after it, the
kicks that arrived during a run, messages sent but not yet recorded, and the file ids of
documents uploaded."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass
class DispatchState:
    """The dispatcher's memory between runs (one per application)."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one run at a time
    paused_until: float = 0.0  # time.monotonic(); set by Telegram's RetryAfter
    again: bool = False  # a kick arrived during a run: look for due rows once more
    queued: bool = False  # a kick arrived during a batch: read the due rows again, urgent first
    burst: int = 0  # sends after a pause that may go several at once (`bot.delivery.flight`)
    wake_at: float = 0.0  # time.monotonic() of the retry run already scheduled
    unrecorded: dict[int, int | None] = field(default_factory=dict)  # row id -> message id
    documents: dict[str, str] = field(default_factory=dict)  # content -> Telegram's file id

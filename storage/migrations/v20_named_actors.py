"""Step 20: The first name each person last gave is found by key, not by reading every event
they ever made: an index of the events that carry a name, by actor and event id (so the last
one is the index's last entry for that actor). It changes nothing that is stored."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    "CREATE INDEX events_named_actor ON events (actor, id) WHERE actor_name IS NOT NULL",
)

"""Timestamps as stored: timezone-aware datetimes in, fixed-width ISO-8601 UTC text out.

One fixed width (microseconds, `+00:00`) keeps the text order equal to the time order, so SQL can
compare stored times as strings.
"""

from __future__ import annotations

import datetime as dt


def to_iso(moment: dt.datetime) -> str:
    """Store `moment` (timezone-aware) as ISO-8601 text in UTC; a naive datetime is an error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"storage needs timezone-aware datetimes, got naive {moment!r}")
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> dt.datetime:
    """Read a stored timestamp back as a timezone-aware UTC datetime."""
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


def from_iso_or_none(text: str | None) -> dt.datetime | None:
    """`from_iso`, passing None through (for times not yet reached, such as `used_at`)."""
    return None if text is None else from_iso(text)

"""The reference format of a referral, `LIR-YYYY-NNNN`: the one definition, made and recognised.

The number is zero-padded to four digits and may grow past them (`LIR-2026-12345`). Storage
allocates references (`storage.referrals`); the bot checks a typed one with `is_reference` and
builds its callback-data patterns from `REF_PATTERN`.
"""

from __future__ import annotations

import re

PREFIX = "LIR"
# A reference inside a larger pattern (no anchors, upper case as stored).
REF_PATTERN = rf"{PREFIX}-\d{{4}}-\d{{4,}}"
REF_RE = re.compile(rf"^{REF_PATTERN}$", re.IGNORECASE)
EXAMPLE = f"{PREFIX}-2026-0001"


def format_ref(year: int, seq: int) -> str:
    """`LIR-YYYY-NNNN` (the number zero-padded to four digits)."""
    return f"{PREFIX}-{year:04d}-{seq:04d}"


def is_reference(text: str) -> bool:
    """Whether `text` has the form of a reference (any case; whether it exists is not asked)."""
    return REF_RE.match(text) is not None

"""Free text made inert in Markdown (the ToR and the annual report's Markdown versions)."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def md_escape(text: object) -> str:
    """One line, with Markdown's special characters backslash-escaped (table pipes too)."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", flat)

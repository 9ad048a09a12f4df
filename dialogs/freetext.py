"""Cleaning of typed free text before it is checked, redacted and kept.

Removes what a person cannot see but software can trip over: control characters, zero-width
and bidirectional formatting characters (which can also hide an identifier from the privacy
guard), private-use and surrogate code points. Line breaks are kept where a text may have them.
"""

from __future__ import annotations

import re
import unicodedata

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
_LINE_BREAKS = frozenset({"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"})
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(text: str, *, multiline: bool) -> str:
    """The visible text: NFC, no invisible or control characters, spaces tidied, stripped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    kept: list[str] = []
    for ch in text:
        if ch in _LINE_BREAKS:
            kept.append("\n" if multiline else " ")
        elif ch == "\t":
            kept.append(" ")
        elif unicodedata.category(ch) in _DROPPED_CATEGORIES:
            continue
        else:
            kept.append(ch)
    lines = [_SPACES.sub(" ", line).strip() for line in "".join(kept).split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

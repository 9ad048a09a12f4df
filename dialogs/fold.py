"""One form for the many ways the same characters can be typed, for matching identifiers.

A phone keyboard, a copy from a letter or a spreadsheet gives the same number in many forms:
fullwidth digits (`０７７００`), a non-breaking or thin space, an en dash, a middle dot.
`fold(text)` gives a `Folded` view in which each of those is one plain character, so the
privacy guard's patterns are written once, for ASCII:

- NFKC per character (fullwidth and mathematical digits and letters, `＋`, `＠`, ligatures);
- every decimal digit of any script as its ASCII digit;
- every Unicode space separator (Zs), tab and line break as a space (an identifier split across
  lines is still one identifier);
- every dash (Pd, and the minus signs) as `-`; dot-like marks as `.`; slash-like marks as `/`;
- invisible characters (format, control, combining marks, private use) as nothing.

The view keeps, for every folded character, the index of the character it came from, so a
match in the view maps back to the span of the text as typed (`Folded.span`), and only that
span is replaced: the rest of what the person typed is kept as they typed it.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

_SPACES = frozenset("\t\n\r\x0b\x0c\x85\u2028\u2029")
_DASHES = frozenset("\u2212\u2043\u02d7\ufe63\uff0d\u2796")
_DOTS = frozenset("\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff65\u3002\u2e31")
_SLASHES = frozenset("\u2044\u2215\uff0f\u29f8")
_INVISIBLE = frozenset({"Cc", "Cf", "Co", "Cs", "Mn", "Me"})


@functools.lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character in the folded form: one or more plain characters, or none."""
    if ch in _SPACES:
        return " "
    category = unicodedata.category(ch)
    if category == "Zs":
        return " "
    if category == "Pd" or ch in _DASHES:
        return "-"
    if ch in _DOTS:
        return "."
    if ch in _SLASHES:
        return "/"
    if category in _INVISIBLE:
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    normal = unicodedata.normalize("NFKC", ch)
    if normal == ch:
        return ch
    return "".join(fold_char(c) for c in normal)


@dataclass(frozen=True, slots=True)
class Folded:
    """`text` folded, with `sources[i]` the index in `original` that `text[i]` came from."""

    original: str
    text: str
    sources: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of `original` that folded `text[start:end]` came from (end > start), with
        any invisible characters right after it (a combining mark belongs to its digit)."""
        first = self.sources[start]
        last = self.sources[end - 1] + 1
        while last < len(self.original) and fold_char(self.original[last]) == "":
            last += 1
        return first, last


def fold(text: str) -> Folded:
    """The folded view of `text` (see the module docstring)."""
    chars: list[str] = []
    sources: list[int] = []
    for index, ch in enumerate(text):
        folded = fold_char(ch)
        chars.append(folded)
        sources.extend([index] * len(folded))
    return Folded(text, "".join(chars), tuple(sources))

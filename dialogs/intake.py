"""The one way in for free text: clean it, refuse it when too long, redact it, say what went.

Every text a person types (a description, a case reference, a reason, a question, an answer,
a note, a plan's free answers, later findings, actions and brief sections) enters through
`accept(text, limit=..., multiline=...)`, and nothing stores free text any other way:

1. **clean**: NFC, no control, zero-width, bidirectional-format, private-use or surrogate
   characters (they can hide an identifier from the privacy guard), spaces tidied;
2. **refuse, never cut**: longer than `limit` (counted as Telegram counts, in UTF-16 code
   units) or empty raises `Refused`, and the caller asks again; cutting first and redacting
   after could keep half an identifier;
3. **redact** (`dialogs.redact`): identifiers replaced by `[REDACTED]`, matched on a folded
   view of the text (`dialogs.fold`: NFKC, any digits as ASCII, every Unicode space, dash and
   dot as one separator), while the text stored stays as cleaned here, not folded. Names are
   never recognised: the person is asked to leave them out;
4. **tell**: `Accepted.removed` names the kinds removed, so the person can be told.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dialogs.redact import redact

_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
_LINE_BREAKS = frozenset({"\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85"})
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True, slots=True)
class Accepted:
    """A typed text as it may be stored: cleaned and redacted, with the kinds removed."""

    text: str
    removed: tuple[str, ...] = ()


class Refused(ValueError):
    """The text cannot be taken as it is: `reason` is "empty" or "too_long" (then `length`
    and `limit`, in Telegram's UTF-16 units, say by how much)."""

    def __init__(self, reason: str, *, length: int = 0, limit: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.length = length
        self.limit = limit


def telegram_length(text: str) -> int:
    """The length of `text` as Telegram counts it: UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


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


def accept(text: str, *, limit: int, multiline: bool = False) -> Accepted:
    """Clean, check and redact one typed text; `Refused` when it is empty or too long."""
    cleaned = clean(text, multiline=multiline)
    if not cleaned:
        raise Refused("empty", limit=limit)
    length = telegram_length(cleaned)
    if length > limit:
        raise Refused("too_long", length=length, limit=limit)
    redaction = redact(cleaned)
    return Accepted(redaction.text, tuple(redaction.kinds))

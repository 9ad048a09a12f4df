"""Hypothesis strategies for synthetic identifiers as people really type them, for the intake
property tests: valid NHS numbers (mod-11), UK phone numbers from Ofcom's drama ranges,
postcodes, e-mail addresses and dates, rendered with every space, dash, dot and digit form a
phone keyboard or a pasted letter gives, padded with invisible characters, and the safe text
around them (with near-misses that must survive)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

# Between groups of digits: nothing, ASCII, non-breaking, thin, narrow no-break, figure and
# ideographic spaces, a line break, hyphen, non-breaking hyphen, en and em dash, minus, dots.
SEPARATORS = [
    "",
    " ",
    "\u00a0",
    "\u2009",
    "\u202f",
    "\u2007",
    "\u3000",
    "\n",
    "-",
    "\u2011",
    "\u2013",
    "\u2014",
    "\u2212",
    ".",
    "\u00b7",
    " - ",
    " \u2013 ",
    "\u00a0\u2013\u00a0",
]
NONEMPTY_SEPARATORS = [s for s in SEPARATORS if s]
# Zero-width space, joiner and non-joiner, word joiner, BOM, soft hyphen, bidi marks and
# embeddings: all invisible, all able to hide an identifier from a plain pattern.
INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202c",
    "\u202e",
    "\u2066",
    "\u2069",
]
FULLWIDTH_OFFSET = 0xFF10 - ord("0")

# Words around an identifier: plain, accented, emoji, markup characters, and near-misses that
# must be kept as they are.
WORDS = [
    "the",
    "child",
    "seen",
    "by",
    "school",
    "nurse",
    "café",
    "naïve",
    "👶",
    "😟",
    "Q&A",
    "<b>",
    "a<b",
    "R&D",
    "“quoted”",
]
NEAR_MISSES = [
    "LIR-2026-0001",
    "Year 6",
    "ward 12",
    "at 10:30",
    "£1,250",
    "section 47",
    "version 3.1",
    "9434765918",
    "March 2015",
]
LEFT = [" ", "\n", " (", ": ", " “", "\n\n"]
RIGHT = [" ", "\n", ")", ". ", ", ", "”", "\n\n"]


@dataclass(frozen=True)
class Identifier:
    """One identifier: its kind, how it was typed (`typed`, with any label), what it is
    (`secret`: its digits, or the address or postcode), and the label kept before it."""

    kind: str
    typed: str
    secret: str
    label: str = ""  # kept before the placeholder (a "DOB " label)


def _digit(ch: str, wide: bool) -> str:
    return chr(ord(ch) + FULLWIDTH_OFFSET) if wide and ch.isdigit() else ch


def _widen(text: str, wide: list[bool]) -> str:
    return "".join(_digit(ch, wide[i % len(wide)]) for i, ch in enumerate(text))


def _fullwidth_letter(ch: str) -> str:
    return chr(ord(ch) - ord("A") + 0xFF21) if "A" <= ch <= "Z" else ch


@st.composite
def _padded(draw: st.DrawFn, text: str) -> str:
    """`text` with invisible characters slipped in between its characters."""
    if len(text) < 2 or not draw(st.booleans()):
        return text
    positions = draw(st.lists(st.integers(1, len(text) - 1), max_size=4))
    chars = list(text)
    for position in sorted(positions, reverse=True):
        chars.insert(position, draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


def _valid_nhs(first_nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else first_nine + str(check)


def _joined(draw: st.DrawFn, groups: list[str]) -> str:
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in groups[1:]]
    return groups[0] + "".join(sep + group for sep, group in zip(seps, groups[1:], strict=True))


@st.composite
def nhs_numbers(draw: st.DrawFn) -> Identifier:
    """A valid NHS number, 3-3-4, 4-3-3 or ungrouped, any separators, any digit forms."""
    nine = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    number = _valid_nhs(nine) or "9434765919"
    grouping = draw(st.sampled_from([(3, 3, 4), (4, 3, 3), (10,)]))
    groups, at = [], 0
    for size in grouping:
        groups.append(number[at : at + size])
        at += size
    wide = draw(st.lists(st.booleans(), min_size=1, max_size=10))
    typed = _widen(_joined(draw, groups), wide)
    return Identifier("NHS number", draw(_padded(typed)), number)


PHONE_FORMS = [
    # (national digits after the 0, grouping of the national number with its 0)
    ("7700900{:03d}", (5, 6)),
    ("7700900{:03d}", (5, 3, 3)),
    ("7700900{:03d}", (4, 3, 4)),
    ("207946{:04d}", (3, 4, 4)),
    ("1134960{:03d}", (4, 3, 4)),
    ("1632960{:03d}", (5, 6)),
]


@st.composite
def phone_numbers(draw: st.DrawFn) -> Identifier:
    """A UK number from Ofcom's drama ranges: 0…, +44, 0044, 44 or +44 (0), any separators."""
    pattern, grouping = draw(st.sampled_from(PHONE_FORMS))
    national = pattern.format(draw(st.integers(0, 999)))
    digits = "0" + national
    groups, at = [], 0
    for size in grouping:
        groups.append(digits[at : at + size])
        at += size
    prefix = draw(st.sampled_from(["0", "+44", "0044", "44", "+44 (0)", "(0"]))
    if prefix == "(0":
        groups[0] = f"({groups[0]})"
    elif prefix != "0":
        groups[0] = groups[0][1:]
        sep = draw(st.sampled_from(NONEMPTY_SEPARATORS if prefix == "44" else SEPARATORS))
        groups[0] = prefix + sep + groups[0]
    wide = draw(st.lists(st.booleans(), min_size=1, max_size=10))
    typed = _widen(_joined(draw, groups), wide)
    if draw(st.booleans()):
        typed = typed.replace("+", "\uff0b")
    return Identifier("phone number", draw(_padded(typed)), national)


_AREA = "ABCDEFGHIJKLMNOPRSTUWYZ"
_DISTRICT_LETTER = "ABCDEFGHKLMNOPQRSTUVWXY"
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


@st.composite
def postcodes(draw: st.DrawFn) -> Identifier:
    """A postcode of any valid shape, any case, spaced, hyphenated or not, maybe fullwidth."""
    area = draw(st.sampled_from(_AREA))
    second = draw(st.sampled_from(["", *_DISTRICT_LETTER]))
    district = str(draw(st.integers(1, 99 if draw(st.booleans()) else 9)))
    outward = area + second + district
    inward = str(draw(st.integers(0, 9))) + "".join(
        draw(st.lists(st.sampled_from(_INWARD), min_size=2, max_size=2))
    )
    sep = draw(st.sampled_from(["", " ", "\u00a0", "\u2009", "-", "\u2013", "\u3000"]))
    code = outward + sep + inward
    case = draw(st.sampled_from(["upper", "lower", "fullwidth"]))
    if case == "lower":
        code = code.lower()
    elif case == "fullwidth":
        code = "".join(_fullwidth_letter(ch) for ch in _widen(code, [True]))
    return Identifier("postcode", draw(_padded(code)), outward + inward)


_LOCAL = "abcdefghijklmnopqrstuvwxyz0123456789éüñøçå"
_LABEL = "abcdefghijklmnopqrstuvwxyzäöüéпример"


@st.composite
def emails(draw: st.DrawFn) -> Identifier:
    """An address with ASCII or accented local part and domain (any script), maybe `＠`."""
    words = draw(st.lists(st.text(alphabet=_LOCAL, min_size=1, max_size=8), min_size=1, max_size=3))
    local = draw(st.sampled_from([".", "_", "+", "-"])).join(words)
    labels = draw(
        st.lists(st.text(alphabet=_LABEL, min_size=2, max_size=8), min_size=1, max_size=2)
    )
    tld = draw(st.sampled_from(["com", "org", "co.uk", "nhs.uk", "de", "рф"]))
    address = f"{local}@{'.'.join(labels)}.{tld}"
    typed = address.replace("@", "\uff20") if draw(st.booleans()) else address
    return Identifier("email address", draw(_padded(typed)), address)


_MONTH_NAMES = [
    "January",
    "Feb",
    "March",
    "Apr",
    "may",
    "June",
    "Jul",
    "Aug.",
    "Sept",
    "Oct",
    "NOV",
    "December",
]


@st.composite
def dates(draw: st.DrawFn) -> Identifier:
    """A full date in a numeric, ISO or worded form (or a labelled day and month), any
    separators and digit forms."""
    day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)))
    d, m, y = day.day, day.month, day.year
    sep = draw(st.sampled_from(["/", ".", "-", "\u2013", "\u2011"]))
    space = draw(st.sampled_from([" ", "\u00a0", "\u2009", "\u202f"]))
    month = _MONTH_NAMES[m - 1]
    forms = [
        ("", f"{d:02d}{sep}{m:02d}{sep}{y}"),
        ("", f"{d}{sep}{m}{sep}{y}"),
        ("", f"{d:02d}{sep}{m:02d}{sep}{y % 100:02d}"),
        ("", f"{y}-{m:02d}-{d:02d}"),
        ("", f"{d:02d}{space}{m:02d}{space}{y}"),
        ("", f"{d}{space}{month}{space}{y}"),
        ("", f"{d}th of {month} {y}"),
        ("", f"{month}{space}{d}, {y}"),
        ("DOB ", f"{d:02d}{space}{m:02d}{space}{y % 100:02d}"),
        ("dob: ", f"{d:02d}{space}{m:02d}{space}{y}"),
        ("born ", f"{d}{space}{month.rstrip('.')}"),
        ("date of birth ", f"{d:02d}{sep}{m:02d}"),
    ]
    label, text = draw(st.sampled_from(forms))
    wide = draw(st.lists(st.booleans(), min_size=1, max_size=8))
    typed = _widen(text, wide)
    return Identifier("date of birth", label + draw(_padded(typed)), text, label)


IDENTIFIERS = st.one_of(nhs_numbers(), phone_numbers(), postcodes(), emails(), dates())


@st.composite
def surroundings(draw: st.DrawFn) -> str:
    """Safe words and near-misses (each with a word either side, so two near-misses never
    make a date between them), sometimes long, sometimes over several lines."""
    near_miss = st.sampled_from(NEAR_MISSES).map(lambda text: f"{text} seen")
    tokens = draw(st.lists(st.one_of(st.sampled_from(WORDS), near_miss), max_size=12))
    glue = draw(st.sampled_from([" ", "\n", " \n "]))
    text = glue.join(["the", *tokens, "child"])
    if draw(st.booleans()):
        text = "lorem ipsum " * draw(st.integers(0, 70)) + text
    return text

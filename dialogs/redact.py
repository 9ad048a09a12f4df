"""The privacy guard: identifiers removed from free text before anything is stored or logged.

`redact(text)` replaces NHS numbers (10 digits passing the mod-11 check, grouped 3-3-4, 4-3-3
or any other way), UK postcodes, UK phone numbers (national, `+44`, `0044` or `44`), e-mail
addresses (any script) and dates (any full date may be a date of birth, so every one is
removed; after "DOB", "date of birth" or "born", a day and month too, in any form) with
`[REDACTED]`, and reports which kinds it removed so the practitioner can be told. Near-misses
are left alone: a 10-digit number failing the check digit, references such as `LIR-2026-0001`,
"Year 6", "ward 12", times, money, section numbers, a month on its own.

Matching runs on the folded view of the text (`dialogs.fold`: NFKC, every digit as ASCII,
every Unicode space, dash and dot as one plain separator, invisible characters gone), so
`９４３ ４７６–５９１９` or an NHS number with thin spaces is the same as `943 476 5919`. Only
the identifier's own span of the text as typed is replaced: the text stored is the person's
own (as `dialogs.intake.clean` left it), not the folded one.

Names, addresses in words, schools and other descriptions are NOT recognised: no pattern can
tell a name from a word, so the practitioner is asked to leave them out (the privacy notice,
the first question of the check and the README say so).

Rules run in a fixed order over the text as already redacted (e-mail, international phone,
NHS number standing alone, dates, NHS number beside other numbers, national phone, postcode),
so one identifier is reported once under its most specific kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dialogs.fold import Folded, fold

PLACEHOLDER = "[REDACTED]"

NHS_NUMBER = "NHS number"
POSTCODE = "postcode"
PHONE_NUMBER = "phone number"
EMAIL_ADDRESS = "email address"
DATE_OF_BIRTH = "date of birth"

KINDS: tuple[str, ...] = (NHS_NUMBER, POSTCODE, PHONE_NUMBER, EMAIL_ADDRESS, DATE_OF_BIRTH)


@dataclass(frozen=True, slots=True)
class Redaction:
    """The text with identifiers replaced, and the kinds removed (sorted, each once)."""

    text: str
    kinds: tuple[str, ...]

    @property
    def changed(self) -> bool:
        """Whether anything was removed."""
        return bool(self.kinds)


# The patterns read the folded view: ASCII digits, one space for any space or line break,
# "-" for any dash, "." for any dot.

EMAIL_RE = re.compile(
    r"(?<![\w.+'-])[^\W_](?:[\w.%+'-]*[\w%+-])?"
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}(?![\w-])"
)

_GAP = r"(?: {1,3}| {0,2}[-.] {0,2})"  # between groups of digits: spaces, or a dash or dot
_PHONE_GAP = rf"(?:\)?{_GAP}?)"  # in a phone number, also after "(020)"
_NATIONAL = rf"[1-9](?:{_PHONE_GAP}\d){{8,9}}(?!\d)"  # the number after the 0 or the 44

PHONE_INTL_RE = re.compile(
    rf"(?<![\w+])(?:(?:\+ ?|00 ?)44{_GAP}?|44{_GAP})(?:\(0\){_GAP}?)?{_NATIONAL}"
    r"|(?<![\w+])44[1-9]\d{9}(?!\d)"
)
PHONE_RE = re.compile(rf"(?<![\w+])(?:\((?=0\d{{2,4}}\)))?0{_NATIONAL}")  # "(020) ..." whole

# Ten digits in the usual groups, 3-3-4 or 4-3-3, any separators: first as a whole run of
# digits (no other digits beside it), last also beside other numbers ("ward 12 943 476 5919").
_NHS_3_3_4 = rf"\d{{3}}{_GAP}?\d{{3}}{_GAP}?\d{{4}}"
_NHS_4_3_3 = rf"\d{{4}}{_GAP}?\d{{3}}{_GAP}?\d{{3}}"
_ALONE_BEFORE = r"(?<!\d)(?<!\d[ .-])(?<!\d {2})"
_ALONE_AFTER = rf"(?!{_GAP}?\d)"
NHS_RE = re.compile(rf"{_ALONE_BEFORE}(?:{_NHS_3_3_4}|{_NHS_4_3_3}){_ALONE_AFTER}")
NHS_BESIDE_RE = re.compile(rf"(?<!\d){_NHS_3_3_4}(?!\d)")
NHS_4_3_3_BESIDE_RE = re.compile(rf"(?<!\d){_NHS_4_3_3}(?!\d)")
# ... or grouped any other way, when the run of digits is exactly ten long.
NHS_ANY_RE = re.compile(r"(?<!\d)(?<!\d[ .-])\d(?:[ .-]?\d){9}(?![ .-]?\d)")

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORD = r"(?:st|nd|rd|th)?"
_WORD_SEP = r"[ ./-]{1,3}"
_END = r"(?![\w/]|[.-]\d)"

NUMERIC_DATE_RE = re.compile(
    rf"(?<![\w/.:-])(\d{{1,2}}) ?([/.-]) ?(\d{{1,2}}) ?\2 ?(\d{{4}}|\d{{2}}){_END}"
)
SPACED_DATE_RE = re.compile(rf"(?<![\w/.:-])(\d{{1,2}}) (\d{{1,2}}) ((?:19|20)\d{{2}}){_END}")
ISO_DATE_RE = re.compile(
    r"(?<![\w/.-])\d{4} ?([-/.]) ?(?:0?[1-9]|1[0-2]) ?\1 ?(?:0?[1-9]|[12]\d|3[01])" + _END
)
DAY_MONTH_YEAR_RE = re.compile(
    rf"(?<![\w-]){_DAY}{_ORD}(?: of)?{_WORD_SEP}{_MONTHS}\.?,?{_WORD_SEP}"
    rf"(?:\d{{4}}|['’]?\d{{2}})(?!\w)",
    re.IGNORECASE,
)
MONTH_DAY_YEAR_RE = re.compile(
    rf"(?<![\w-]){_MONTHS}\.?{_WORD_SEP}{_DAY}{_ORD},?{_WORD_SEP}\d{{4}}(?!\w)", re.IGNORECASE
)
# After a birth-date label, any day and month (with or without a year): the label is kept.
LABELLED_DATE_RE = re.compile(
    r"(?P<label>\b(?:d\.? ?o\.? ?b\.?|date of birth|birth ?date|born(?: on| in)?)[ :=-]{1,4})"
    r"(?P<value>"
    rf"{_DAY}{_ORD}(?: of)?{_WORD_SEP}{_MONTHS}"
    rf"|{_MONTHS}\.?{_WORD_SEP}{_DAY}{_ORD}"
    rf"|{_DAY} ?[ /.-] ?{_DAY}(?: ?[ /.-] ?\d{{2}}(?:\d{{2}})?)?"
    r"|\d{4} ?[ /.-] ?\d{1,2} ?[ /.-] ?\d{1,2}"
    r"|\d{8}|\d{6}"
    r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)

_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
POSTCODE_RE = re.compile(
    rf"(?<![\w-])(?:{_OUTWARD}(?: {{1,3}}| ?- ?)?[0-9][ABD-HJLNP-UW-Z]{{2}}|GIR ?0AA)(?![\w-])",
    re.IGNORECASE,
)


def nhs_check_digit_ok(digits: str) -> bool:
    """Whether 10 digits carry a valid NHS mod-11 check digit (weights 10..2)."""
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs(match: re.Match[str]) -> bool:
    return nhs_check_digit_ok(re.sub(r"\D", "", match.group(0)))


def _day_month(first: str, second: str) -> bool:
    a, b = int(first), int(second)
    return (1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31)


def _numeric_date(match: re.Match[str]) -> bool:
    return _day_month(match.group(1), match.group(3))


def _spaced_date(match: re.Match[str]) -> bool:
    return _day_month(match.group(1), match.group(2))


def _always(match: re.Match[str]) -> bool:
    return True


_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]]

RULES: tuple[_Rule, ...] = (
    (EMAIL_ADDRESS, EMAIL_RE, _always),
    (PHONE_NUMBER, PHONE_INTL_RE, _always),
    (NHS_NUMBER, NHS_RE, _nhs),
    (DATE_OF_BIRTH, ISO_DATE_RE, _always),
    (DATE_OF_BIRTH, NUMERIC_DATE_RE, _numeric_date),
    (DATE_OF_BIRTH, SPACED_DATE_RE, _spaced_date),
    (DATE_OF_BIRTH, MONTH_DAY_YEAR_RE, _always),
    (DATE_OF_BIRTH, DAY_MONTH_YEAR_RE, _always),
    (DATE_OF_BIRTH, LABELLED_DATE_RE, _always),
    (NHS_NUMBER, NHS_ANY_RE, _nhs),
    (NHS_NUMBER, NHS_BESIDE_RE, _nhs),
    (NHS_NUMBER, NHS_4_3_3_BESIDE_RE, _nhs),
    (PHONE_NUMBER, PHONE_RE, _always),
    (POSTCODE, POSTCODE_RE, _always),
)


def _apply(rule: _Rule, view: Folded, found: set[str]) -> str:
    """The text of `view` with every accepted match of one rule replaced. A match refused (a
    failed check digit) is looked past by one character, not by its length, so an identifier
    overlapping it is still found."""
    kind, pattern, accept = rule
    text = view.original
    value = "value" if "value" in pattern.groupindex else 0
    pieces: list[str] = []
    done = at = 0
    while (match := pattern.search(view.text, at)) is not None:
        if not accept(match):
            at = match.start() + 1
            continue
        start, end = view.span(match.start(value), match.end(value))
        pieces += [text[done:start], PLACEHOLDER]
        done, at = end, max(match.end(), match.start() + 1)
        found.add(kind)
    return "".join(pieces) + text[done:] if pieces else text


def redact(text: str) -> Redaction:
    """Replace every identifier found in `text` with `[REDACTED]`; report the kinds removed."""
    found: set[str] = set()
    view = fold(text)
    for rule in RULES:
        redacted = _apply(rule, view, found)
        if redacted is not view.original:
            view = fold(redacted)
    return Redaction(view.original, tuple(sorted(found)))

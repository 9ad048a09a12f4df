"""The privacy guard: identifiers removed from free text before anything is stored or logged.

`redact(text)` replaces NHS numbers (10 digits passing the mod-11 check), UK postcodes, UK phone
numbers, e-mail addresses and dates (any full date may be a date of birth, so every one is
removed; a day and month after "DOB" or "born" too) with `[REDACTED]`, and reports which kinds it
removed so the practitioner can be told. Near-misses are left alone: a 10-digit number failing
the check digit, references such as `LIR-2026-0001`, "Year 6", "ward 12", times, money, section
numbers, a month on its own.

Patterns run in a fixed order (e-mail, NHS number, phone, date, postcode) over the text as
already redacted, so one identifier is reported once under its most specific kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

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


EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![\w-])"
)

# 3-3-4 digits, the same separator (none, a space or a hyphen) between the groups.
NHS_RE = re.compile(r"(?<![\d])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])")

# 0 then 9 or 10 more digits (or +44 then 9 or 10), single spaces, hyphens or a bracket between.
_SEP = r"(?:[ -]|\) ?)?"
PHONE_RE = re.compile(
    rf"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|\(?0)[1-9](?:{_SEP}\d){{8,9}}(?![\d])"
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_ORD = r"(?:st|nd|rd|th)?"

NUMERIC_DATE_RE = re.compile(
    r"(?<![\w/.:-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/]|[.-]\d)"
)
ISO_DATE_RE = re.compile(
    r"(?<![\w/.-])\d{4}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])(?![\w/]|[.-]\d)"
)
DAY_MONTH_YEAR_RE = re.compile(
    rf"(?<![\w-]){_DAY}{_ORD}(?:\s+of)?[\s-]+{_MONTHS}\.?,?[\s-]+(?:\d{{4}}|\d{{2}})(?![\w])",
    re.IGNORECASE,
)
MONTH_DAY_YEAR_RE = re.compile(
    rf"(?<![\w-]){_MONTHS}\.?\s+{_DAY}{_ORD},?\s+\d{{4}}(?![\w])", re.IGNORECASE
)
# A day and month without a year, when labelled as a birth date: the label is kept.
LABELLED_DATE_RE = re.compile(
    rf"(?P<label>\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)[:\s]\s*)"
    rf"(?:{_DAY}{_ORD}(?:\s+of)?\s+{_MONTHS}|{_MONTHS}\.?\s+{_DAY}{_ORD}|{_DAY}[/.-]{_DAY})"
    r"(?![\w/.-])",
    re.IGNORECASE,
)

_OUTWARD = (
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
)
POSTCODE_RE = re.compile(
    rf"(?<![\w-])(?:{_OUTWARD} ?[0-9][ABD-HJLNP-UW-Z]{{2}}|GIR ?0AA)(?![\w-])", re.IGNORECASE
)


def nhs_check_digit_ok(digits: str) -> bool:
    """Whether 10 digits carry a valid NHS mod-11 check digit (weights 10..2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _nhs(match: re.Match[str]) -> bool:
    return nhs_check_digit_ok(match.group(1) + match.group(3) + match.group(4))


def _numeric_date(match: re.Match[str]) -> bool:
    first, second = int(match.group(1)), int(match.group(3))
    day_month = 1 <= first <= 31 and 1 <= second <= 12
    month_day = 1 <= first <= 12 and 1 <= second <= 31
    return day_month or month_day


def _always(match: re.Match[str]) -> bool:
    return True


_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]]

RULES: tuple[_Rule, ...] = (
    (EMAIL_ADDRESS, EMAIL_RE, _always),
    (NHS_NUMBER, NHS_RE, _nhs),
    (PHONE_NUMBER, PHONE_RE, _always),
    (DATE_OF_BIRTH, ISO_DATE_RE, _always),
    (DATE_OF_BIRTH, NUMERIC_DATE_RE, _numeric_date),
    (DATE_OF_BIRTH, DAY_MONTH_YEAR_RE, _always),
    (DATE_OF_BIRTH, MONTH_DAY_YEAR_RE, _always),
    (DATE_OF_BIRTH, LABELLED_DATE_RE, _always),
    (POSTCODE, POSTCODE_RE, _always),
)


def _apply(rule: _Rule, text: str, found: set[str]) -> str:
    kind, pattern, accept = rule

    def replace(match: re.Match[str]) -> str:
        if not accept(match):
            return match.group(0)
        found.add(kind)
        return (match.groupdict().get("label") or "") + PLACEHOLDER

    return pattern.sub(replace, text)


def redact(text: str) -> Redaction:
    """Replace every identifier found in `text` with `[REDACTED]`; report the kinds removed."""
    found: set[str] = set()
    for rule in RULES:
        text = _apply(rule, text, found)
    return Redaction(text, tuple(sorted(found)))

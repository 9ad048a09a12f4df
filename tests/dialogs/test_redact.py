"""The privacy guard: every identifier kind removed, near-misses left alone, kinds reported."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dialogs import intake
from dialogs.redact import KINDS, PLACEHOLDER, Redaction, nhs_check_digit_ok, redact

NHS = "NHS number"
POSTCODE = "postcode"
PHONE = "phone number"
EMAIL = "email address"
DOB = "date of birth"

# Synthetic identifiers only: 943 476 5919 is the NHS's own published example number; phone
# numbers are from Ofcom's drama ranges; postcodes are well-known public examples.
POSITIVES = [
    (NHS, "NHS no 943 476 5919 given", "NHS no [REDACTED] given"),
    (NHS, "nhs 943-476-5919.", "nhs [REDACTED]."),
    (NHS, "number 9434765919", "number [REDACTED]"),
    (NHS, "(4010232137)", "([REDACTED])"),
    (POSTCODE, "lives at SW1A 1AA now", "lives at [REDACTED] now"),
    (POSTCODE, "M1 1AE", "[REDACTED]"),
    (POSTCODE, "B33 8TH", "[REDACTED]"),
    (POSTCODE, "CR2 6XH", "[REDACTED]"),
    (POSTCODE, "DN55 1PT", "[REDACTED]"),
    (POSTCODE, "postcode ec1a1bb, flat", "postcode [REDACTED], flat"),
    (POSTCODE, "w1a 0ax", "[REDACTED]"),
    (PHONE, "mum on 07700 900123 today", "mum on [REDACTED] today"),
    (PHONE, "07700900123", "[REDACTED]"),
    (PHONE, "07700-900-123", "[REDACTED]"),
    (PHONE, "office 020 7946 0000", "office [REDACTED]"),
    (PHONE, "(020) 7946 0000", "[REDACTED]"),
    (PHONE, "+44 7700 900123", "[REDACTED]"),
    (PHONE, "+447700900123", "[REDACTED]"),
    (PHONE, "+44 (0)20 7946 0000", "[REDACTED]"),
    (PHONE, "01632 960123", "[REDACTED]"),
    (PHONE, "0113 496 0000", "[REDACTED]"),
    (PHONE, "0123456780", "[REDACTED]"),  # 10 digits failing mod-11, but a phone number
    (EMAIL, "write to jo.bloggs@example.org please", "write to [REDACTED] please"),
    (EMAIL, "a.b+tag@mail.example.co.uk.", "[REDACTED]."),
    (EMAIL, "<x_y@example.com>", "<[REDACTED]>"),
    (DOB, "born 12/03/2015", "born [REDACTED]"),
    (DOB, "12-03-2015", "[REDACTED]"),
    (DOB, "12.03.2015", "[REDACTED]"),
    (DOB, "2015-03-12", "[REDACTED]"),
    (DOB, "on 12 March 2015 at", "on [REDACTED] at"),
    (DOB, "12th of March 2015", "[REDACTED]"),
    (DOB, "3 sept 2014", "[REDACTED]"),
    (DOB, "March 12, 2015", "[REDACTED]"),
    (DOB, "Dec 1st 2019", "[REDACTED]"),
    (DOB, "DOB 12/3/15", "DOB [REDACTED]"),
    (DOB, "03/25/2015", "[REDACTED]"),
    (DOB, "DOB: 12 March", "DOB: [REDACTED]"),
    (DOB, "born on 3rd March", "born on [REDACTED]"),
]

NEAR_MISSES = [
    "Referral LIR-2026-0001 was filed",
    "a Year 6 pupil",
    "9434765918",  # one digit off: fails the mod-11 check
    "1234567890",  # check digit would be 10: never valid
    "seen on ward 12",
    "at 10:30 and again at 9.15",
    "a section 47 enquiry",
    "rent arrears of £1,250",
    "in March the family moved",
    "March 2015",
    "aged 12 years",
    "scored 3 out of 10",
    "version 3.1 of the plan",
    "10/30 attendance",
    "the M25 was closed",
    "route 12 to 3pm",
    "room B12",
    "an email address was not given",
    "call 999 at once",
    "12 March",
]


# The forms a phone keyboard or a pasted letter really gives: each must go whole, the words
# around it kept as typed.
NBSP, THIN, NNBSP, EN_DASH, IDEOGRAPHIC = "\u00a0", "\u2009", "\u202f", "\u2013", "\u3000"
# (kind, the words before it, the identifier as typed); " seen" follows each.
REAL_WORLD_FORMS = [
    (NHS, "NHS ", f"943{NBSP}476{NBSP}5919"),
    (NHS, "NHS ", f"943{THIN}476{THIN}5919"),
    (NHS, "NHS ", f"943{NNBSP}476{NNBSP}5919"),
    (NHS, "NHS ", f"943{EN_DASH}476{EN_DASH}5919"),
    (NHS, "NHS ", "943.476.5919"),
    (NHS, "NHS ", "943 476-5919"),
    (NHS, "NHS ", f"943.476{EN_DASH}5919"),
    (NHS, "NHS ", "9434 765 919"),
    (NHS, "NHS ", "９４３ ４７６ ５９１９"),
    (NHS, "NHS ", "9\u200d43 47\u200e6 5919"),
    (NHS, "NHS ", "943\n476\n5919"),
    (NHS, "NHS ", "94 34 76 59 19"),
    (PHONE, "mum ", "0044 7700 900123"),
    (PHONE, "mum ", "44 7700 900123"),
    (PHONE, "mum ", "447700900123"),
    (PHONE, "mum ", "07700.900.123"),
    (PHONE, "mum ", f"07700{NBSP}900123"),
    (PHONE, "mum ", f"+44{NBSP}7700{NBSP}900123"),
    (PHONE, "mum ", "０７７００ ９００１２３"),
    (PHONE, "mum ", "＋４４ ７７００ ９００１２３"),
    (PHONE, "mum ", f"020{EN_DASH}7946{EN_DASH}0000"),
    (PHONE, "mum ", "(07700)-900123"),
    (POSTCODE, "lives at ", "sw1a-1aa"),
    (POSTCODE, "lives at ", f"SW1A{NBSP}1AA"),
    (POSTCODE, "lives at ", f"SW1A{THIN}1AA"),
    (POSTCODE, "lives at ", f"ＳＷ１Ａ{IDEOGRAPHIC}１ＡＡ"),
    (POSTCODE, "lives at ", f"b33{EN_DASH}8th"),
    (EMAIL, "write to ", "jané@example.com"),
    (EMAIL, "write to ", "jo@exämple.co.uk"),
    (EMAIL, "write to ", "мама@пример.рф"),
    (EMAIL, "write to ", "jo.o'neil@example.org"),
    (EMAIL, "write to ", "jo＠example.com"),
    (DOB, "child dob ", "01 02 2015"),
    (DOB, "child DOB ", "1 2 15"),
    (DOB, "child dob: ", "20150201"),
    (DOB, "child born ", "12.3"),
    (DOB, "child dob ", f"01{NBSP}02{NBSP}2015"),
    (DOB, "child on ", "01 02 2015"),
    (DOB, "child on ", f"12{EN_DASH}03{EN_DASH}2015"),
    (DOB, "child on ", "０１/０２/２０１５"),
    (DOB, "child on ", "12-Mar-2015"),
    (DOB, "child on ", "12 Mar. 2015"),
    (DOB, "child on ", "March 12th, 2015"),
    (DOB, "child on ", "2015 / 03 / 12"),
    (DOB, "child born ", "3rd of March"),
]
MORE_NEAR_MISSES = [
    "aged 44 years",
    "in 2015",
    "£1 250 000 in arrears",
    "pages 12–14",
    "from 10.30–11.45",
    "scores 12 03 15",
    "LIR‑2026‑0001",  # non-breaking hyphens
    "Year ６",
    "943 476 5918",  # spaced, failing the check digit
    "94 34 76 59 18",
    "budget 2025-26",
    "section 17(10)",
    "ref 2026/0001",
    "1,234,567,890",
    "December 2019",
]


@pytest.mark.parametrize(("kind", "before", "identifier"), REAL_WORLD_FORMS)
def test_real_world_forms_go_whole(kind: str, before: str, identifier: str) -> None:
    text = f"{before}{identifier} seen"
    expected = Redaction(f"{before}{PLACEHOLDER} seen", (kind,))
    assert redact(text) == expected
    assert intake.accept(text, limit=2000, multiline=True) == intake.Accepted(
        expected.text, expected.kinds
    )


@pytest.mark.parametrize("text", MORE_NEAR_MISSES)
def test_more_near_misses_are_left_alone(text: str) -> None:
    assert redact(text) == Redaction(text, ())


@pytest.mark.parametrize(("kind", "text", "expected"), POSITIVES)
def test_each_kind_is_redacted(kind: str, text: str, expected: str) -> None:
    result = redact(text)
    assert result == Redaction(expected, (kind,))
    assert result.changed


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_left_alone(text: str) -> None:
    assert redact(text) == Redaction(text, ())
    assert not redact(text).changed


def test_several_kinds_in_one_text_are_all_removed_and_reported() -> None:
    text = (
        "Child (DOB 01/02/2016, NHS 943 476 5919) lives at CR2 6XH; "
        "mum's mobile 07700 900123, email mum@example.net. Year 6, ward 12."
    )
    result = redact(text)
    assert result.text == (
        "Child (DOB [REDACTED], NHS [REDACTED]) lives at [REDACTED]; "
        "mum's mobile [REDACTED], email [REDACTED]. Year 6, ward 12."
    )
    assert result.kinds == tuple(sorted(KINDS)) == (NHS, DOB, EMAIL, PHONE, POSTCODE)


def test_kinds_are_reported_once_each() -> None:
    result = redact("07700 900123 or 07700 900456; a@example.com, b@example.com")
    assert result.kinds == (EMAIL, PHONE)
    assert result.text.count(PLACEHOLDER) == 4


def test_an_email_is_not_also_reported_as_a_phone_or_date() -> None:
    assert redact("j.07700900123@example.com").kinds == (EMAIL,)
    assert redact("born.12.03.2015@example.com").kinds == (EMAIL,)


def test_the_check_digit() -> None:
    assert nhs_check_digit_ok("9434765919")
    assert nhs_check_digit_ok("4010232137")
    assert not nhs_check_digit_ok("9434765918")
    assert not nhs_check_digit_ok("1234567890")
    assert not nhs_check_digit_ok("943476591")
    assert not nhs_check_digit_ok("94347659x9")


def _valid_nhs(first_nine: str) -> str | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else first_nine + str(check)


@given(
    digits=st.text(alphabet="0123456789", min_size=9, max_size=9),
    separator=st.sampled_from(["", " ", "-"]),
    before=st.sampled_from(["", "NHS ", "number: ", "(", "child "]),
    after=st.sampled_from(["", ".", " today", ")", ", seen"]),
)
def test_every_valid_nhs_number_is_removed(
    digits: str, separator: str, before: str, after: str
) -> None:
    number = _valid_nhs(digits)
    if number is None:
        number = _valid_nhs("943476591")
    assert number is not None
    formatted = separator.join((number[:3], number[3:6], number[6:]))
    result = redact(f"{before}{formatted}{after}")
    assert result.text == f"{before}{PLACEHOLDER}{after}"
    assert result.kinds == (NHS,)


@given(
    first=st.sampled_from("123456789"),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_ten_digits_failing_the_check_are_kept(first: str, rest: str) -> None:
    number = first + rest
    assume(not nhs_check_digit_ok(number))
    assert redact(f"ref {number} noted") == Redaction(f"ref {number} noted", ())


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once.text).text == once.text

"""Property: whatever form an identifier is typed in, nothing of it survives the one intake.

Valid NHS numbers, UK phone numbers, postcodes, e-mail addresses and dates, rendered with every
space, dash, dot and digit form (fullwidth, non-breaking and thin spaces, en dashes, dots,
mixed separators, line breaks, invisible characters), are embedded in safe text with
near-misses; `dialogs.intake.accept` must replace exactly the identifier, keep everything else
as typed, and name the kind it removed.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from identifier_forms import (
    IDENTIFIERS,
    LEFT,
    NEAR_MISSES,
    RIGHT,
    Identifier,
    surroundings,
)

from dialogs import intake
from dialogs.fold import fold
from dialogs.redact import PLACEHOLDER

LIMIT = 4000  # above the longest text `surroundings` can make (two of ~1 150 characters)
DIGIT_KINDS = ("NHS number", "phone number", "date of birth")


def _residue(text: str) -> str:
    """The folded text with the placeholder and the near-misses (which must stay) taken out."""
    folded = fold(text).text
    for kept in (PLACEHOLDER, *NEAR_MISSES):
        folded = folded.replace(kept, " ")
    return folded


def assert_nothing_survives(identifier: Identifier, stored: str) -> None:
    """No digit of a number or date, no address, no postcode is left in `stored`."""
    residue = _residue(stored)
    if identifier.kind in DIGIT_KINDS:
        # not one digit, in any script, outside the near-misses: so no run of its digits
        assert not re.search(r"\d", residue), (identifier, stored)
    elif identifier.kind == "postcode":
        compact = re.sub(r"[\s-]", "", residue).upper()
        assert identifier.secret.upper() not in compact, (identifier, stored)
    else:
        assert fold(identifier.secret).text.casefold() not in residue.casefold()
        assert "@" not in residue, (identifier, stored)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    identifier=IDENTIFIERS,
    before=surroundings(),
    after=surroundings(),
    left=st.sampled_from(LEFT),
    right=st.sampled_from(RIGHT),
)
def test_no_identifier_survives_the_intake(
    identifier: Identifier, before: str, after: str, left: str, right: str
) -> None:
    typed = f"{before}{left}{identifier.typed}{right}{after}"
    accepted = intake.accept(typed, limit=LIMIT, multiline=True)
    expected = intake.clean(
        f"{before}{left}{identifier.label}{PLACEHOLDER}{right}{after}", multiline=True
    )
    assert accepted.text == expected
    assert accepted.removed == (identifier.kind,)
    assert_nothing_survives(identifier, accepted.text)


@settings(max_examples=150, deadline=None)
@given(identifiers=st.lists(IDENTIFIERS, min_size=2, max_size=5), glue=st.sampled_from(LEFT))
def test_several_identifiers_in_one_text_all_go(identifiers: list[Identifier], glue: str) -> None:
    typed = "Notes" + "".join(f"{glue}{i.typed} and" for i in identifiers)
    accepted = intake.accept(typed, limit=LIMIT, multiline=True)
    assert accepted.removed == tuple(sorted({i.kind for i in identifiers}))
    for identifier in identifiers:
        assert_nothing_survives(identifier, accepted.text)
    assert accepted.text.count(PLACEHOLDER) == len(identifiers)


@settings(max_examples=100, deadline=None)
@given(identifier=IDENTIFIERS, filler=st.integers(1800, 1990))
def test_a_long_text_is_refused_whole_or_redacted_whole(
    identifier: Identifier, filler: int
) -> None:
    """Near the limit an identifier is never cut in half: the text is refused, or taken whole."""
    typed = "x" * filler + " " + identifier.typed
    try:
        accepted = intake.accept(typed, limit=LIMIT, multiline=True)
    except intake.Refused as refused:
        assert refused.reason == "too_long" and refused.length > LIMIT
        return
    assert accepted.removed == (identifier.kind,)
    assert_nothing_survives(identifier, accepted.text)

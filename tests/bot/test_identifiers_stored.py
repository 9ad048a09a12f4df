"""Proof that nothing identifying in a recognised form is stored or shown, whatever form it is
typed in: a practitioner, the chair and an officer type identifiers as a phone keyboard or a
pasted letter gives them (non-breaking and thin spaces, en dashes, dots, fullwidth digits,
`0044`, a hyphenated postcode, an accented e-mail, a spaced date of birth) into every free
text of a referral's life; afterwards every file under the data folder (the database and its
WAL) and every message the chair and the board saw are folded and searched for any of their
digits in sequence, any separators between."""

from __future__ import annotations

import re
from pathlib import Path

from flows import typed_through_every_field
from harness import BOARD, CHAIR, Person, Running, settle

from bot.settings import Settings
from dialogs.fold import fold
from localapi import LocalBotAPI

NBSP, THIN, EN_DASH = "\u00a0", "\u2009", "\u2013"
# What each identifier is (its digits, or its letters) and how it is typed.
NUMBERS = {
    "9434765919": f"943{NBSP}476{EN_DASH}5919",  # NHS number, the NHS's published example
    "4010232137": "４０１ ０２３ ２１３７",  # NHS number, fullwidth
    "7700900123": f"0044{THIN}7700{THIN}900123",  # Ofcom drama mobile
    "2079460991": "020.7946.0991",  # Ofcom drama London number
    "7700900456": "07700\u2011900\u2011456",  # non-breaking hyphens
    "01022015": f"01{NBSP}02{NBSP}2015",  # after "dob"
}
WORDS = {
    "SW1A1AA": "sw1a-1aa",
    "E16AN": f"E1{NBSP}6AN",
    "jané@example.org": "jané@example.org",
}
DESCRIPTION = (
    f"Child (dob {NUMBERS['01022015']}) living at {WORDS['SW1A1AA']} died after a head injury; "
    f"NHS {NUMBERS['9434765919']}, mother on {NUMBERS['7700900123']} or "
    f"{WORDS['jané@example.org']}."
)


def digits_in_sequence(digits: str) -> re.Pattern[str]:
    """Every digit of `digits` in order, up to three other characters between each."""
    return re.compile(r"\D{0,3}".join(digits))


def leaks(content: str) -> list[str]:
    """The identifiers found in `content`, in any form (it is folded first)."""
    folded = fold(content).text
    compact = re.sub(r"[\s\-.]", "", folded).casefold()
    found = [d for d in NUMBERS if digits_in_sequence(d).search(folded)]
    return found + [w for w in WORDS if w.casefold() in compact]


async def test_no_identifier_typed_in_any_form_is_stored_or_shown(
    api: LocalBotAPI,
    running: Running,
    settings: Settings,
    pat: Person,
    chair: Person,
    board: Person,
    tmp_path: Path,
) -> None:
    ref, card = await typed_through_every_field(
        api,
        pat,
        chair,
        settings,
        description=DESCRIPTION,
        reference=f"{WORDS['E16AN']} {NUMBERS['2079460991']}",
        question=f"Is {NUMBERS['4010232137']} the right NHS number?",
        answer=f"Yes; carer on {NUMBERS['7700900456']}.",
    )
    await board.say(f"/note {ref} Spoke to carer on {NUMBERS['7700900456']}", "Note added")
    await chair.press_on(card.message_id, "No review")
    await chair.say(f"Reviewed already under NHS {NUMBERS['9434765919']}.", expect="Recorded")
    await board.say(f"/case {ref}", expect="Event log")
    await settle(api)

    shown = "\n".join(api.bot_texts(CHAIR) + api.bot_texts(BOARD))
    assert "[REDACTED]" in shown
    assert leaks(shown) == []
    assert leaks(DESCRIPTION) != []  # the search does find them in what was typed
    files = [p for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert any(p.name == "triage.db" for p in files)
    for path in files:
        content = path.read_bytes().decode("utf-8", errors="replace")
        assert leaks(content) == [], path.name

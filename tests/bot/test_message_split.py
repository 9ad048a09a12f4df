"""Message lengths as Telegram counts them, and splitting that never breaks the HTML: every part
parses (checked by the local Bot API server's own HTML parser), fits, and together the parts
say exactly what the whole said. The chair's card always fits one message, its description
shortened only when it must be (with the longest texts the intake lets through)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from officers_support import CATASTROPHIC, decide, file, read

from bot.board.chair import MAX_REASON
from bot.delivery import messaging
from bot.delivery.chair_card import chair_card
from dialogs.questions import CHECK
from localapi.entities import MAX_TEXT, parse_html, utf16_len
from matrix.engine import load_matrix
from templates import labels

TEXT = st.text(alphabet="ab <&>\"'\n😟é", min_size=0, max_size=60)
OPENINGS = ["<b>", "<i>", "<blockquote>", '<a href="https://example.org/?a=1&amp;b=2">']


def _closing(opening: str) -> str:
    name = re.match(r"<(\w+)", opening)
    assert name is not None
    return f"</{name.group(1)}>"


@st.composite
def html_texts(draw: st.DrawFn) -> str:
    """Text as the templates make it: escaped text, some of it in (nested) elements, in lines
    and paragraphs."""
    blocks = []
    for _ in range(draw(st.integers(1, 12))):
        text = html.escape(draw(TEXT), quote=False)
        for opening in draw(st.lists(st.sampled_from(OPENINGS), max_size=2, unique=True)):
            text = f"{opening}{text}{_closing(opening)}"
        blocks.append(text)
    glue = draw(st.lists(st.sampled_from(["\n", "\n\n", " "]), min_size=len(blocks)))
    return "".join(b + g for b, g in zip(blocks, glue, strict=False))


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@settings(max_examples=300, deadline=None)
@given(text=html_texts(), limit=st.integers(8, 120))
def test_every_part_parses_fits_and_nothing_is_lost(text: str, limit: int) -> None:
    whole, _ = parse_html(text)
    parts = messaging.split_text(text, limit)
    plains = []
    for part in parts:
        plain, _ = parse_html(part)  # raises as Telegram would on a cut tag or entity
        assert utf16_len(plain) <= limit or len(parts) == 1
        assert messaging.visible_length(part) == utf16_len(plain)
        plains.append(plain)
    assert _squeezed("".join(plains)) == _squeezed(whole)


def test_lengths_are_counted_as_telegram_counts_them() -> None:
    assert messaging.visible_length("<b>Q&amp;A</b> &lt;3 😟") == 9
    assert messaging.split_text("😟" * 10, 10) == ["😟" * 5, "😟" * 5]
    assert messaging.cut_to("ab😟c", 3) == "ab"


def test_a_split_prefers_a_blank_line_between_elements() -> None:
    text = "<b>Title</b>\nline one\n\n<blockquote>" + "word " * 30 + "</blockquote>"
    parts = messaging.split_text(text, 60)
    assert parts[0] == "<b>Title</b>\nline one\n\n"
    assert all(p.startswith("<blockquote>") and p.endswith("</blockquote>") for p in parts[1:])


def _card_text(db_path: Path, description: str, reason: str | None = None) -> str:
    now = dt.datetime.now(dt.UTC)
    referral = file(db_path, CATASTROPHIC, now, description=description)
    if reason is not None:
        decide(db_path, referral.ref, now, "declined", reason)
    plain, _ = parse_html(chair_card(read(db_path, referral.ref), load_matrix(), by="Chris").text)
    assert utf16_len(plain) <= messaging.LIMIT <= MAX_TEXT
    return plain


def test_the_chair_card_with_the_longest_texts_the_intake_allows_fits(tmp_path: Path) -> None:
    # The description's and the chair's reason's limits, in UTF-16 units: all emoji, or all
    # characters that HTML escapes, with every flag and criterion. The card fits one message;
    # the reason stays whole and most of the description too, the rest said to be in /case.
    describe, reason = CHECK.by_id["describe"].limit, MAX_REASON
    shortened = labels.phrase("shortened").strip()
    plain = _card_text(tmp_path / "cards.db", "😟" * (describe // 2), "😟" * (reason // 2))
    assert plain.endswith("😟" * (reason // 2))
    assert plain.count("😟") >= reason // 2 + 0.8 * (describe // 2)
    assert (plain.count("😟") == (describe + reason) // 2) != (shortened in plain)
    plain = _card_text(tmp_path / "cards.db", "<&" * (describe // 2), "&<" * (reason // 2))
    assert plain.endswith("&<" * (reason // 2)) and "<&" * (describe // 3) in plain


def test_a_description_too_long_for_the_card_is_shortened_there(tmp_path: Path) -> None:
    # Longer than the intake allows (stored by an earlier version, say): shortened to fit.
    plain = _card_text(tmp_path / "cards.db", "😟" * 3000)
    assert labels.phrase("shortened").strip() in plain
    assert 1000 < plain.count("😟") < 3000
    plain = _card_text(tmp_path / "cards.db", "<" * 5000, "why " * 250)
    assert labels.phrase("shortened").strip() in plain and plain.endswith("why " * 249 + "why")

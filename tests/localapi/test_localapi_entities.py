"""The HTML parse mode and entity offsets, checked directly."""

from __future__ import annotations

import pytest

from localapi import ApiError
from localapi.entities import command_entities, format_text, parse_html, utf16_len


def test_nested_tags_and_utf16_offsets() -> None:
    text, entities = parse_html("\U0001f600 <b>bold <i>both</i></b>")
    assert text == "\U0001f600 bold both"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
    ]


def test_attribute_values_may_hold_quotes_and_angle_brackets() -> None:
    text, entities = parse_html("<a href='https://example.org/?q=a>b&amp;c'>x</a>")
    assert text == "x"
    assert entities[0]["url"] == "https://example.org/?q=a>b&c"


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("&nbsp;", "Character '&'"),
        ("&#0;", "Invalid character entity"),
        ("&#xD800;", "Invalid character entity"),
        ("<b", "Can't find end of the tag"),
        ("<>x", "Empty tag name"),
        ("<tg-emoji>x</tg-emoji>", 'must have attribute "emoji-id"'),
        ("<b>x</b></i>", "Unexpected end tag"),
    ],
)
def test_malformed_html(source: str, reason: str) -> None:
    with pytest.raises(ApiError) as err:
        parse_html(source)
    assert err.value.code == 400
    assert err.value.description.startswith("Bad Request: can't parse entities: ")
    assert reason in err.value.description


def test_trimming_moves_entities() -> None:
    text, entities = format_text("\n  <b>hi</b> there  ", "HTML", None)
    assert text == "hi there"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_entities_given_without_parse_mode_are_kept() -> None:
    given = [{"type": "bold", "offset": 0, "length": 2}]
    assert format_text("hi", None, given) == ("hi", given)


def test_unsupported_parse_mode() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode", None)


def test_command_entities() -> None:
    text = "\U0001f600 /start@lir_triage_bot CODE then /back, not a/path"
    ents = command_entities(text)
    assert [text_at(text, e) for e in ents] == ["/start@lir_triage_bot", "/back"]
    assert ents[0]["offset"] == 3


def text_at(text: str, entity: dict[str, int]) -> str:
    units = text.encode("utf-16-le")
    start, length = entity["offset"] * 2, entity["length"] * 2
    return units[start : start + length].decode("utf-16-le")


def test_utf16_len() -> None:
    assert utf16_len("a\U0001f600é") == 4

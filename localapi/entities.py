"""Text as Telegram sees it: the HTML parse mode, UTF-16 lengths and message entities.

`parse_html` accepts exactly the tags of the Bot API's HTML style, requires `&` to start an
entity, and answers like Telegram (`can't parse entities: ...`) otherwise. `format_text`
turns a text parameter into the plain text and entities a Message carries, checking the
emptiness and length limits.
"""

from __future__ import annotations

import re
from typing import Any

from localapi.models import JSON, ApiError, bad_request

MAX_TEXT = 4096
MAX_CAPTION = 1024

_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,7}));")
_ATTR = re.compile(r"""\s*([A-Za-z][-A-Za-z0-9_]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_NAME = re.compile(r"[A-Za-z][-A-Za-z0-9]*")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _fail(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, i: int) -> tuple[str, int]:
    """Decode the character entity starting at `text[i] == '&'`; return it and the next index."""
    m = _ENTITY.match(text, i)
    if m is None:
        raise _fail(
            f"Character '&' at byte offset {_byte_offset(text, i)} must start an entity "
            "like &amp; &lt; &gt; &quot; or &#NNN;"
        )
    if m.group(1):
        return _NAMED[m.group(1)], m.end()
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise _fail(f"Invalid character entity at byte offset {_byte_offset(text, i)}")
    return chr(code), m.end()


def _unescape_attr(value: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "&":
            ch, i = _decode_entity(value, i)
        else:
            ch, i = value[i], i + 1
        out.append(ch)
    return "".join(out)


def _tag_end(text: str, i: int) -> int:
    """Index of the `>` closing the tag that starts at `text[i] == '<'` (quotes respected)."""
    quote = ""
    for j in range(i + 1, len(text)):
        ch = text[j]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == ">":
            return j
    raise _fail(f"Can't find end of the tag starting at byte offset {_byte_offset(text, i)}")


def _open_tag(inner: str, text: str, at: int) -> tuple[str, dict[str, str]]:
    m = _NAME.match(inner)
    if m is None:
        raise _fail(f"Empty tag name at byte offset {_byte_offset(text, at)}")
    name = m.group(0).lower()
    if name not in _TAGS:
        raise _fail(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, at)}')
    attrs: dict[str, str] = {}
    rest = inner[m.end() :].rstrip().removesuffix("/")
    pos = 0
    while pos < len(rest) and rest[pos:].strip():
        am = _ATTR.match(rest, pos)
        if am is None or am.end() == pos:
            raise _fail(
                f'Bad attribute in the tag "{name}" at byte offset {_byte_offset(text, at)}'
            )
        raw = am.group(2) or ""
        if raw[:1] in "\"'":
            raw = raw[1:-1]
        attrs[am.group(1).lower()] = _unescape_attr(raw)
        pos = am.end()
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _fail(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, at)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise _fail(
            f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {_byte_offset(text, at)}'
        )
    return name, attrs


def _entity(name: str, attrs: dict[str, str], offset: int, length: int) -> JSON | None:
    kind = _TAGS[name]
    ent: JSON = {"type": kind, "offset": offset, "length": length}
    if kind == "text_link":
        if not attrs.get("href"):
            return None
        ent["url"] = attrs["href"]
    elif kind == "custom_emoji":
        ent["custom_emoji_id"] = attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in attrs:
        ent["type"] = "expandable_blockquote"
    elif kind == "pre" and attrs.get("language"):
        ent["language"] = attrs["language"]
    return ent


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram's HTML style: the plain text and its entities, or ApiError 400."""
    out: list[str] = []
    pos16 = 0
    stack: list[tuple[str, dict[str, str], int]] = []
    entities: list[JSON] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "<":
            j = _tag_end(text, i)
            inner = text[i + 1 : j].strip()
            if inner.startswith("/"):
                name = inner[1:].strip().lower()
                if not stack:
                    raise _fail(f"Unexpected end tag at byte offset {_byte_offset(text, i)}")
                top, attrs, start = stack.pop()
                if top != name:
                    raise _fail(
                        f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
                        f'expected "</{top}>", found "</{name}>"'
                    )
                if top == "code" and stack and stack[-1][0] == "pre" and "class" in attrs:
                    lang = attrs["class"].removeprefix("language-")
                    stack[-1][1]["language"] = lang
                ent = _entity(top, attrs, start, pos16 - start) if pos16 > start else None
                if ent is not None:
                    entities.append(ent)
            else:
                name, attrs = _open_tag(inner, text, i)
                stack.append((name, attrs, pos16))
            i = j + 1
            continue
        if ch == "&":
            ch, i = _decode_entity(text, i)
        else:
            i += 1
        out.append(ch)
        pos16 += 2 if ord(ch) > 0xFFFF else 1
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _strip(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Trim surrounding whitespace as Telegram does, moving and clipping the entities."""
    lead = utf16_len(text) - utf16_len(text.lstrip())
    stripped = text.strip()
    total = utf16_len(stripped)
    kept: list[JSON] = []
    for ent in entities:
        start = max(0, int(ent["offset"]) - lead)
        end = min(total, int(ent["offset"]) + int(ent["length"]) - lead)
        if end > start:
            kept.append({**ent, "offset": start, "length": end - start})
    return stripped, kept


def format_text(
    value: Any, parse_mode: Any, entities: Any, *, caption: bool = False
) -> tuple[str, list[JSON]]:
    """Turn a text/caption parameter into (plain text, entities), checking Telegram's limits."""
    if value is None or value == "":
        if caption:
            return "", []
        raise bad_request("message text is empty")
    text = value if isinstance(value, str) else str(value)
    mode = str(parse_mode).lower() if parse_mode else ""
    if mode == "html":
        plain, ents = parse_html(text)
    elif mode in ("", "markdown", "markdownv2"):
        plain = text
        ents = [dict(e) for e in entities] if isinstance(entities, list) else []
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode}")
    plain, ents = _strip(plain, ents)
    if not plain and not caption:
        raise bad_request("message text is empty")
    limit = MAX_CAPTION if caption else MAX_TEXT
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return plain, ents


def command_entities(text: str) -> list[JSON]:
    """`bot_command` entities for every `/command` (optionally `@botname`) starting a word."""
    ents: list[JSON] = []
    for m in re.finditer(r"(?<![^\s])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?", text):
        ents.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: m.start()]),
                "length": utf16_len(m.group(0)),
            }
        )
    return ents

"""Messages as the page shows them: safe HTML for each bubble, buttons, documents, edits.

The bot writes Telegram's HTML style; the server keeps what it sent (`Msg.source`). The page
must show that formatting without trusting it, so `safe_html` re-emits only the tags of
Telegram's HTML style (with only the attributes that matter) and escapes everything else:
text, unknown tags, comments, stray brackets. Links keep only http(s) and mailto targets.
Messages in any other parse mode, and everything users type, are shown as plain text.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

from localapi import Msg

# Telegram's tag -> the tag the page emits
_TAGS = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "u": "u",
    "ins": "u",
    "s": "s",
    "strike": "s",
    "del": "s",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-spoiler": "span",
    "span": "span",
    "a": "a",
}
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
# media kinds users may send, as a short label for a bubble without text
_KIND_LABELS = {
    "photo": "Photo",
    "sticker": "Sticker",
    "voice": "Voice message",
    "audio": "Audio",
    "video": "Video",
    "video_note": "Video message",
    "animation": "GIF",
    "location": "Location",
    "contact": "Contact",
    "venue": "Venue",
    "poll": "Poll",
    "dice": "Dice",
}


class _Sanitizer(HTMLParser):
    """Re-emits the allowed tags (balanced) and escapes everything else."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (Telegram tag, emitted) currently open

    def _emit_open(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        values = {k.lower(): v or "" for k, v in attrs}
        name = _TAGS[tag]
        if tag == "a":
            href = values.get("href", "").strip()
            if not href.lower().startswith(_SAFE_SCHEMES):
                return False
            self.out.append(
                f'<a href="{html.escape(href, quote=True)}" target="_blank" '
                'rel="noopener noreferrer">'
            )
            return True
        if tag == "span" and values.get("class") != "tg-spoiler":
            return False
        if tag in ("span", "tg-spoiler"):
            self.out.append('<span class="spoiler">')
            return True
        if tag == "code" and values.get("class", "").startswith("language-"):
            language = html.escape(values["class"], quote=True)
            self.out.append(f'<code class="{language}">')
            return True
        self.out.append(f"<{name}>")
        return True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _TAGS:
            self.open.append((tag, self._emit_open(tag, attrs)))
        elif tag == "tg-emoji":
            self.open.append((tag, False))  # allowed: shown as its text only
        else:
            self.out.append(html.escape(self.get_starttag_text() or f"<{tag}>"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(html.escape(self.get_starttag_text() or f"<{tag}/>"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _TAGS and tag != "tg-emoji":
            self.out.append(html.escape(f"</{tag}>"))
            return
        names = [name for name, _ in self.open]
        if tag in names:  # close back to the matching tag; an unmatched end tag is dropped
            depth = len(names) - 1 - names[::-1].index(tag)
            while len(self.open) > depth:
                self._close(*self.open.pop())

    def _close(self, tag: str, emitted: bool) -> None:
        if emitted:
            self.out.append(f"</{_TAGS[tag]}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def handle_comment(self, data: str) -> None:
        self.out.append(html.escape(f"<!--{data}-->", quote=False))

    def handle_decl(self, decl: str) -> None:
        self.out.append(html.escape(f"<!{decl}>", quote=False))

    def handle_pi(self, data: str) -> None:
        self.out.append(html.escape(f"<?{data}>", quote=False))

    def unknown_decl(self, data: str) -> None:
        self.out.append(html.escape(f"<![{data}]>", quote=False))

    def result(self) -> str:
        self.close()
        while self.open:
            self._close(*self.open.pop())
        return "".join(self.out)


def safe_html(source: str) -> str:
    """Telegram-style HTML made safe to put into a page: allowed tags only, the rest escaped."""
    sanitizer = _Sanitizer()
    sanitizer.feed(source)
    return sanitizer.result()


def plain_html(text: str) -> str:
    """Plain text made safe to put into a page."""
    return html.escape(text, quote=False)


def body_html(message: Msg) -> str:
    """The bubble's body: the bot's HTML made safe, or the plain text."""
    if message.from_bot and message.source is not None and message.parse_mode == "HTML":
        return safe_html(message.source)
    if message.text is not None:
        return plain_html(message.text)
    label = _KIND_LABELS.get(message.kind)
    return f"<i>{label}</i>" if label else ""


def _buttons(message: Msg) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for button in message.buttons:
        if button.row >= len(rows):
            rows.append([])
        url = button.url if button.url and button.url.startswith(("http://", "https://")) else None
        rows[-1].append({"text": button.text, "data": button.callback_data, "url": url})
    return rows


def _document(message: Msg, seat_slug: str) -> dict[str, Any] | None:
    doc = message.data.get("document")
    if not isinstance(doc, dict) or message.file_id is None:
        return None
    return {
        "name": str(doc.get("file_name") or "document"),
        "size": int(doc.get("file_size") or 0),
        "mime": str(doc.get("mime_type") or "application/octet-stream"),
        "url": f"/api/file/{quote(seat_slug)}/{message.message_id}",
    }


def message_view(message: Msg, seat_slug: str, sender_name: str) -> dict[str, Any]:
    """One message as the page's JSON carries it."""
    return {
        "id": message.message_id,
        "from_bot": message.from_bot,
        "sender": sender_name,
        "date": message.date,
        "edited": message.edit_date is not None,
        "edit_date": message.edit_date,
        "html": body_html(message),
        "buttons": _buttons(message),
        "document": _document(message, seat_slug),
    }

"""Bubbles made safe: only Telegram's HTML tags survive; everything else is shown as text."""

from __future__ import annotations

from typing import Any

import pytest

from demo.render import message_view, safe_html
from localapi import Msg


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("<b>Grade</b>: <i>high</i> &amp; <u>u</u>", "<b>Grade</b>: <i>high</i> &amp; <u>u</u>"),
        ("<strong>a</strong><em>b</em><ins>c</ins>", "<b>a</b><i>b</i><u>c</u>"),
        ("<s>x</s><strike>y</strike><del>z</del>", "<s>x</s><s>y</s><s>z</s>"),
        ("<blockquote>said</blockquote>", "<blockquote>said</blockquote>"),
        (
            '<pre><code class="language-py">1</code></pre>',
            '<pre><code class="language-py">1</code></pre>',
        ),
        (
            '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>',
            '<span class="spoiler">s</span><span class="spoiler">t</span>',
        ),
        ("mother&#39;s &lt;b&gt;", "mother's &lt;b&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('<b onclick="alert(1)">x</b>', "<b>x</b>"),
        ('<a href="javascript:alert(1)">x</a>', "x"),
        (
            '<a href="https://example.org/?a=1&amp;b=2">doc</a>',
            '<a href="https://example.org/?a=1&amp;b=2" target="_blank" '
            'rel="noopener noreferrer">doc</a>',
        ),
        ("<span>plain</span>", "plain"),
        ("<b><i>crossed</b></i>", "<b><i>crossed</i></b>"),
        ("<b>never closed", "<b>never closed</b>"),
        ("</b>stray", "stray"),
        ("<!-- note --><br/>", "&lt;!-- note --&gt;&lt;br/&gt;"),
        ("1 < 2 > 0", "1 &lt; 2 &gt; 0"),
    ],
)
def test_safe_html_keeps_telegram_tags_and_escapes_the_rest(source: str, shown: str) -> None:
    assert safe_html(source) == shown


def _msg(**fields: Any) -> Msg:
    base: dict[str, Any] = {
        "chat_id": 1,
        "message_id": 7,
        "from_bot": True,
        "sender_id": 1,
        "date": 1_700_000_000,
        "kind": "text",
        "text": "Bold",
        "source": "<b>Bold</b>",
        "parse_mode": "HTML",
        "reply_markup": None,
        "edit_date": None,
        "file_id": None,
        "seq": 1,
        "data": {},
    }
    base.update(fields)
    return Msg(**base)


def test_a_bot_message_with_buttons_and_an_edit() -> None:
    markup = {
        "inline_keyboard": [
            [{"text": "Yes", "callback_data": "a:1"}, {"text": "No", "callback_data": "a:0"}],
            [{"text": "Guide", "url": "https://example.org/guide"}],
            [{"text": "Odd", "url": "tg://resolve?domain=x"}],
        ]
    }
    view = message_view(_msg(reply_markup=markup, edit_date=1_700_000_060), "chair", "Bot")
    assert view["html"] == "<b>Bold</b>" and view["edited"] and view["id"] == 7
    assert view["date"] == 1_700_000_000 and view["edit_date"] == 1_700_000_060  # the edit's time
    assert view["buttons"] == [
        [{"text": "Yes", "data": "a:1", "url": None}, {"text": "No", "data": "a:0", "url": None}],
        [{"text": "Guide", "data": None, "url": "https://example.org/guide"}],
        [{"text": "Odd", "data": None, "url": None}],
    ]


def test_what_users_type_and_non_html_messages_are_plain_text() -> None:
    typed = _msg(from_bot=False, text="<b>not bold</b> & co", source="<b>not bold</b> & co")
    assert (
        message_view(typed, "practitioner", "Pat")["html"] == "&lt;b&gt;not bold&lt;/b&gt; &amp; co"
    )
    markdown = _msg(text="bold", source="*bold*", parse_mode="MarkdownV2")
    assert message_view(markdown, "practitioner", "Bot")["html"] == "bold"
    photo = _msg(from_bot=False, text=None, source=None, kind="photo")
    assert message_view(photo, "practitioner", "Pat")["html"] == "<i>Photo</i>"


def test_a_document_links_to_the_page_download_route() -> None:
    doc = {"file_id": "F1", "file_name": "tor.txt", "mime_type": "text/plain", "file_size": 12}
    message = _msg(kind="document", text=None, source=None, file_id="F1", data={"document": doc})
    view = message_view(message, "board", "Bot")
    assert view["document"] == {
        "name": "tor.txt",
        "size": 12,
        "mime": "text/plain",
        "url": "/api/file/board/7",
    }

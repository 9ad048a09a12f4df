"""What the practitioner is told about privacy promises no more than the code does: names and
other identifying words are NOT removed automatically, and every text that asks for free text
or reports a redaction says so."""

from __future__ import annotations

import re

from dialogs import texts
from templates import render


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_privacy_says_names_are_not_removed_and_what_is() -> None:
    privacy = plain(texts.privacy_text(72))
    assert "What is NOT removed" in privacy
    assert "names" in privacy and "addresses written in words" in privacy
    assert "schools" in privacy and "saved exactly as you type them" in privacy
    assert "may not be recognised" in privacy  # no promise beyond the patterns


def test_the_first_question_keeps_its_key_phrase_and_warns_about_names() -> None:
    question = plain(render("dialog/questions/privacy.j2"))
    assert "no names" in question
    assert "Names and such details are not removed automatically" in question
    assert "leave them out" in question


def test_the_description_prompt_and_redaction_notice_say_names_stay() -> None:
    assert "Names are not removed automatically" in plain(render("dialog/questions/describe.j2"))
    notice = plain(texts.redacted_text(["NHS number"]))
    assert "Names and other identifying details are not removed automatically" in notice

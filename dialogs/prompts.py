"""The values a conversation hands to its caller: `Prompt`, `Step`, and the two errors.

A refusal's reason is rendered from `templates/dialog/refused.j2`; it never quotes what the
person typed, so it is safe to show, log or keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.questions import Kind, Option
from templates import render


@dataclass(frozen=True)
class Prompt:
    """What to show now: the question id, its text (HTML), its kind, buttons and those selected."""

    id: str
    text: str
    kind: Kind
    options: tuple[Option, ...]
    selected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """The outcome of one accepted answer.

    `prompt` is what to show next; `redacted` names the kinds of identifier removed from a free
    text (empty when none); `urgent_now` is true only on the answer that first made the check
    urgent; `finished` is `"submit"` or `"cancel"` when the practitioner chose to end.
    """

    prompt: Prompt
    redacted: tuple[str, ...] = ()
    urgent_now: bool = False
    finished: str | None = None


class AnswerRefused(Exception):
    """An answer that was not accepted; nothing changed. `reason` is the text to show."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class DialogStateError(ValueError):
    """A stored conversation cannot be restored: unknown state, or answers that do not fit."""


def refuse(code: str, **context: Any) -> AnswerRefused:
    """An `AnswerRefused` whose reason is the refusal text for `code`."""
    return AnswerRefused(render("dialog/refused.j2", code=code, **context), code)

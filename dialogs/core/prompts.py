"""The values a session hands to its caller: `Prompt`, `Step`, and the two errors.

A refusal's reason is rendered from the questionnaire's refusal template by code; it never
quotes what the person typed, so it is safe to show, log or keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from dialogs.core.table import Kind, Option
from templates import render


@dataclass(frozen=True)
class Prompt:
    """What to show now: the question id, its text (HTML), its kind, buttons and those selected.

    At the end state (a complete questionnaire) the kind is `done` and there are no options.
    """

    id: str
    text: str
    kind: Kind | Literal["done"]
    options: tuple[Option, ...]
    selected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    """The outcome of one accepted answer.

    `prompt` is what to show next; `question` the question answered and `label` the answer as
    people read it; `moved` whether the session went on (false for a toggle's tick and for an
    ending option); `decision` the decision the answer records ("<wording>: <text>") or "";
    `redacted` the kinds of identifier removed from a free text; `finished` the outcome
    (`submit`, `cancel`) when an option ends the questionnaire.
    """

    prompt: Prompt
    question: str = ""
    label: str = ""
    moved: bool = True
    decision: str = ""
    redacted: tuple[str, ...] = ()
    finished: str | None = None

    @property
    def complete(self) -> bool:
        """Whether this answer completed the questionnaire (it is at its end state)."""
        return self.prompt.kind == "done"


class AnswerRefused(Exception):
    """An answer that was not accepted; nothing changed. `reason` is the text to show."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


class DialogStateError(ValueError):
    """A stored session cannot be restored: unknown state, or answers that do not fit."""


def refusal(template: str, code: str, **context: Any) -> AnswerRefused:
    """An `AnswerRefused` whose reason is the text for `code` in the refusal `template`."""
    return AnswerRefused(render(template, code=code, **context), code)

"""Transcript helpers for the dialog tests: press buttons by label, read the prompt."""

from __future__ import annotations

import html
import re

from dialogs.practitioner import Conversation, PractitionerDialog, Prompt, Step
from matrix.engine import load_matrix

AGENCIES = ("Children's social care", "Health", "Police", "Education")


def new_dialog() -> PractitionerDialog:
    """The dialog with the test agencies and the packaged matrix."""
    return PractitionerDialog(AGENCIES, load_matrix())


def say(conv: Conversation, *labels: str) -> Step:
    """Press each button by its label (or type the text where text is asked); the last Step."""
    step: Step | None = None
    for label in labels:
        step = conv.answer_label(label)
    assert step is not None
    return step


def labels(prompt: Prompt) -> list[str]:
    """The labels of the prompt's buttons, in order."""
    return [o.label for o in prompt.options]


def plain(text: str) -> str:
    """The text a person reads: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def start_concern(conv: Conversation, *, abuse: str = "Known", immediate: str = "No") -> Step:
    """privacy, immediate, kind = a concern, abuse: arrives at `died`."""
    return say(conv, "I understand", immediate, "A concern", abuse)


def finish_common(conv: Conversation, *, agencies: tuple[str, ...] = ("Police",)) -> Step:
    """From `agencies` to `confirm`: choose agencies, describe, skip the reference."""
    assert conv.state == "agencies", conv.state
    say(conv, *agencies, "Done")
    say(conv, "Seen at school with bruising; concerns about supervision at home.")
    return say(conv, "Skip")

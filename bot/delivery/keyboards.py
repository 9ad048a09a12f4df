"""Inline keyboards and their callback data: short, typed, and parsed strictly.

Callback data is never trusted: every handler re-checks it against the database (the
current question, the referral's state, who is pressing). The formats are:

- `q:<draft>:<question>:<value>` a practitioner's answer; `<draft>` is the first 8
  characters of the draft id, so a press on an older conversation's message is recognised;
- `c:<ref>:<action>[:<grade>]` a chair's decision on a referral;
- `p:<ref>:<question>:<value>` an answer in an officer's review plan;
- `g:<page>` a page of the officers' queue;
- `f:<user id>:go|keep` `Forget me` / `Keep` after /forget (`bot.practitioner.rights`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.prompts import Prompt

MAX_CALLBACK_BYTES = 64
_ANSWER = re.compile(r"^q:([0-9a-f]{8}):([a-z_]{1,20}):([A-Za-z0-9_\-]{1,30})$")
_CHAIR = re.compile(r"^c:(LIR-\d{4}-\d{4,}):([a-z]{1,10})(?::([a-z_]{1,20}))?$")


@dataclass(frozen=True)
class AnswerData:
    """A parsed practitioner answer button."""

    draft: str
    question: str
    value: str


@dataclass(frozen=True)
class ChairData:
    """A parsed chair decision button."""

    ref: str
    action: str
    grade: str | None


def _checked(data: str) -> str:
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def answer_data(draft_id: str, question: str, value: str) -> str:
    """Callback data for one answer button."""
    return _checked(f"q:{draft_id[:8]}:{question}:{value}")


def parse_answer(data: str) -> AnswerData | None:
    """The answer a button stands for, or None if the data is not well formed."""
    match = _ANSWER.match(data)
    return AnswerData(*match.groups()) if match else None


def chair_data(ref: str, action: str, grade: str | None = None) -> str:
    """Callback data for one decision button."""
    return _checked(f"c:{ref}:{action}" + (f":{grade}" if grade else ""))


def parse_chair(data: str) -> ChairData | None:
    """The decision a button stands for, or None if the data is not well formed."""
    match = _CHAIR.match(data)
    return ChairData(match[1], match[2], match[3]) if match else None


def pressed_in_private(query: CallbackQuery) -> bool:
    """Whether the press was on a message in the presser's own private chat with the bot
    (questions and decision cards are only ever sent there)."""
    message = query.message
    return message is not None and message.chat.id == query.from_user.id


def prompt_keyboard(prompt: Prompt, draft_id: str) -> InlineKeyboardMarkup | None:
    """One button a row (labels are long on a phone); toggles show a tick when selected."""
    if not prompt.options:
        return None
    rows = []
    for option in prompt.options:
        label = option.label
        if prompt.kind == "toggle" and option.value in prompt.selected:
            label = f"✓ {label}"
        rows.append(
            [
                InlineKeyboardButton(
                    label, callback_data=answer_data(draft_id, prompt.id, option.value)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """A keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=_checked(data)) for label, data in row]
            for row in rows
        ]
    )

"""Inline keyboards and every format of callback data: encoded, matched and parsed here only.

Callback data is never trusted: every handler re-checks it against the database (the
current question, the referral's state, who is pressing). The formats are:

- `q:<draft>:<question>:<value>` a practitioner's answer; `<draft>` is the first 8
  characters of the draft id, so a press on an older conversation's message is recognised;
- `c:<ref>:<version>:<action>[:<grade>]` a chair's (or a partner's) decision on a referral,
  naming the referral's `card_version` the card showed (a press on a card shown before the
  referral changed is refused as stale); cards sent before versions were carried have
  `c:<ref>:<action>[:<grade>]`, parsed with no version and refused as stale;
- `p:<ref>:<question>:<value>` an answer in an officer's review plan;
- `g:` a page of the officers' queue: `bot.delivery.queue_keyboards`;
- `f:<user id>:go|keep` `Forget me` / `Keep` after /forget (`bot.practitioner.rights`);
- `a:<ref>:<n>:started|done|late` an agency lead's answer on action `<ref>/A<n>`
  (`bot.practitioner.lead`; no version: an action's words and date never change, and whether
  it is still open is checked at the press);
- `b:<ref>:<version>:ok|back` a chair's `Approve brief` / `Send back` on version `<version>`
  of a learning brief (`bot.board.briefs`); the older `b:<ref>:ok|back` parses with no version
  and is refused as stale;
- `r:<ref>` / `d:<ref>` a practitioner's `Read it` / `Get the document` on a learning brief;
- `t:<ref>:<version>:ok|back` a panel member's `Agree terms` / `Send back` on version
  `<version>` of a review's terms of reference (`bot.board.terms`): a newer version's card
  replaces it, so an older card's press is refused.
- `e:` (a review's learning event), `m:` (its themes) and `i:` (an agency review):
  `bot.delivery.review_keyboards`;
- `l:<ref>:<proposal>:ok|keep` a decider's `Accept lower grade` / `Keep` on the lower grade a
  regrade proposed (`<proposal>` names the proposal, so an older card's press is stale).

Handlers register with the `*_PATTERN` constants and read a press with the `parse_*` functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.core.prompts import Prompt
from dialogs.core.table import Option
from storage.references import REF_PATTERN
from templates import labels

MAX_CALLBACK_BYTES = 64

ANSWER_PREFIX, CHAIR_PREFIX, PLAN_PREFIX, FORGET_PREFIX = "q", "c", "p", "f"
ACTION_PREFIX = "a"
BRIEF_PREFIX, READ_PREFIX, DOCUMENT_PREFIX, LOWER_PREFIX = "b", "r", "d", "l"
TERMS_PREFIX = "t"
WHICH_PREFIX = "w"  # which awaited input a held text answers
# What each handler's `pattern=` matches: the prefix only (the parsers check the rest).
ANSWER_PATTERN = rf"^{ANSWER_PREFIX}:"
CHAIR_PATTERN = rf"^{CHAIR_PREFIX}:"
PLAN_PATTERN = rf"^{PLAN_PREFIX}:"
FORGET_PATTERN = rf"^{FORGET_PREFIX}:"
ACTION_PATTERN = rf"^{ACTION_PREFIX}:"
BRIEF_PATTERN = rf"^{BRIEF_PREFIX}:"
WHICH_PATTERN = rf"^{WHICH_PREFIX}:"
READ_PATTERN = rf"^{READ_PREFIX}:"
DOCUMENT_PATTERN = rf"^{DOCUMENT_PREFIX}:"
TERMS_PATTERN = rf"^{TERMS_PREFIX}:"
LOWER_PATTERN = rf"^{LOWER_PREFIX}:"


def _data(prefix: str, body: str) -> re.Pattern[str]:
    """The whole callback data of one format: its prefix, then `body`."""
    return re.compile(f"^{prefix}:{body}$")


_REF = f"({REF_PATTERN})"
_ANSWER = _data(ANSWER_PREFIX, r"([0-9a-f]{8}):([a-z_]{1,20}):([A-Za-z0-9_\-]{1,30})")
_VERSION = r"(?:(\d{1,9}):)?"  # absent on buttons sent before versions were carried
_CHAIR = _data(CHAIR_PREFIX, _REF + ":" + _VERSION + r"([a-z]{1,10})(?::([a-z_]{1,20}))?")
_PLAN = _data(PLAN_PREFIX, _REF + r":([a-z_]{1,20}):([A-Za-z0-9_\-]{1,20})")
_FORGET = _data(FORGET_PREFIX, r"(\d{1,20}):(go|keep)")
FORGET_ANSWERS = (("forget", "go"), ("keep", "keep"))  # (label, answer): Forget me, Keep
LEAD_ANSWERS = ("started", "done", "late")  # the lead's buttons, in order
BRIEF_ANSWERS = ("ok", "back")  # the chair's buttons on a brief, in order
_BRIEF = _data(BRIEF_PREFIX, _REF + ":" + _VERSION + "(" + "|".join(BRIEF_ANSWERS) + ")")
_READ = _data(f"[{READ_PREFIX}{DOCUMENT_PREFIX}]", _REF)  # `Read it`, `Get the document`
LOWER_ANSWERS = ("ok", "keep")  # Accept lower grade, Keep
_LOWER = _data(LOWER_PREFIX, _REF + r":(\d{1,12}):(" + "|".join(LOWER_ANSWERS) + ")")
_ACTION = _data(ACTION_PREFIX, _REF + r":(\d{1,6}):(" + "|".join(LEAD_ANSWERS) + ")")
TERMS_ANSWERS = ("ok", "back")  # a panel member's buttons on the terms, in order
_TERMS = _data(TERMS_PREFIX, _REF + r":(\d{1,6}):(" + "|".join(TERMS_ANSWERS) + ")")
_WHICH = _data(WHICH_PREFIX, r"([0-9a-f]{8}):([a-z_]{1,20}(?::[A-Z0-9\-/]{1,40})?)")


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
    version: int | None = None  # the referral's card version the card showed (None: unknown)


@dataclass(frozen=True)
class BriefData:
    """A chair's press on a brief: referral, ok or back, the version shown (None: unknown)."""

    ref: str
    answer: str
    version: int | None


def _version(text: str | None) -> int | None:
    return None if text is None else int(text)


@dataclass(frozen=True)
class PlanData:
    """A parsed review-plan answer button."""

    ref: str
    question: str
    value: str


def _checked(data: str) -> str:
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def answer_data(draft_id: str, question: str, value: str) -> str:
    """Callback data for one answer button."""
    return _checked(f"{ANSWER_PREFIX}:{draft_id[:8]}:{question}:{value}")


def parse_answer(data: str) -> AnswerData | None:
    """The answer a button stands for, or None if the data is not well formed."""
    match = _ANSWER.match(data)
    return AnswerData(*match.groups()) if match else None


def chair_data(ref: str, action: str, grade: str | None = None, version: int | None = None) -> str:
    """Callback data for one decision button on a card showing version `version` of the
    referral (None: the form of cards sent before versions were carried)."""
    shown = "" if version is None else f"{version}:"
    return _checked(f"{CHAIR_PREFIX}:{ref}:{shown}{action}" + (f":{grade}" if grade else ""))


def parse_chair(data: str) -> ChairData | None:
    """The decision a button stands for, or None if the data is not well formed."""
    match = _CHAIR.match(data)
    return ChairData(match[1], match[3], match[4], _version(match[2])) if match else None


def plan_data(ref: str, question: str, value: str) -> str:
    """Callback data for one answer button of a review plan."""
    return _checked(f"{PLAN_PREFIX}:{ref}:{question}:{value}")


def parse_plan(data: str) -> PlanData | None:
    """The plan answer a button stands for, or None if the data is not well formed."""
    match = _PLAN.match(data)
    return PlanData(*match.groups()) if match else None


def parse_forget(data: str) -> tuple[int, bool] | None:
    """(whose, forget them?) from a `Forget me` / `Keep` press, or None if not well formed."""
    match = _FORGET.match(data)
    return (int(match[1]), match[2] == "go") if match else None


@dataclass(frozen=True)
class ActionData:
    """A parsed lead's answer on an action: the action's referral and number, and the answer."""

    ref: str
    seq: int
    answer: str


def action_data(ref: str, seq: int, answer: str) -> str:
    """Callback data for one of a lead's buttons on action `ref/A<seq>`."""
    return _checked(f"{ACTION_PREFIX}:{ref}:{seq}:{answer}")


def parse_action(data: str) -> ActionData | None:
    """The lead's answer a button stands for, or None if the data is not well formed."""
    match = _ACTION.match(data)
    return ActionData(match[1], int(match[2]), match[3]) if match else None


def action_keyboard(ref: str, seq: int) -> InlineKeyboardMarkup:
    """`Started`, `Done`, `Can't meet the date` on an action sent to its agency's lead."""
    return buttons(
        [[(labels.button(f"action_{a}"), action_data(ref, seq, a))] for a in LEAD_ANSWERS]
    )


@dataclass(frozen=True)
class VersionedCard:
    """The buttons of a card that names the version it shows, `<prefix>:<ref>:<version>:<answer>`
    (a learning brief to the chair, a review's terms to the panel): a newer version's card
    replaces it, so a press on an older one is refused."""

    prefix: str
    label: str  # its buttons' labels are `<label>_<answer>` in labels.toml
    answers: tuple[str, ...]

    def data(self, ref: str, version: int, answer: str) -> str:
        """Callback data for `answer` on version `version` of the card of `ref`."""
        return _checked(f"{self.prefix}:{ref}:{version}:{answer}")

    def keyboard(self, ref: str, version: int) -> InlineKeyboardMarkup:
        """The card's buttons, one row, in the order of `answers`."""
        return buttons(
            [
                [
                    (labels.button(f"{self.label}_{a}"), self.data(ref, version, a))
                    for a in self.answers
                ]
            ]
        )


BRIEF_CARD = VersionedCard(BRIEF_PREFIX, "brief", BRIEF_ANSWERS)  # Approve brief, Send back
TERMS_CARD = VersionedCard(TERMS_PREFIX, "terms", TERMS_ANSWERS)  # Agree terms, Send back
brief_data, brief_keyboard = BRIEF_CARD.data, BRIEF_CARD.keyboard
terms_data, terms_keyboard = TERMS_CARD.data, TERMS_CARD.keyboard


def parse_brief(data: str) -> BriefData | None:
    """A chair's press on a brief, or None if not well formed."""
    match = _BRIEF.match(data)
    return BriefData(match[1], match[3], _version(match[2])) if match else None


@dataclass(frozen=True)
class TermsData:
    """A parsed panel member's press on the terms: the review, the version, ok or back."""

    ref: str
    version: int
    answer: str


def parse_terms(data: str) -> TermsData | None:
    """The panel member's press a button stands for, or None if not well formed."""
    match = _TERMS.match(data)
    return TermsData(match[1], int(match[2]), match[3]) if match else None


def read_keyboard(ref: str) -> InlineKeyboardMarkup:
    """`Read it` and `Get the document` on the last part of a learning brief (SPEC §7)."""
    read, document = f"{READ_PREFIX}:{ref}", f"{DOCUMENT_PREFIX}:{ref}"
    return buttons([[(labels.button("read_it"), read), (labels.button("get_document"), document)]])


def which_keyboard(key: str, choices: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button a row for each (label, purpose) a held text could answer, under the
    choice's `key` (a press on an older choice is stale)."""
    return buttons([[(label, f"{WHICH_PREFIX}:{key}:{purpose}")] for label, purpose in choices])


def parse_which(data: str) -> tuple[str, str] | None:
    """(key, purpose) of a press choosing what a held text answers, or None."""
    match = _WHICH.match(data)
    return (match[1], match[2]) if match else None


def parse_read(data: str) -> str | None:
    """The referral of a `Read it` or `Get the document` press, or None if not well formed."""
    match = _READ.match(data)
    return match[1] if match else None


def forget_keyboard(user_id: int) -> InlineKeyboardMarkup:
    """`Forget me` and `Keep`, after /forget: they count only for `user_id` (see rights)."""
    row = [(labels.button(b), f"{FORGET_PREFIX}:{user_id}:{a}") for b, a in FORGET_ANSWERS]
    return buttons([row])


def pressed_in_private(query: CallbackQuery) -> bool:
    """Whether the press was on a message in the presser's own private chat with the bot
    (questions and decision cards are only ever sent there)."""
    message = query.message
    return message is not None and message.chat.id == query.from_user.id


def one_a_row(
    options: Sequence[Option], selected: Sequence[str], data: Callable[[str], str]
) -> InlineKeyboardMarkup | None:
    """One button a row (labels are long on a phone), `data` of each value; ticks on those
    `selected`."""
    tick = {o.value: labels.button("ticked", label=o.label) for o in options}
    rows = [[(tick[o.value] if o.value in selected else o.label, data(o.value))] for o in options]
    return buttons(rows) if rows else None


def prompt_keyboard(prompt: Prompt, draft_id: str) -> InlineKeyboardMarkup | None:
    """A check question's buttons; toggles show a tick when selected."""
    selected = prompt.selected if prompt.kind == "toggle" else ()
    return one_a_row(prompt.options, selected, lambda v: answer_data(draft_id, prompt.id, v))


def decision_keyboard(ref: str, version: int) -> InlineKeyboardMarkup:
    """The chair's four buttons on a decision card showing version `version` of the referral."""
    return buttons(
        [
            [(labels.button(action), chair_data(ref, action, version=version))]
            for action in ("approve", "escalate", "ask", "decline")
        ]
    )


def grade_keyboard(
    ref: str, version: int, grades: Sequence[tuple[str, str]]
) -> InlineKeyboardMarkup:
    """The grades a chair may escalate to, as (grade, label), and a way back to the four."""
    rows = [[(label, chair_data(ref, "grade", grade, version))] for grade, label in grades]
    rows.append([(labels.button("back"), chair_data(ref, "menu", version=version))])
    return buttons(rows)


def plan_keyboard(
    ref: str, question: str, options: Sequence[Option], selected: Sequence[str]
) -> InlineKeyboardMarkup | None:
    """A review-plan question's buttons, one a row; those selected show a tick."""
    return one_a_row(options, selected, lambda v: plan_data(ref, question, v))


def buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """A keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(label, callback_data=_checked(data)) for label, data in row]
            for row in rows
        ]
    )


def lower_keyboard(ref: str, proposal: int) -> InlineKeyboardMarkup:
    """`Accept lower grade` and `Keep` on the lower grade proposal `proposal` of `ref`."""
    data = f"{LOWER_PREFIX}:{ref}:{proposal}"
    return buttons([[(labels.button(f"lower_{a}"), f"{data}:{a}") for a in LOWER_ANSWERS]])


def parse_lower(data: str) -> tuple[str, int, bool] | None:
    """(ref, proposal, accepted?) of a press on a lower grade proposal, or None."""
    match = _LOWER.match(data)
    return (match[1], int(match[2]), match[3] == "ok") if match else None

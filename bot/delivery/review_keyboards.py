"""The callback formats of the review itself (SPEC §9): its individual agency reviews, its
learning event and its themes, beside the others of `bot.delivery.keyboards` (whose prefixes
these do not share):

- `i:<ref>:<agency key>:start|submit|<question>:<value>` a lead's press on the agency review
  of an agency (`agency_key`) for `<ref>` (`bot.practitioner.agency_review`);

- `e:<ref>:<version>:yes|no` an invitee's `I'll come` / `I can't come` on the invitation to
  version `<version>` of a review's learning event (`bot.practitioner.event`: a press on an
  invitation sent before the event moved is refused as stale), and `e:<ref>:<question>:<value>`
  an attendee's button answer in their feedback on it (the safety score, 1 to 5);
- `m:<ref>:<n>` an officer's toggle of theme `<n>` (its place in `THEMES`) on a review, and
  `m:<ref>:done` settling them (`bot.board.events`).

Callback data is never trusted: the handlers check it against the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.delivery.keyboards import _REF, PlanData, _checked, _data, buttons
from dialogs.core.prompts import Prompt
from templates import labels

AGENCY_REVIEW_PREFIX = "i"  # a lead's individual agency review
AGENCY_REVIEW_PATTERN = rf"^{AGENCY_REVIEW_PREFIX}:"
_IAR = r":([0-9a-f]{8}):(?:(start|submit)|([a-z_]{1,20}):([A-Za-z0-9_\-]{1,20}))"
_AGENCY_REVIEW = _data(AGENCY_REVIEW_PREFIX, _REF + _IAR)
EVENT_PREFIX, THEMES_PREFIX = "e", "m"
EVENT_PATTERN = rf"^{EVENT_PREFIX}:"
THEMES_PATTERN = rf"^{THEMES_PREFIX}:"
EVENT_ANSWERS = ("yes", "no")  # I'll come, I can't come
_INVITATION = _data(EVENT_PREFIX, _REF + r":(\d{1,6}):(" + "|".join(EVENT_ANSWERS) + ")")
_FEEDBACK = _data(EVENT_PREFIX, _REF + r":([a-z_]{1,20}):([A-Za-z0-9_\-]{1,20})")
THEMES_DONE = "done"
_THEMES = _data(THEMES_PREFIX, _REF + r":(\d{1,3}|" + THEMES_DONE + ")")


@dataclass(frozen=True)
class InvitationData:
    """A parsed press on a learning event's invitation: the review, the event's version the
    invitation showed, and whether they are coming."""

    ref: str
    version: int
    coming: bool


def invitation_keyboard(ref: str, version: int) -> InlineKeyboardMarkup:
    """`I'll come` / `I can't come` on the invitation to version `version` of `ref`'s event."""
    return buttons(
        [
            [
                (labels.button(f"event_{a}"), _checked(f"{EVENT_PREFIX}:{ref}:{version}:{a}"))
                for a in EVENT_ANSWERS
            ]
        ]
    )


def parse_invitation(data: str) -> InvitationData | None:
    """An invitee's answer, or None if the data is not an invitation's."""
    match = _INVITATION.match(data)
    return InvitationData(match[1], int(match[2]), match[3] == "yes") if match else None


def parse_event_press(data: str) -> InvitationData | PlanData | None:
    """A press of prefix `e`: an invitation's answer, or a feedback answer (as a `PlanData`:
    the review, the question, the value), or None if neither."""
    invitation = parse_invitation(data)
    if invitation is not None:
        return invitation
    match = _FEEDBACK.match(data)
    return PlanData(*match.groups()) if match else None


def feedback_keyboard(ref: str, prompt: Prompt) -> InlineKeyboardMarkup | None:
    """A feedback question's buttons (the safety score, 1 to 5, in one row)."""
    if not prompt.options:
        return None
    row = [
        (option.label, _checked(f"{EVENT_PREFIX}:{ref}:{prompt.id}:{option.value}"))
        for option in prompt.options
    ]
    return buttons([row])


def themes_keyboard(ref: str, themes: Sequence[str], chosen: Sequence[str]) -> InlineKeyboardMarkup:
    """One button a theme (those chosen ticked), then `Done`."""
    rows = []
    for n, theme in enumerate(themes):
        label = labels.button("ticked", label=theme) if theme in chosen else theme
        rows.append([(label, f"{THEMES_PREFIX}:{ref}:{n}")])
    rows.append([(labels.button("themes_done"), f"{THEMES_PREFIX}:{ref}:{THEMES_DONE}")])
    return buttons(rows)


def parse_themes(data: str) -> tuple[str, int | None] | None:
    """(ref, the theme's place, or None for `Done`) of a press on the themes, or None."""
    match = _THEMES.match(data)
    if match is None:
        return None
    return match[1], None if match[2] == THEMES_DONE else int(match[2])


def agency_key(agency: str) -> str:
    """The 8 hex digits naming an agency in callback data (its name, any case, hashed)."""
    return hashlib.sha256(agency.casefold().encode()).hexdigest()[:8]


def agency_review_data(ref: str, agency: str, answer: str) -> str:
    """Callback data for `start`, `submit`, or a question's button as `<question>:<value>`."""
    return _checked(f"{AGENCY_REVIEW_PREFIX}:{ref}:{agency_key(agency)}:{answer}")


def parse_agency_review(data: str) -> tuple[str, ...] | None:
    """(ref, agency key, `start`|`submit`|`answer`, question, value) of a press, or None."""
    found = _AGENCY_REVIEW.match(data)
    return None if not found else (*found.group(1, 2), found[3] or "answer", *found.group(4, 5))

"""The learning brief of SPEC §7 (`/brief REF`): `BriefDialog` and its `BriefSession`s.

The sections are the table `dialogs.brief_questions.BRIEF`, run by the questionnaire core
(`dialogs.core`). What is the brief's own is here: the referral it is for. A session is its
referral, its state name and its answers, which the caller stores and restores.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.brief_questions import BRIEF
from dialogs.core.dialog import Dialog
from dialogs.core.session import Session


class BriefDialog(Dialog):
    """The learning brief (no agencies to choose from inside it: they come with `/brief`)."""

    def __init__(self) -> None:
        super().__init__(BRIEF)

    def start(self, ref: str) -> BriefSession:
        """A new brief for referral `ref`, at its first section."""
        return BriefSession(self, ref, BRIEF.first, {})

    def restore(self, ref: str, state: str, answers: Mapping[str, Any]) -> BriefSession:
        """The brief stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        return BriefSession(self, ref, state, self.validate(state, answers))


class BriefSession(Session):
    """The learning brief of one referral, attached to the brief's machine as a model."""

    def __init__(self, dialog: BriefDialog, ref: str, state: str, answers: dict[str, Any]) -> None:
        super().__init__(dialog, state, answers, {"ref": ref})
        self.ref = ref

    def __repr__(self) -> str:
        return f"<BriefSession {self.ref} at {self.state!r}, {len(self._answers)} answers>"

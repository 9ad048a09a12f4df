"""The feedback after a learning event (SPEC §9): `FeedbackDialog` and its `FeedbackSession`s.

The questions are the table `dialogs.feedback_questions.FEEDBACK`, run by the questionnaire
core (`dialogs.core`). What is the feedback's own is here: the review whose event it is about.
A session is its review, its state name and its answers, which the caller stores and restores
(apart from the person once finished: `storage.learning_events`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.core.dialog import Dialog
from dialogs.core.session import Session
from dialogs.feedback_questions import FEEDBACK


class FeedbackDialog(Dialog):
    """The three questions after a learning event."""

    def __init__(self) -> None:
        super().__init__(FEEDBACK)

    def start(self, ref: str) -> FeedbackSession:
        """New feedback on the event of review `ref`, at its first question."""
        return FeedbackSession(self, ref, FEEDBACK.first, {})

    def restore(self, ref: str, state: str, answers: Mapping[str, Any]) -> FeedbackSession:
        """Feedback stored as (`state`, `answers`); `DialogStateError` if they misfit."""
        return FeedbackSession(self, ref, state, self.validate(state, answers))


class FeedbackSession(Session):
    """One attendee's feedback on the event of one review."""

    def __init__(
        self, dialog: FeedbackDialog, ref: str, state: str, answers: dict[str, Any]
    ) -> None:
        super().__init__(dialog, state, answers, {"ref": ref})
        self.ref = ref

    def __repr__(self) -> str:
        return f"<FeedbackSession {self.ref} at {self.state!r}, {len(self._answers)} answers>"

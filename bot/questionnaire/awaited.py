"""Questionnaires whose typed answers come where an awaited input of their kind points.

An `AwaitedFlow` (the review plan, the learning brief; a questionnaire answered in a private
chat alike) records, when it asks a typed question, that the person's next text answers it
(`storage.inputs`, its `kind`, the question in the input's data). A text then reopens the
session the input names, checks that it still waits at that question (else the person is told
that it moved on, and shown where it is), and goes through the runner; a session no longer
open forgets the input and says so. A refused text is answered with the reason and the
reference it is about.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from telegram import Message

from bot.context import Context, Services, services
from bot.delivery import messaging
from bot.questionnaire import runner
from bot.questionnaire.runner import Flow, Opened, S, Turn
from dialogs.core.prompts import AnswerRefused
from storage import inputs
from storage.inputs import AwaitedInput, InputKind
from templates import render


class AwaitedFlow(Flow[S]):
    """A flow whose typed answers are awaited inputs of `kind`; `closed` is the template told
    when the session is no longer open (`why="no_longer_open"`) or moved on (`"moved_on"`)."""

    kind: InputKind
    closed: str

    @abstractmethod
    def reopen(self, s: Services, ref: str) -> S | None:
        """The session kept under `ref` while it is open, else None."""

    @abstractmethod
    async def show(
        self, context: Context, turn: Turn, session: S, notes: Sequence[str] = ()
    ) -> None:
        """Show the session's current question (after `notes`) and await its typed answer."""

    async def take(self, context: Context, awaited: AwaitedInput | None, typed: Message) -> bool:
        """Answer the text `typed` (what its sender's next text was awaited as: `awaited`)
        through the runner (a questionnaire answered in the private chat would take its route
        of `bot.practitioner.pending.ROUTES` from here, given the `Typed` text's message)."""
        assert typed.from_user is not None
        await runner.run(self, context, Turn.typed(typed, typed.from_user, awaited))
        return True

    async def open(self, context: Context, turn: Turn) -> Opened[S] | None:
        s = services(context)
        awaited = turn.awaited
        if awaited is None or awaited.kind != self.kind or not awaited.ref:
            return None
        session = self.reopen(s, awaited.ref)
        if session is None:
            inputs.clear(s.db, turn.user.id, self.kind)
            text = render(self.closed, why="no_longer_open", ref=awaited.ref)
            await messaging.send(context, turn.chat_id, text)
            return None
        return Opened(session, awaited.ref)

    async def at_step(self, context: Context, turn: Turn, opened: Opened[S]) -> bool:
        if turn.awaited is None or opened.session.state == turn.awaited.data.get("question"):
            return True
        note = render(self.closed, why="moved_on", ref=opened.key)
        await self.show(context, turn, opened.session, [note])
        return False

    async def refused(
        self, context: Context, turn: Turn, opened: Opened[S], refusal: AnswerRefused
    ) -> None:
        if turn.query is not None:
            await super().refused(context, turn, opened, refusal)
            return
        await messaging.send(context, turn.chat_id, f"{refusal.reason}\n\n({opened.key})")

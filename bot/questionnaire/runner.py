"""The questionnaire runner: `run` answers one `Turn` of any questionnaire through its `Flow`.

Every answer goes the same way: the flow reopens the session the turn answers (`Flow.open`, or
says why it cannot), checks that the session is at the step the turn answers (`Flow.at_step`),
the session takes the answer, a refusal (`AnswerRefused`) is shown and changes nothing
(`Flow.refused`: an alert on a press, a message for a typed text), and the flow saves the
answer through its service and shows what comes next (`Flow.answered`). What differs between
questionnaires (a private check edited in place, a plan asked in the board group) is in the
flows' hooks; the order is here, once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, Message, User

from bot.context import Context
from bot.delivery import messaging
from dialogs.core.prompts import AnswerRefused, Prompt, Step
from dialogs.core.session import Session
from storage.inputs import AwaitedInput

S = TypeVar("S", bound=Session)


@dataclass(frozen=True)
class Turn:
    """One answer as it came in: who gave it, in which chat, the value given and, for a
    press, the question its button belongs to and what its data names (`key`: a draft id, a
    reference). A typed answer carries its message and what was awaited of its sender."""

    user: User
    chat_id: int
    value: str
    question: str | None = None
    key: str = ""
    query: CallbackQuery | None = None
    message: Message | None = None
    awaited: AwaitedInput | None = None

    @classmethod
    def pressed(cls, query: CallbackQuery, value: str, question: str, key: str) -> Turn:
        """A press of a question's button (its data parsed into `value`, `question`, `key`)."""
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        return cls(query.from_user, chat_id, value, question, key, query=query)

    @classmethod
    def typed(cls, message: Message, user: User, awaited: AwaitedInput | None = None) -> Turn:
        """A typed text, with what its sender's next text was awaited as (if anything)."""
        return cls(user, message.chat.id, message.text or "", message=message, awaited=awaited)

    @property
    def shown(self) -> Message | None:
        """The message a press was made on, as Telegram sent it with the press."""
        message = self.query.message if self.query is not None else None
        return message if isinstance(message, Message) else None


@dataclass(frozen=True)
class Before:
    """A session as it was before the turn's answer: its question, state and answers."""

    prompt: Prompt
    state: str
    answers: dict[str, Any]

    @classmethod
    def of(cls, session: Session) -> Before:
        """`session` as it is now."""
        return cls(session.current_prompt(), session.state, session.answers)


@dataclass(frozen=True)
class Opened(Generic[S]):
    """A session reopened for a turn, what it is kept under (a draft id, a reference) and,
    when the flow keeps one, the message its live question is shown on, as it was read."""

    session: S
    key: str
    message_id: int | None = None


class Flow(ABC, Generic[S]):
    """What one questionnaire brings to the runner: how its session is reopened, where the step
    is checked, how a refusal is shown, and what an accepted answer saves and shows."""

    @abstractmethod
    async def open(self, context: Context, turn: Turn) -> Opened[S] | None:
        """The session `turn` answers; None (having told the person why) when there is none."""

    async def at_step(self, context: Context, turn: Turn, opened: Opened[S]) -> bool:
        """Whether the session is at the step `turn` answers (else the flow has said so)."""
        return True

    async def refused(
        self, context: Context, turn: Turn, opened: Opened[S], refusal: AnswerRefused
    ) -> None:
        """Show why the answer was refused: an alert on the press, else a message."""
        if turn.query is not None:
            await messaging.answer_query(turn.query, refusal.reason, alert=True)
        else:
            await context.bot.send_message(turn.chat_id, refusal.reason)

    @abstractmethod
    async def answered(
        self, context: Context, turn: Turn, opened: Opened[S], step: Step, before: Before
    ) -> None:
        """Save the accepted answer `step` (through its service) and show what comes next."""


async def run(flow: Flow[S], context: Context, turn: Turn) -> None:
    """Answer `turn` through `flow`: reopen, check the step, answer, refuse or save and show."""
    opened = await flow.open(context, turn)
    if opened is None or not await flow.at_step(context, turn, opened):
        return
    before = Before.of(opened.session)
    try:
        step = opened.session.answer(turn.value, question=turn.question)
    except AnswerRefused as refusal:
        await flow.refused(context, turn, opened, refusal)
        return
    await flow.answered(context, turn, opened, step, before)

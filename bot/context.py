"""The typed `bot_data` (services every handler needs), the context type handlers receive, and
the type of a route for an awaited typed input (`AwaitedRoute`, given a `Typed`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import Application, CallbackContext, ExtBot

from bot.delivery.dispatch_state import DispatchState
from bot.delivery.workdays import board_day
from bot.flood import FloodGuard
from matrix import Matrix, load_matrix

if TYPE_CHECKING:
    from sqlite_utils import Database
    from telegram import Message

    from bot.settings import Settings
    from dialogs.registry import Dialogs
    from storage.inputs import AwaitedInput, InputKind


def utc_now() -> dt.datetime:
    """The production clock: the current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    """What the handlers share: settings, the database, the questionnaires (built once), the
    clock, the grading matrix of the configured profile (`MATRIX`; the 2013 profile by default)
    and the route of each awaited kind of typed input (`bot.routes.AWAITED_ROUTES`)."""

    settings: Settings
    db: Database
    dialogs: Dialogs
    clock: Callable[[], dt.datetime] = utc_now
    matrix: Matrix = field(default_factory=load_matrix)
    dispatch: DispatchState = field(default_factory=DispatchState)  # the outbox dispatcher's
    flood: FloodGuard = field(default_factory=FloodGuard)
    awaited: Mapping[InputKind, AwaitedRoute] = field(default_factory=dict)

    def today(self) -> dt.date:
        """Today in the board's time zone (Europe/London), by the services' clock: the one
        "board's today" every reminder, due date and page reckons from."""
        return board_day(self.clock())


class BotData:
    """`application.bot_data`: holds the services once `build_app` has wired them."""

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        """The wired services; an error if `build_app` did not set them."""
        if self._services is None:
            raise RuntimeError("services are not wired: build the application with build_app()")
        return self._services

    @services.setter
    def services(self, value: Services) -> None:
        self._services = value


Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
App: TypeAlias = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, Any]


@dataclass(frozen=True)
class Typed:
    """A text typed for an awaited input: as it came (`message`, which leaves the chat once
    what it says is kept), or held until its sender chose what it answers (`message` None: it
    was redacted and left the chat when it was held)."""

    user_id: int
    text: str
    first_name: str | None = None
    message: Message | None = None

    @classmethod
    def of(cls, message: Message) -> Typed:
        """A text as it came in a message."""
        sender = message.from_user
        user_id = sender.id if sender is not None else message.chat.id
        name = sender.first_name if sender is not None else None
        return cls(user_id, message.text or "", name, message)


# What a person's awaited text goes to: True when it was taken (it is not the check's).
AwaitedRoute: TypeAlias = Callable[[Context, "AwaitedInput", Typed], Awaitable[bool]]


def services(context: Context) -> Services:
    """The services of the application this callback runs in."""
    return context.bot_data.services

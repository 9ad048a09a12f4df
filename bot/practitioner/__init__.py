"""The private chat: registration, the check question by question, filing, and the typed
replies someone is waiting for (`chat` routes, `check` holds the draft and its one live
question, `pending` the awaited replies, `rights` /mydata and /forget, `lead` an agency lead's
answers on their agency's actions, `briefs` /briefs on|off and `Read it` on a learning
brief). `AWAITED` routes this package's awaited kinds of typed input
(`bot.app.AWAITED_ROUTES`)."""

from __future__ import annotations

from bot.context import App, AwaitedRoute
from bot.practitioner import briefs, chat, lead, pending, rights
from storage.inputs import InputKind

AWAITED: dict[InputKind, AwaitedRoute] = pending.ROUTES


def register(app: App) -> None:
    """Add the private chat's handlers (after the board's: they hold the catch-alls)."""
    rights.register(app)
    lead.register(app)
    briefs.register(app)
    chat.register(app)

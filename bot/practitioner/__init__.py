"""The private chat: registration, the check question by question, filing, and the typed
replies someone is waiting for (`chat` routes, `check` holds the draft and its one live
question, `check_flow` the check as a flow of the questionnaire runner, `pending` the awaited
replies, `rights` /mydata and /forget, `lead` an agency lead's answers on their agency's
actions, `agency_review` a lead's individual agency review, `briefs` /briefs on|off and
`Read it` on a learning brief, `event` an invitee's answer to a review's learning event and
their feedback after it). Their handlers are registered, in order, by `bot.routes`; `AWAITED`
routes this package's awaited kinds of typed input (`bot.routes.AWAITED_ROUTES`)."""

from __future__ import annotations

from bot.context import AwaitedRoute
from bot.practitioner import pending
from storage.inputs import InputKind

AWAITED: dict[InputKind, AwaitedRoute] = pending.ROUTES

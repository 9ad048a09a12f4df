"""`/notified` and `/rapidreview`: the statutory clocks of Working Together 2023 (SPEC §3,
Profiles), closed by officers in the board group.

`/notified REF` records that the local authority notified the Child Safeguarding Practice Review
Panel: it closes the referral's `notification` clock and starts the clocks its closing starts
(the rapid review, due 15 working days later over `BANK_HOLIDAYS`). `/rapidreview REF OUTCOME
[reason]` records the rapid review's outcome (`lcspr`, `national` or `no_review`, the last with a
reason through the one intake) as an event and closes its clock. A referral whose clock is not
open (another profile, not notifiable, not started or already closed) is refused saying which.
"""

from __future__ import annotations

from telegram import Update

from bot.board import access
from bot.context import Context, Services
from bot.delivery import workdays
from dialogs import intake
from matrix import Matrix
from services import casework
from services.grading import matrix_for
from storage import clocks
from storage.referrals import Referral
from templates import labels, render

NOTIFICATION = "notification"
RAPID_REVIEW = "rapid_review"
OUTCOMES = ("lcspr", "national", "no_review")
MAX_REASON = 2000


async def record_notified(update: Update, context: Context) -> None:
    """/notified REF: the Panel notification recorded; the rapid review's clock starts."""
    s = await access.admit(update, context, "notified")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "notified")
    if referral is None:
        return
    await _close(update, context, s, referral, NOTIFICATION, "notified", None)


async def record_rapid_review(update: Update, context: Context) -> None:
    """/rapidreview REF lcspr|national|no_review [reason]: the rapid review's outcome recorded."""
    s = await access.admit(update, context, "rapidreview")
    if s is None:
        return
    referral = await access.referral_arg(update, context, s, "rapidreview")
    if referral is None:
        return
    args = context.args or []
    outcome = args[1].lower() if len(args) > 1 else ""
    if outcome not in OUTCOMES:
        await access.usage(update, context, "rapidreview", "bad_outcome", outcome=outcome)
        return
    try:
        reason = intake.accept(access.command_text(update, 2), limit=MAX_REASON, multiline=True)
    except intake.Refused as exc:
        if exc.reason != "empty" or outcome == "no_review":
            problem = "missing_text" if exc.reason == "empty" else "too_long"
            await access.usage(
                update, context, "rapidreview", problem, length=exc.length, limit=exc.limit
            )
            return
        reason = None
    await _close(update, context, s, referral, RAPID_REVIEW, outcome, reason)


async def _close(
    update: Update,
    context: Context,
    s: Services,
    referral: Referral,
    name: str,
    outcome: str,
    reason: intake.Accepted | None,
) -> None:
    """Close clock `name` with `outcome`, start what follows, and say so in the group."""
    assert update.effective_user is not None
    now = s.clock()
    today = workdays.board_day(now)
    matrix = matrix_for(referral, s.matrix)
    following = workdays.start_clocks(
        matrix.clocks, name, today, dict(referral.flags), s.settings.bank_holidays
    )
    text = reason.text if reason is not None else ""
    words = labels.clock_outcome(outcome)
    try:
        updated = casework.close_clock(
            s.db, referral.ref, name, outcome, text, update.effective_user.id, now, following
        )
    except clocks.ClockNotOpen:
        await access.reply(update, context, _refusal(referral, name, matrix))
        return
    closed = updated.clock(name)
    reply = render(
        "bot/officers/clock_closed.j2",
        ref=referral.ref,
        label=closed.label if closed else name,
        outcome=words,
        reason=text,
        removed=reason.removed if reason is not None else (),
        started=[c for c in updated.clocks if c in following],
        late=bool(closed and closed.due_on < today),
    )
    await access.reply(update, context, reply)


def _refusal(referral: Referral, name: str, matrix: Matrix) -> str:
    """Why clock `name` of `referral` cannot be closed: closed already, not started yet, or none."""
    clock = referral.clock(name)
    if clock is not None:
        return render(
            "bot/officers/clock_refused.j2",
            ref=referral.ref,
            why="closed",
            label=clock.label,
            closed=clock.closed_at,
            outcome=labels.clock_outcome(clock.outcome or ""),
        )
    pending = any(rule.name == name for rule in matrix.clocks_for(referral.flags))
    return render(
        "bot/officers/clock_refused.j2",
        ref=referral.ref,
        why="not_started" if pending else "none",
        clock=name,
        profile=referral.profile,
    )

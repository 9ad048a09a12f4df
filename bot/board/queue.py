"""`/queue` (open referrals, urgent on top, then oldest, paged with `g:<page>` buttons; its
first page lists the open statutory clocks, overdue first) and
`/stats` (counts by status and grade, referrals this year, median days to decision), and
`/dashboard` (how to open the board's dashboard, `bot.dashboard`, from the bot's menu button).

A page button is checked like a command: only officers and chairs may turn the page (anyone
else gets an alert, and the attempt is logged); a page past the end shows the last one.
"""

from __future__ import annotations

import math
import statistics

from telegram import InlineKeyboardMarkup, Update

from bot.board import access
from bot.context import Context, Services, services
from bot.delivery import keyboards, messaging
from matrix.model import GRADES, NONE
from services.refusals import refuse_page
from storage import referrals, reports
from storage.lifecycle import STATUSES
from templates import labels, render

PAGE_SIZE = 8


def queue_page(s: Services, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of one page of the queue (pages count from 0; clamped)."""
    total = referrals.count_open(s.db)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    now = s.clock()
    lines = [
        {
            "ref": r.ref,
            "grade": labels.grade_label(r.grade),
            "status": labels.status_label(r.status, r.profile),
            "days": max(0, (now - r.created_at).days),
            "urgent": r.urgent,
        }
        for r in referrals.list_open(s.db, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    ]
    clocks = clock_lines(s) if page == 0 else []
    text = render(
        "bot/officers/queue.j2",
        lines=lines,
        page=page + 1,
        pages=pages,
        total=total,
        clocks=clocks,
    )
    return text, keyboards.page_keyboard(page, pages)


def clock_lines(s: Services) -> list[dict[str, object]]:
    """Every open statutory clock (SPEC §3, Profiles), overdue first, then soonest due."""
    today = s.today()
    lines = [
        {
            "ref": referral.ref,
            "label": clock.label,
            "due": clock.due_on,
            "overdue": clock.overdue_on(today),
            "due_today": clock.due_on == today,
        }
        for referral in referrals.with_open_clocks(s.db)
        for clock in referral.clocks
        if clock.is_open
    ]
    lines.sort(key=lambda line: (not line["overdue"], line["due"], line["ref"]))
    return lines


async def show_queue(update: Update, context: Context) -> None:
    """/queue: the first page of open referrals."""
    s = await access.admit(update, context, "queue")
    if s is None:
        return
    text, markup = queue_page(s, 0)
    await access.reply(update, context, text, markup)


async def turn_page(update: Update, context: Context) -> None:
    """A `g:<page>` press: checked, then the queue message shows that page."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    page = keyboards.parse_page(query.data)
    if page is None or query.message is None or not access.in_board_group(s, update):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    user_id = query.from_user.id
    if not s.settings.is_officer(user_id):
        refuse_page(s.db, user_id, s.clock())
        await messaging.answer_query(
            query, render("bot/officers/not_officer.j2", command="queue"), alert=True
        )
        return
    text, markup = queue_page(s, page)
    await messaging.edit(context, query.message.chat.id, query.message.message_id, text, markup)
    await messaging.answer_query(query)


def stats_context(s: Services) -> dict[str, object]:
    """The figures of `/stats`, as plain values for the template."""
    year = s.clock().year
    by_status = referrals.count_by_status(s.db)
    by_grade = referrals.count_by_grade(s.db)
    days = reports.decision_days(s.db)  # once: it reads every decided referral
    median = statistics.median(days) if days else None
    decided = len(days)
    return {
        "total": sum(by_status.values()),
        "year": year,
        "this_year": referrals.count_referrals(s.db, year),
        "statuses": [
            (labels.status_label(st), by_status[st]) for st in STATUSES if st in by_status
        ],
        "grades": [
            (labels.grade_label(g), by_grade[g]) for g in (*GRADES, NONE) if by_grade.get(g)
        ],
        "median": None if median is None else round(median, 1),
        "decided": decided,
    }


async def show_stats(update: Update, context: Context) -> None:
    """/stats: counts by status and grade, referrals this year, median days to decision."""
    s = await access.admit(update, context, "stats")
    if s is None:
        return
    await access.reply(update, context, render("bot/officers/stats.j2", **stats_context(s)))


async def show_dashboard(update: Update, context: Context) -> None:
    """/dashboard: how to open the dashboard (or that this board has none)."""
    s = await access.admit(update, context, "dashboard")
    if s is None:
        return
    text = render(
        "bot/officers/dashboard.j2",
        served=bool(s.settings.webapp_url),
        button=labels.button("dashboard"),
        bot=context.bot.username,
    )
    await access.reply(update, context, text)

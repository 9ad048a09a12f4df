"""`/queue` (open referrals, urgent on top, then oldest, paged with buttons that carry a place
in that order, `bot.delivery.queue_keyboards`, so a page reads its own few referrals from an
index, `storage.queue`; its first page lists the open statutory clocks, overdue first) and
`/stats` (counts by status and grade, referrals this year, median days to decision), and
`/dashboard` (how to open the board's dashboard, `bot.dashboard`, from the bot's menu button).

A page button is checked like a command: only officers and chairs may turn the page (anyone
else gets an alert, and the attempt is logged); a page past the end shows the last one, and a
button naming a referral that never was gets an alert and changes nothing.
"""

from __future__ import annotations

import math
import statistics

from telegram import InlineKeyboardMarkup, Update

from bot.board import access
from bot.context import Context, Services, services
from bot.delivery import messaging, queue_keyboards
from bot.delivery.queue_keyboards import NEXT, PageData
from matrix.model import GRADES, NONE
from services.refusals import refuse_page
from storage import queue, referrals, reports
from storage.lifecycle import STATUSES
from storage.referral_record import Referral
from templates import labels, render

PAGE_SIZE = 8


def first_page(s: Services) -> tuple[str, InlineKeyboardMarkup | None]:
    """The first page of the queue, with the open statutory clocks."""
    found = queue.after(s.db, None, PAGE_SIZE + 1)
    return _page(s, 0, found[:PAGE_SIZE], earlier=False, more=len(found) > PAGE_SIZE)


def turned_page(s: Services, press: PageData) -> tuple[str, InlineKeyboardMarkup | None] | None:
    """The page a button asks for: after or before the referral it names (that referral's place
    stands even if it was decided since), else the first or the last page when nothing is left
    on that side; an older button's page by its number. None when the referral is unknown."""
    if press.ref is None:
        return numbered_page(s, press.page)
    key = queue.key_of(s.db, press.ref)
    if key is None:
        return None
    if press.way == NEXT:
        found = queue.after(s.db, key, PAGE_SIZE + 1)
        if not found:
            return last_page(s)
        shown = found[:PAGE_SIZE]
        earlier = bool(queue.before(s.db, queue.place(shown[0]), 1))
        return _page(s, press.page, shown, earlier=earlier, more=len(found) > PAGE_SIZE)
    found = queue.before(s.db, key, PAGE_SIZE + 1)
    if len(found) <= PAGE_SIZE:
        return first_page(s)
    shown = found[1:]
    more = bool(queue.after(s.db, queue.place(shown[-1]), 1))
    return _page(s, press.page, shown, earlier=True, more=more)


def last_page(s: Services) -> tuple[str, InlineKeyboardMarkup | None]:
    """The last page of the queue (a page past the end shows it)."""
    found = queue.before(s.db, None, PAGE_SIZE + 1)
    if len(found) <= PAGE_SIZE:
        return first_page(s)
    return _page(s, -1, found[1:], earlier=True, more=False)


def numbered_page(s: Services, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page `page` (from 0; clamped) by its number, for the buttons sent before pages carried a
    place: read past the pages before it, as those buttons always were."""
    pages = max(1, math.ceil(referrals.count_open(s.db) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    if page == 0:
        return first_page(s)
    shown = referrals.list_open(s.db, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    return _page(s, page, shown, earlier=True, more=page < pages - 1)


def _page(
    s: Services, page: int, shown: list[Referral], *, earlier: bool, more: bool
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and buttons of a page showing `shown`, with open referrals before it
    (`earlier`) and after it (`more`). Its number is the one its button carried, kept within
    what the count of open referrals allows: the first page when none is before it, the last
    when none is after (pages move as referrals are decided; the buttons follow the places)."""
    total = referrals.count_open(s.db)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if not earlier:
        page = 0
    elif not more:
        page = pages - 1
    else:
        page = min(max(page, 1), max(1, pages - 2))
    now = s.clock()
    lines = [
        {
            "ref": r.ref,
            "grade": labels.grade_label(r.grade),
            "status": labels.status_label(r.status, r.profile),
            "days": max(0, (now - r.created_at).days),
            "urgent": r.urgent,
        }
        for r in shown
    ]
    clocks = clock_lines(s) if not earlier else []
    text = render(
        "bot/officers/queue.j2",
        lines=lines,
        page=page + 1,
        pages=pages,
        total=total,
        clocks=clocks,
    )
    first = shown[0].ref if earlier and shown else None
    last = shown[-1].ref if more and shown else None
    return text, queue_keyboards.page_keyboard(page, first, last)


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
    text, markup = first_page(s)
    await access.reply(update, context, text, markup)


async def turn_page(update: Update, context: Context) -> None:
    """A page button's press: checked, then the queue message shows that page."""
    query = update.callback_query
    assert query is not None and query.data is not None
    s = services(context)
    press = queue_keyboards.parse_page(query.data)
    if press is None or query.message is None or not access.in_board_group(s, update):
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    user_id = query.from_user.id
    if not s.settings.is_officer(user_id):
        refuse_page(s.db, user_id, s.clock())
        await messaging.answer_query(
            query, render("bot/officers/not_officer.j2", command="queue"), alert=True
        )
        return
    turned = turned_page(s, press)
    if turned is None:  # a referral that never was: forged; the message stays as it is
        await messaging.answer_query(query, render("bot/invalid_button.j2"), alert=True)
        return
    text, markup = turned
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

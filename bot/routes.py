"""The routing table: every handler of the bot, in the order in which they match.

python-telegram-bot offers an update to its handler groups in ascending number; in each group
the first handler whose check passes takes it and the others of that group never see it. The
bot uses two groups: the flood guard alone in group -1 (it sees every update first and stops a
flooding sender's with `ApplicationHandlerStop`), then every handler in group 0, where the
order below decides who answers. Sections of group 0 whose updates cannot overlap (a command,
a press by its callback prefix, a typed text) could be in any order among themselves; what
must come before what is said at each. `tests/bot/test_routes.py` pins which handler takes
which update.

The handlers stay in their modules (`bot.board.*`, `bot.practitioner.*`, `bot.membership`,
`bot.flood`); only the filters that decide where a handler answers are here, with the table of
awaited kinds of typed input (`AWAITED_ROUTES`). `build_app`
calls `add_routes` once.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import board, flood, membership, practitioner
from bot.board import (
    access,
    actions,
    agency_reviews,
    briefs,
    casework,
    chair,
    clocks,
    events,
    overview,
    planning,
    queue,
    regrades,
    reviews,
    terms,
    tor,
)
from bot.context import App, AwaitedRoute, Context
from bot.delivery import keyboards, queue_keyboards, review_keyboards
from bot.practitioner import agency_review, chat, event, lead, pending, rights
from bot.practitioner import briefs as practitioner_briefs
from storage.inputs import InputKind

FLOOD_GROUP = -1  # before every other handler
MAIN_GROUP = 0

PRIVATE = filters.ChatType.PRIVATE
NEW_MESSAGE = filters.UpdateType.MESSAGE  # not an edit: an edited message is refused
PRIVATE_MESSAGE = PRIVATE & NEW_MESSAGE
GROUP = access.GROUP_COMMAND  # a new message in a group (the access check says which one)
# `/done` and `/drop` also answer an agency lead in their private chat.
CHANGE_COMMAND = GROUP | PRIVATE_MESSAGE

Handler = BaseHandler[Update, Context, object]

# Typed texts someone is waiting for: where a private text awaited as each kind goes (the board's
# kinds and the private chat's; `bot.practitioner.pending` dispatches through it, handed to the
# handlers as `Services.awaited`).
AWAITED_ROUTES: dict[InputKind, AwaitedRoute] = {**board.AWAITED, **practitioner.AWAITED}


def add_routes(app: App) -> None:
    """Register every handler of the bot, in order (called once, by `build_app`)."""
    app.add_handler(TypeHandler(Update, flood.guard_flood), group=FLOOD_GROUP)
    app.add_handlers(main_handlers(app), group=MAIN_GROUP)


def main_handlers(app: App) -> list[Handler]:
    """Group 0, first match wins."""
    return [
        # Buttons first, the most frequent updates (no command, text or membership handler
        # takes a press, so this section may come first), each by its callback prefix
        # (`bot.delivery.keyboards`: no two prefixes overlap, so their order is free: the
        # check's answers, by far the most pressed, come first); the handler checks the rest of
        # the data against the stored state. A press none of them claims goes on to the
        # catch-all at the end.
        CallbackQueryHandler(chat.press_answer, pattern=keyboards.ANSWER_PATTERN),
        CallbackQueryHandler(queue.turn_page, pattern=queue_keyboards.PAGE_PATTERN),
        CallbackQueryHandler(planning.press_plan, pattern=keyboards.PLAN_PATTERN),
        CallbackQueryHandler(briefs.press_brief, pattern=keyboards.BRIEF_PATTERN),
        CallbackQueryHandler(terms.press_terms, pattern=keyboards.TERMS_PATTERN),
        CallbackQueryHandler(chair.press_decision, pattern=keyboards.CHAIR_PATTERN),
        CallbackQueryHandler(regrades.press_lower, pattern=keyboards.LOWER_PATTERN),
        CallbackQueryHandler(rights.press_forget, pattern=keyboards.FORGET_PATTERN),
        CallbackQueryHandler(lead.press_action, pattern=keyboards.ACTION_PATTERN),
        CallbackQueryHandler(agency_review.press, pattern=review_keyboards.AGENCY_REVIEW_PATTERN),
        CallbackQueryHandler(practitioner_briefs.press_read, pattern=keyboards.READ_PATTERN),
        CallbackQueryHandler(
            practitioner_briefs.press_document, pattern=keyboards.DOCUMENT_PATTERN
        ),
        CallbackQueryHandler(pending.press_which, pattern=keyboards.WHICH_PATTERN),
        CallbackQueryHandler(event.press_event, pattern=review_keyboards.EVENT_PATTERN),
        CallbackQueryHandler(events.press_theme, pattern=review_keyboards.THEMES_PATTERN),
        # The bot's own membership of a chat (only `my_chat_member` updates, which nothing
        # else takes): outside the board group and private chats it says so and leaves.
        ChatMemberHandler(membership.bot_added, ChatMemberHandler.MY_CHAT_MEMBER),
        # The board group's commands, for officers and chairs in the board group (others are
        # told by the access check). The group's `/help` comes before the private chat's.
        CommandHandler("help", board.group_help, filters=GROUP),
        CommandHandler("queue", queue.show_queue, filters=GROUP),
        CommandHandler("stats", queue.show_stats, filters=GROUP),
        CommandHandler("case", casework.show_case, filters=GROUP),
        CommandHandler("note", casework.add_note, filters=GROUP),
        CommandHandler("ask", casework.ask_practitioner, filters=GROUP),
        CommandHandler("status", casework.move_status, filters=GROUP),
        CommandHandler("invite", casework.invite, filters=GROUP),
        CommandHandler("plan", planning.start_plan, filters=GROUP),
        CommandHandler("tor", tor.send_tor, filters=GROUP),
        CommandHandler("reviews", reviews.show_reviews, filters=GROUP),
        CommandHandler("chronology", overview.send_chronology, filters=GROUP),
        CommandHandler("overview", overview.send_overview, filters=GROUP),
        CommandHandler("finding", actions.add_finding, filters=GROUP),
        CommandHandler("action", actions.add_action, filters=GROUP),
        CommandHandler("actions", actions.list_actions, filters=GROUP),
        CommandHandler("done", actions.close_action, filters=CHANGE_COMMAND),
        CommandHandler("drop", actions.drop_action, filters=CHANGE_COMMAND),
        CommandHandler("notified", clocks.record_notified, filters=GROUP),
        CommandHandler("rapidreview", clocks.record_rapid_review, filters=GROUP),
        CommandHandler("brief", briefs.start_brief, filters=GROUP),
        CommandHandler("reach", briefs.show_reach, filters=GROUP),
        CommandHandler("dashboard", queue.show_dashboard, filters=GROUP),
        CommandHandler("event", events.event, filters=GROUP),
        CommandHandler("themes", events.show_themes, filters=GROUP),
        CommandHandler("iars", agency_reviews.show_iars, filters=GROUP),
        # The private chat's commands: before its catch-all for unknown commands.
        CommandHandler("mydata", rights.show_my_data, filters=PRIVATE_MESSAGE),
        CommandHandler("forget", rights.ask_forget, filters=PRIVATE_MESSAGE),
        CommandHandler("briefs", practitioner_briefs.set_briefs, filters=PRIVATE_MESSAGE),
        CommandHandler("start", chat.start_check, filters=PRIVATE_MESSAGE),
        CommandHandler("back", chat.go_back, filters=PRIVATE_MESSAGE),
        CommandHandler("cancel", chat.cancel_check, filters=PRIVATE_MESSAGE),
        CommandHandler("help", chat.show_help, filters=PRIVATE_MESSAGE),
        CommandHandler("privacy", chat.show_privacy, filters=PRIVATE_MESSAGE),
        # Awaited texts: in the board group only from the one person whose plan answer or
        # brief section is awaited (every other message there passes by untouched); in the
        # private chat every typed text (`bot.practitioner.pending` routes an awaited one).
        MessageHandler(access.awaited_text(app, InputKind.PLAN), planning.receive_plan_text),
        MessageHandler(access.awaited_text(app, InputKind.BRIEF), briefs.receive_brief_text),
        MessageHandler(PRIVATE_MESSAGE & filters.TEXT & ~filters.COMMAND, chat.receive_text),
        # The private chat's catch-alls, last: an unknown command, an edit, an attachment, and
        # any press no pattern above claimed (garbage or forged data), anywhere.
        MessageHandler(PRIVATE_MESSAGE & filters.COMMAND, chat.unknown_command),
        MessageHandler(PRIVATE & filters.UpdateType.EDITED, chat.refuse_edit),
        MessageHandler(PRIVATE_MESSAGE & ~filters.TEXT, chat.refuse_attachment),
        CallbackQueryHandler(chat.refuse_button),
    ]

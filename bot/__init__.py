"""Telegram adapter: settings, application wiring, handlers, dispatcher and the CLI.

Importing it opts in to python-telegram-bot's timedelta time periods (`PTB_TIMEDELTA`, see
`bot.settings.opt_in_to_timedelta`), before the bot makes any request.
"""

from bot.settings import opt_in_to_timedelta

opt_in_to_timedelta()

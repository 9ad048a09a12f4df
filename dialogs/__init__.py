"""Conversations as `transitions` state machines, independent of Telegram.

`dialogs.questions` holds the practitioner's questions as data, `dialogs.machine` turns such a
table into one machine, `dialogs.practitioner` is the conversation API the bot, the demo and the
tests drive, and `dialogs.redact` is the privacy guard applied to every free text.
"""

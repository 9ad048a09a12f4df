"""The board group's commands, known to both sides of the bot: the board's access check and
usage lines (`bot.board.access`) and the private chat, which tells someone who types one there
that it works in the board group.
"""

from __future__ import annotations

# The board group's commands (their usage lines are in `bot/officers/usage.j2`).
COMMANDS = (
    *("queue", "case", "note", "ask", "invite", "status", "plan", "tor", "stats"),
    *("finding", "action", "actions", "done", "drop"),
    *("notified", "rapidreview"),
)

"""An approved LCSPR's statutory dates (Working Together 2023, SPEC §3 Profiles).

Under the wt2023 profile a review plan's report date defaults to 6 months after the partners'
decision (`dialogs.plan.lcspr_defaults`), and the report goes to the Child Safeguarding Practice
Review Panel and the Secretary of State 7 working days before publication: `panel_due` is that
day (recorded when the plan is complete, reminded by `bot.delivery.reminders`).
"""

from __future__ import annotations

import datetime as dt

from bot.context import Services
from bot.delivery import workdays
from dialogs.plan import PANEL_WORKING_DAYS, lcspr_defaults
from storage.referrals import Referral

LCSPR_PROFILE = "wt2023"


def plan_defaults(referral: Referral) -> dict[str, str]:
    """The statutory default dates of `referral`'s plan ({} outside an approved LCSPR)."""
    if referral.profile != LCSPR_PROFILE or referral.decided_at is None:
        return {}
    return lcspr_defaults(workdays.board_day(referral.decided_at))


def panel_due(s: Services, publication: dt.date) -> dt.date:
    """The day the report goes to the Panel and the Secretary of State, for a publication."""
    return workdays.working_days_before(publication, PANEL_WORKING_DAYS, s.settings.bank_holidays)

"""The chair's decision card as it stands (SPEC §3): the referral with the four buttons while
undecided, the outcome, who decided and when once decided; under a joint decision, where each
partner stands. Always one message: a description too long for that is shortened on the card.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from bot.delivery import keyboards, messaging
from bot.delivery.deciders import decided_by_name
from bot.delivery.referral_texts import Rendered, referral_context, when
from dialogs.intake import telegram_length
from matrix import Matrix
from storage.referrals import Referral
from templates import labels, render


def chair_card(
    referral: Referral,
    matrix: Matrix,
    *,
    by: str | None = None,
    today: dt.date | None = None,
    partners: list[Any] | None = None,
) -> Rendered:
    """The decision card as it stands: buttons while undecided, the outcome once decided
    (by the chair named `by`, when the caller knows their name; in the words of `matrix`, the
    configured profile's); under a joint decision,
    `partners` (`bot.delivery.partners.standings`) says who has decided what. It always fits one
    message: a description too long for that is shortened on the card (`/case` shows it whole)."""

    def card(shown: Referral) -> str:
        context = {**referral_context(shown, matrix, today), "partners": partners}
        if shown.is_undecided:
            return render("bot/chair_card.j2", **context)
        return render(
            "bot/decided_card.j2",
            outcome=labels.decision_label(shown.decision, shown.profile),
            by=decided_by_name(shown, by),
            when=when(shown.decided_at),
            reason=shown.decision_reason or "",
            **context,
        )

    text = card(referral)
    excess = messaging.visible_length(text) - messaging.LIMIT  # in Telegram's UTF-16 units
    if excess > 0:
        shortened = labels.phrase("shortened")
        room = telegram_length(referral.description) - excess - telegram_length(shortened)
        kept = messaging.cut_to(referral.description, max(0, room)).rstrip()
        text = card(replace(referral, description=kept + shortened))
    shown = referral.card_version
    markup = keyboards.decision_keyboard(referral.ref, shown) if referral.is_undecided else None
    return Rendered(text, markup)

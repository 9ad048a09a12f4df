"""Step 14: Decision buttons name the version of what they were shown with: a learning brief
keeps a version (counted on across a rewrite, which begins the brief again), and a referral a
`card_version` bumped by a trigger on every change its decision card shows (status, grade,
flags, criteria, description, the decision), so a press on a card shown before the change is
refused; each partner's press keeps the version it was made on."""

from __future__ import annotations

# The referral's columns its decision card shows: a change to any of them is a new version.
_SHOWN = (
    "status",
    "grade",
    "flags",
    "matched",
    "result",
    "description",
    "case_reference",
    "agencies",
    "urgent",
    "decision",
)
_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _SHOWN)

STATEMENTS: tuple[str, ...] = (
    "ALTER TABLE briefs ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE referrals ADD COLUMN card_version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE partner_presses ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    f"""CREATE TRIGGER referrals_card_version AFTER UPDATE OF {", ".join(_SHOWN)} ON referrals
        WHEN {_CHANGED}
        BEGIN
            UPDATE referrals SET card_version = OLD.card_version + 1 WHERE ref = NEW.ref;
        END""",
)

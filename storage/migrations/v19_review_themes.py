"""Step 19: The practice themes of a review (SPEC §9, "Themes"; framework item 14, "themes
emerging"): at most three a review, each with who chose it and when, so the annual update can
count the year's reviews by theme."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE review_themes (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            theme TEXT NOT NULL,
            chosen_by INTEGER,
            chosen_at TEXT NOT NULL,
            PRIMARY KEY (ref, theme)
        )""",
)

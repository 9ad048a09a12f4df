"""The draft overview report names the practitioners' learning event without names and the
review's practice themes (SPEC §9): each a part after the lessons, said plainly when there is
none yet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filed import SEVERE
from reviewed import NHS, agency_review, reviewed, typed

from reports.blocks import Items, Part
from reports.overview import overview_parts
from services import learning_events as event_service
from services.learning_events import When
from storage import event_feedback, learning_events, themes
from storage.db import open_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _texts(parts: tuple[Part, ...], key: str) -> list[str]:
    """A part's heading, then its paragraphs and list items, in order."""
    [part] = [p for p in parts if p.key == key]
    out = [part.heading]
    for block in part.blocks:
        out += list(block.items) if isinstance(block, Items) else [getattr(block, "text", "")]
    return out


def test_the_event_and_themes_parts_say_there_is_none_yet(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = reviewed(db, SEVERE, NOW).ref
    agency_review(db, ref, "Health", NOW, lead=11, chronology=[("2025-10-01", "Visit")])
    _, parts = overview_parts(db, ref)
    keys = [p.key for p in parts]
    assert (
        keys.index("learning") < keys.index("event") < keys.index("themes") < keys.index("findings")
    )
    assert _texts(parts, "event")[1] == "No learning event has been held yet (/event)."
    assert _texts(parts, "themes")[1] == "No theme has been chosen yet (/themes)."


def test_the_event_is_reported_without_names_and_the_themes_in_order(tmp_path: Path) -> None:
    db = open_db(tmp_path / "t.db")
    ref = reviewed(db, SEVERE, NOW).ref
    agency_review(db, ref, "Health", NOW, lead=11, chronology=[("2025-10-01", "Visit")])
    when = When(NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=1, hours=2))
    event_service.schedule_event(db, ref, when, "Library", 3001, "Olu", NOW)
    learning_events.invite(db, ref, {11: "Health", 12: "Police", 13: "Police"}, NOW)
    for user in (11, 12):
        event_service.answer_invitation(db, ref, user, 1, "coming", NOW)
    ended = NOW + dt.timedelta(days=1, hours=3)
    event_service.queue_questions(db, ended, "learned")
    said = typed(f"Ring the GP on {NHS} first")
    assert event_feedback.finish_feedback(db, ref, 11, "done", "Listen", said, 4)
    assert event_feedback.finish_feedback(db, ref, 12, "done", "Ask", "Challenge more", 2)
    for theme in ("neglect", "babies"):
        themes.toggle(db, ref, theme, 3001, None, NOW)

    _, parts = overview_parts(db, ref)
    event = _texts(parts, "event")
    assert event[1] == (
        "Held on 03 March 2026: 3 invited, 2 said they would come, 2 gave feedback. "
        "Feedback is kept without names."
    )
    assert event[2] == "How safe it felt to speak openly (1 to 5): mean 3.0, from 2 to 4."
    assert "Challenge more" in event and said in event and NHS not in " ".join(event)
    assert not any("Lead of" in line or "Olu" in line for line in event)
    assert _texts(parts, "themes")[1:] == ["neglect", "babies"]

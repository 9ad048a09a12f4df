"""Synthetic referrals for the retention and rights tests: each free text carries a made-up word
found nowhere else, so a test can look for it in the database file's bytes.

`declined_case` files a referral whose description, case reference, question, answer, note and
the chair's reason each hold one such word, then declines it; `closed_case` takes one through
approval, a review plan with typed answers, a status reason and a grade change, to closed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from filed import file
from sqlite_utils import Database

from storage import info_requests, plans, referrals
from storage.events import append_event

CHAIR = 7001
OFFICER = 7501
BOARD_CHAT = -1009876
REFERRER = 5001

# One made-up word per free text; none of them is an identifier the redaction would take.
DECLINED_TEXTS = {
    "description": "Quillfeather toddler bruising seen by the nursery twice",
    "case_reference": "Marrowgate-77",
    "question": "Zanzibrook health visiting: was the child seen in May?",
    "answer": "Plumtrellis visit recorded, yes",
    "note": "Wobbleton school called about attendance",
    "reason": "Glimmerhaven threshold not met for a review",
}
CLOSED_TEXTS = {
    "description": "Thistlewick infant with fractures after a fall",
    "status_reason": "Brambleshade hall hosted the panel",
    "grade_reason": "Crumbleford coroner inquest opened",
    "family_reason": "Snorkelbury family declined contact",
    "author": "Fennimore Quaddle",
}

PLAN_ANSWERS = {
    "methodology": "scie",
    "iar_agencies": ["Health", "Police"],
    "family": "no",
    "family_reason": CLOSED_TEXTS["family_reason"],
    "staff": "yes",
    "panel": "na",
    "publication": "full",
    "iar_due": "2026-06-01",
    "report_due": "2026-09-01",
    "publication_date": "2026-12-01",
    "author": CLOSED_TEXTS["author"],
}


def result(grade: str = "severe") -> dict[str, object]:
    """A synthetic matrix result in the shape of `Result.to_dict()`."""
    return {
        "grade": grade,
        "flags": {"scr_required": False, "scr_unless_no_concerns": True, "cdop": False},
        "matched": [{"grade": grade, "id": f"{grade}_example", "text": "a quoted criterion"}],
        "matrix_version": "2026.1",
    }


def file_case(
    db: Database,
    now: dt.datetime,
    description: str,
    *,
    user_id: int = REFERRER,
    case_reference: str | None = None,
) -> referrals.Referral:
    """One synthetic referral by `user_id` at `now` (a made-up severe result), filed by the
    one test-side filing helper, `filed.file`."""
    return file(
        db,
        {"seriously_harmed": True},
        now,
        result=result(),
        referrer=user_id,
        description=description,
        case_reference=case_reference,
        board_chat_id=BOARD_CHAT,
        chair_ids=[CHAIR],
    )


def declined_case(db: Database, at: dt.datetime, user_id: int = REFERRER) -> str:
    """A referral with every kind of free text, declined at `at` (filed a week before)."""
    t = DECLINED_TEXTS
    filed = at - dt.timedelta(days=7)
    ref = file_case(
        db, filed, t["description"], user_id=user_id, case_reference=t["case_reference"]
    ).ref
    asked = info_requests.ask_question(db, ref, CHAIR, t["question"], CHAIR, filed)
    info_requests.answer_question(db, asked.id, user_id, t["answer"], filed + dt.timedelta(days=1))
    referrals.add_note(db, ref, OFFICER, t["note"], filed + dt.timedelta(days=2))
    referrals.record_decision(db, ref, CHAIR, "declined", t["reason"], None, at)
    return ref


def closed_case(db: Database, at: dt.datetime) -> str:
    """A reviewed referral with a plan, a status reason and a grade change, closed at `at`."""
    t = CLOSED_TEXTS
    start = at - dt.timedelta(days=300)
    ref = file_case(db, start, t["description"]).ref
    referrals.record_decision(db, ref, CHAIR, "approved", "", None, start)
    plans.save_plan(db, ref, "done", PLAN_ANSWERS, OFFICER, start)
    append_event(db, ref, OFFICER, "plan", "review plan started", start)
    append_event(db, ref, OFFICER, "decision", f"family not involved: {t['family_reason']}", start)
    append_event(db, ref, OFFICER, "plan", f"plan complete: Author: {t['author']}", start)
    referrals.set_status(db, ref, "review_planned", OFFICER, "review plan complete", start)
    referrals.set_status(db, ref, "in_review", OFFICER, t["status_reason"], start)
    referrals.escalate_grade(db, ref, OFFICER, "catastrophic", t["grade_reason"], start)
    referrals.set_status(db, ref, "report_received", OFFICER, "", at - dt.timedelta(days=60))
    referrals.set_status(db, ref, "published", OFFICER, "", at - dt.timedelta(days=30))
    referrals.set_status(db, ref, "closed", OFFICER, "", at)
    return ref


def file_bytes(db_path: Path) -> bytes:
    """The database file and its WAL (if any), as bytes."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def found_in(data: bytes, texts: dict[str, str]) -> list[str]:
    """Which of `texts` (by name) occur in `data`: the made-up word each begins with."""
    return [name for name, text in texts.items() if text.split()[0].encode() in data]

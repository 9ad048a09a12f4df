"""The retention schedule (SPEC §8): a referral's free text is erased once it has been declined
(`RETAIN_DECLINED_MONTHS`) or closed (`RETAIN_CLOSED_YEARS`) long enough.

Erased: the description, the case reference, the chair's reason, the questions relayed to the
practitioner and their answers, the review plan's typed answers (its key lines of enquiry among
them), a panel member's reason for sending the terms of reference back, the individual agency
reviews' answers and their submitted chronology entries and action points, and the words of the
referral's events (a note, a reason), the review's findings, its actions' texts and their evidence
or reasons, its learning event's place and feedback — each replaced by "erased under the retention
schedule on DATE". Kept: grade, flags, facts, dates, statuses, decisions and every event's row (who,
when, what), so reports, exports and `/stats` still add up. The words the program itself wrote into
an event (a status move, a grade change, "plan complete") are kept in front of the marker. A
learning event's attendance goes too: each invitee's id becomes a pseudonym of its own (the counts
of invited, coming and feedback stay) and feedback being answered is emptied. The erasure is itself
an event (`erased`), and the referral records when it happened, so it is erased once.

The database runs with `secure_delete`, so the old text is zeroed in the file; after a purge
the WAL is checkpointed and truncated, so no copy of the text is left beside it and a backup
made afterwards holds none. `purge(..., dry_run=True)` says what would go and writes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from storage.backup import Backups, backups_between
from storage.db import checkpoint, from_json, to_json, transaction
from storage.events import EXPORTED, append_event
from storage.learning_events import EVENT_ACTIONS
from storage.lifecycle import CLOSED, DECLINED
from storage.outbox import FORGOTTEN_CHATS
from storage.themes import THEMES_EVENT
from storage.timestamps import from_iso, to_iso

ERASED = "erased"
# At or below this a user id is a pseudonym (`storage.outbox.FORGOTTEN_CHATS`, `storage.rights`):
# a learning event's invitees are given one each under the schedule.
PSEUDONYMS = FORGOTTEN_CHATS
MARKER = "erased under the retention schedule on {day}"

# (what it is, table, column) of every free text kept per referral, keyed by `ref`.
FREE_TEXT: tuple[tuple[str, str, str], ...] = (
    ("description", "referrals", "description"),
    ("case reference", "referrals", "case_reference"),
    ("decision reason", "referrals", "decision_reason"),
    ("question", "pending_questions", "question"),
    ("answer", "pending_questions", "answer"),
    ("finding", "findings", "text"),
    ("action", "actions", "text"),
    ("evidence", "actions", "outcome"),
    ("brief section", "briefs", "what_happened"),
    ("brief section", "briefs", "learned"),
    ("brief section", "briefs", "to_do"),
    ("brief section", "briefs", "find_out_more"),
    ("brief reason", "briefs", "reason"),
    ("partner's reason", "partner_presses", "reason"),
    ("terms reason", "terms_answers", "reason"),
    ("held reply", "awaited_inputs", "held"),
    ("learning event place", "learning_events", "place"),
    ("event feedback", "event_feedback", "learned"),
    ("event feedback", "event_feedback", "differently"),
    ("agency review entry", "agency_review_entries", "text"),
)

# The review plan's typed answers (its text and lines questions; `dialogs.plan_questions`).
PLAN_FREE_TEXT: tuple[str, ...] = (
    "methodology_reason",
    "family_reason",
    "staff_reason",
    "enquiry",
    "author",
)

# Events whose words are only ever the program's own: kept whole.
KEPT_ACTIONS = frozenset(
    {
        "filed",
        "viewed",
        "tor",
        "refused",
        "agency_review",
        EXPORTED,
        ERASED,
        THEMES_EVENT,
        *EVENT_ACTIONS,
    }
)

# Reasons the program gives for the status moves it makes itself (`storage.info_requests`, the
# plan).
PROGRAM_REASONS = ("information asked for", "information received", "review plan complete")

# Per action, the program's own words at the start of an event that are kept (the rest goes);
# any other action's words (a note, a question, an answer) are erased whole.
_KEPT_PARTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "decision": (
        re.compile(r"^\w+: \w+ -> \w+(?:; grade \w+ -> \w+)?(?=; reason: |$)"),  # the chair's
        re.compile(r"^[a-z][a-z -]*[a-z](?=: )"),  # a plan's "family not involved: …"
    ),
    "status": (
        re.compile(rf"^\w+ -> \w+: (?:{'|'.join(PROGRAM_REASONS)})$"),
        re.compile(r"^\w+ -> \w+(?=: |$)"),
    ),
    "grade": (re.compile(r"^\w+ -> \w+(?=: |$)"),),
    "partner_pressed": (re.compile(r"^\w+ pressed \w+(?=; reason: |$)"),),  # a partner's press
    "plan": (re.compile(r"^review plan started$"), re.compile(r"^plan complete(?=: |$)")),
    # the terms' events keep their version and what happened (a reason for sending them back
    # goes)
    "terms": (re.compile(r"^terms of reference version \d+ [^:]*(?=: |$)"),),
    # the action plan's events keep the finding's or action's id (and an action's agency, date)
    "finding": (re.compile(r"^F\d+(?=: )"),),
    "action": (re.compile(r"^\S+/A\d+: [^:]+, due \d{4}-\d{2}-\d{2}(?=: )"),),
    **{
        name: (re.compile(r"^\S+/A\d+(?=: |$)"),)
        for name in ("action_started", "action_done", "action_dropped", "action_late")
    },
}


@dataclass(frozen=True, slots=True)
class Erasure:
    """One referral whose free text is (or would be) erased: since when it was declined or
    closed, when it fell due, and how many texts of each kind went."""

    ref: str
    status: str
    since: dt.date
    due: dt.date
    erased: dict[str, int]


@dataclass(frozen=True, slots=True)
class Purge:
    """What a purge did (or, dry, would do) on `today`."""

    today: dt.date
    dry_run: bool
    erasures: list[Erasure] = field(default_factory=list)
    waiting: int = 0  # declined or closed referrals not yet due
    checkpointed: bool = True  # the WAL was emptied (False: a reader held part of it)
    # The backups made before the purge, since the first erased referral was filed: they still
    # hold the text it erased.
    backups: Backups = field(default_factory=lambda: Backups(0, None))

    @property
    def totals(self) -> dict[str, int]:
        """Texts erased, by kind, over every referral."""
        total: Counter[str] = Counter()
        for erasure in self.erasures:
            total.update(erasure.erased)
        return dict(sorted(total.items()))


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months (the 31st becomes the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def marker(today: dt.date) -> str:
    """What an erased text reads."""
    return MARKER.format(day=today.isoformat())


def _candidates(db: Database) -> list[dict[str, object]]:
    """Declined and closed referrals not yet erased, with the moment they got there."""
    return list(
        db.query(
            "SELECT r.ref, r.status, r.created_at,"
            " coalesce((SELECT max(e.at) FROM events e WHERE e.ref = r.ref"
            " AND e.action IN ('status', 'decision')), r.decided_at, r.updated_at) AS since"
            " FROM referrals r WHERE r.status IN (?, ?) AND r.erased_at IS NULL"
            " ORDER BY r.year, r.seq",
            (DECLINED, CLOSED),
        )
    )


def kept_part(action: str, text: str) -> str:
    """The program's own words at the start of an event's text, kept when the rest is erased
    ("" when nothing is kept; the whole text for events that hold no free text)."""
    if action in KEPT_ACTIONS:
        return text
    for pattern in _KEPT_PARTS.get(action, ()):
        match = pattern.match(text)
        if match:
            return match[0]
    return ""


def _erased_text(action: str, text: str, mark: str) -> str:
    kept = kept_part(action, text)
    if kept == text:
        return text
    return f"{kept}: {mark}" if kept else mark


def _erase(db: Database, ref: str, mark: str, write: bool) -> dict[str, int]:
    """Erase (or, not `write`, count) the free text of one referral; how many of each kind."""
    counts: Counter[str] = Counter()
    for kind, table, column in FREE_TEXT:
        where = f"ref = ? AND {column} IS NOT NULL AND {column} <> ''"
        counts[kind] += db.table(table).count_where(where, (ref,))
        if write:  # every text of that column at once: SQL, sqlite-utils updates one row
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (mark, ref))
    texts = db.query(
        "SELECT t.event_id, e.action, t.text FROM event_texts t JOIN events e ON e.id = t.event_id"
        " WHERE e.ref = ?",
        (ref,),
    )
    for row in list(texts):
        new = _erased_text(str(row["action"]), str(row["text"]), mark)
        if new != row["text"]:
            counts["event text"] += 1
            if write:
                db.table("event_texts").update(row["event_id"], {"text": new})
    for row in list(db.table("plans").rows_where("ref = ?", (ref,), select="answers")):
        answers = from_json(str(row["answers"]))
        typed = [key for key in PLAN_FREE_TEXT if answers.get(key)]
        counts["plan answer"] += len(typed)
        if write and typed:
            answers.update({key: mark for key in typed})
            db.table("plans").update(ref, {"answers": to_json(answers)})
    # A learning event's attendance: who was invited and answered, and the feedback being
    # answered, leave with the text; the counts stay (each invitee a pseudonym of their own).
    answering = db.table("event_feedback_sessions").count_where(
        "ref = ? AND answers <> '{}'", (ref,)
    )
    counts["feedback being answered"] += answering
    invited = db.table("event_invitations").count_where(
        "ref = ? AND user_id > ?", (ref, PSEUDONYMS)
    )
    counts["event invitation"] += invited
    for row in list(db.table("agency_reviews").rows_where("ref = ?", (ref,))):
        answers = from_json(str(row["answers"]))
        typed = [key for key, value in answers.items() if value]
        counts["agency review answer"] += len(typed)
        if write and typed:  # the lists' entries and the texts alike
            answers.update({key: mark for key in typed})
            key = (row["ref"], row["agency"])
            db.table("agency_reviews").update(key, {"answers": to_json(answers)})
    if write:
        db.table("awaited_inputs").delete_where("ref = ?", (ref,))
        db.execute("UPDATE event_feedback_sessions SET answers = '{}' WHERE ref = ?", (ref,))
        db.execute(
            "UPDATE event_feedback_sessions SET user_id = ? - rowid WHERE ref = ? AND user_id > ?",
            (PSEUDONYMS, ref, PSEUDONYMS),
        )
        db.execute(
            "UPDATE event_invitations SET user_id = ? - rowid WHERE ref = ? AND user_id > ?",
            (PSEUDONYMS, ref, PSEUDONYMS),
        )
    return {kind: n for kind, n in counts.items() if n}


def purge(
    db: Database,
    *,
    today: dt.date,
    declined_months: int,
    closed_years: int,
    now: dt.datetime,
    actor: str = "system",
    dry_run: bool = False,
) -> Purge:
    """Erase the free text of every referral due on `today`, in one transaction, each with its
    `erased` event by `actor`; then empty the WAL. `dry_run` writes nothing."""
    if declined_months <= 0 or closed_years <= 0:
        raise ValueError("retention periods must be positive")
    mark = marker(today)
    erasures: list[Erasure] = []
    waiting = 0
    first_filed: dt.datetime | None = None
    with transaction(db):
        for row in _candidates(db):
            ref, status = str(row["ref"]), str(row["status"])
            since = from_iso(str(row["since"])).date()
            months = declined_months if status == DECLINED else 12 * closed_years
            due = add_months(since, months)
            if due > today:
                waiting += 1
                continue
            erased = _erase(db, ref, mark, write=not dry_run)
            erasures.append(Erasure(ref, status, since, due, erased))
            filed = from_iso(str(row["created_at"]))
            first_filed = filed if first_filed is None else min(first_filed, filed)
            if dry_run:
                continue
            kept = f"{declined_months} months" if status == DECLINED else f"{closed_years} years"
            what = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in erased.items())
            detail = f"{status} on {since.isoformat()}, kept {kept}; erased: {what or 'nothing'}"
            append_event(db, ref, actor, ERASED, detail, now)
            db.table("referrals").update(ref, {"erased_at": to_iso(now)})
    held = Backups(0, None) if first_filed is None else backups_between(db, first_filed, now)
    done = True
    if erasures and not dry_run:
        done = checkpoint(db)
    return Purge(today, dry_run, erasures, waiting, done, held)

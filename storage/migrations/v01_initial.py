"""Step 1: The first schema: practitioners, invites, drafts, referrals, events, outbox, plans,
questions, reminders."""

from __future__ import annotations

_STATUSES = (
    "'awaiting_chair', 'info_requested', 'approved', 'declined', 'review_planned', "
    "'in_review', 'report_received', 'published', 'closed'"
)

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE invites (
            code TEXT PRIMARY KEY,
            agency TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_by INTEGER,
            used_at TEXT
        )""",
    """CREATE TABLE practitioners (
            user_id INTEGER PRIMARY KEY,
            agency TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            invite_code TEXT REFERENCES invites(code)
        )""",
    """CREATE TABLE drafts (
            user_id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            answers TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            prompt_message_id INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    "CREATE INDEX drafts_updated ON drafts(updated_at)",
    """CREATE TABLE ref_counters (
            year INTEGER PRIMARY KEY,
            last INTEGER NOT NULL
        )""",
    f"""CREATE TABLE referrals (
            ref TEXT PRIMARY KEY,
            draft_id TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            referrer_id INTEGER NOT NULL,
            referrer_agency TEXT NOT NULL,
            facts TEXT NOT NULL,
            result TEXT NOT NULL,
            grade TEXT NOT NULL,
            original_grade TEXT NOT NULL,
            matched TEXT NOT NULL,
            flags TEXT NOT NULL,
            matrix_version TEXT NOT NULL,
            urgent INTEGER NOT NULL DEFAULT 0,
            agencies TEXT NOT NULL,
            description TEXT NOT NULL,
            case_reference TEXT,
            status TEXT NOT NULL CHECK (status IN ({_STATUSES})),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            decided_by INTEGER,
            decided_at TEXT,
            decision TEXT,
            decision_reason TEXT,
            UNIQUE (year, seq)
        )""",
    "CREATE INDEX referrals_queue ON referrals(status, urgent, created_at)",
    "CREATE INDEX referrals_referrer ON referrals(referrer_id)",
    "CREATE INDEX referrals_created ON referrals(created_at)",
    """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ref TEXT REFERENCES referrals(ref),
            actor TEXT NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )""",
    "CREATE INDEX events_ref ON events(ref, id)",
    """CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed');
        END""",
    """CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be deleted');
        END""",
    """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ref TEXT REFERENCES referrals(ref),
            kind TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            priority INTEGER NOT NULL DEFAULT 0,
            payload TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            sent_message_id INTEGER,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )""",
    "CREATE INDEX outbox_due ON outbox(status, next_attempt_at)",
    "CREATE INDEX outbox_ref ON outbox(ref, kind)",
    """CREATE TABLE plans (
            ref TEXT PRIMARY KEY REFERENCES referrals(ref),
            state TEXT NOT NULL,
            answers TEXT NOT NULL,
            updated_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
    """CREATE TABLE pending_questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ref TEXT NOT NULL REFERENCES referrals(ref),
            asked_by INTEGER NOT NULL,
            reply_chat_id INTEGER NOT NULL,
            question TEXT NOT NULL,
            asked_at TEXT NOT NULL,
            answered_at TEXT,
            answer TEXT
        )""",
    "CREATE INDEX pending_questions_ref ON pending_questions(ref, answered_at)",
    """CREATE TABLE reminders_sent (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (ref, kind, day)
        )""",
)

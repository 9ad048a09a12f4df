"""Numbered schema migrations, applied in order; `PRAGMA user_version` records the last applied.

Each migration is a tuple of SQL statements run in one transaction together with the version
bump, so a migration is either wholly applied or not at all, and running `migrate` again is a
no-op. Add a change as a new numbered entry at the end; never edit an applied one.
"""

from __future__ import annotations

from sqlite_utils import Database

from storage.db import connect, fetch_all, fetch_value, transaction
from storage.migration import Migration as Migration
from storage.migration import MigrationError as MigrationError
from storage.schema_initial import INITIAL

# Migration 1, the first schema, is long enough to have a module of its own.
AWAITED_INPUTS = Migration(
    2,
    "awaited inputs: what a person's next typed message answers (a reason, a question)",
    (
        """CREATE TABLE awaited_inputs (
            user_id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT REFERENCES referrals(ref),
            data TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )""",
    ),
)

OUTBOX_CLAIMS = Migration(
    3,
    "outbox claims: a row is claimed before its send, so a send cut short is known after a crash",
    (
        "ALTER TABLE outbox ADD COLUMN claimed_at TEXT",
        "ALTER TABLE outbox ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0",
    ),
)

QUEUE_ORDER = Migration(
    4,
    "the queue's order as an index (urgent first, then oldest; status to filter on): a page of "
    "/queue reads a few index entries instead of sorting every open referral",
    ("CREATE INDEX referrals_queue_order ON referrals(urgent DESC, created_at, seq, status)",),
)

PRIVACY = Migration(
    5,
    "privacy: the events' words move to event_texts (erasable without touching the log), the log "
    "lets an actor be replaced by a pseudonym and nothing else, and a referral records when its "
    "free text was erased under the retention schedule",
    (
        """CREATE TABLE event_texts (
            event_id INTEGER PRIMARY KEY REFERENCES events(id),
            text TEXT NOT NULL
        )""",
        "INSERT INTO event_texts (event_id, text) SELECT id, detail FROM events WHERE detail <> ''",
        "ALTER TABLE events DROP COLUMN detail",
        "DROP TRIGGER events_append_only_update",
        # The one change the log allows: a person who asked to be forgotten (no longer
        # registered) has their id replaced by a pseudonym; who did what, when, stays.
        """CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        WHEN NOT (
            NEW.id IS OLD.id AND NEW.ref IS OLD.ref AND NEW.at IS OLD.at
            AND NEW.action IS OLD.action
            AND OLD.actor GLOB '[0-9]*' AND NEW.actor GLOB 'forgotten-[0-9a-f]*'
            AND NOT EXISTS (
                SELECT 1 FROM practitioners WHERE user_id = CAST(OLD.actor AS INTEGER)
            )
        )
        BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only: events cannot be changed');
        END""",
        "CREATE INDEX events_actor ON events(actor)",
        "ALTER TABLE referrals ADD COLUMN erased_at TEXT",
    ),
)

REFUSALS = Migration(
    6,
    "refusals counted: one row a person, referral and day with a count (the event log records "
    "the first of each), so a flood of forged presses cannot grow the log without bound",
    (
        """CREATE TABLE refusals (
            day TEXT NOT NULL,
            actor TEXT NOT NULL,
            ref TEXT NOT NULL DEFAULT '',
            count INTEGER NOT NULL,
            PRIMARY KEY (day, actor, ref)
        )""",
        "CREATE INDEX refusals_ref ON refusals(ref, day)",
    ),
)

EVENT_NAMES = Migration(
    7,
    "events name their actor: the person's first name as Telegram gave it at the time (nullable:"
    " older events and roles such as cli have none), so a log names people, never shows ids",
    ("ALTER TABLE events ADD COLUMN actor_name TEXT",),
)

ACTIONS = Migration(
    8,
    "findings and actions of a review's action plan (each action owned by an agency, due on a "
    "date, its history in the event log), the overdue digest sent once a day, and agency leads "
    "(a role with the practitioner, and on the invite that registers them)",
    (
        """CREATE TABLE findings (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (ref, seq)
        )""",
        """CREATE TABLE actions (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            seq INTEGER NOT NULL,
            agency TEXT NOT NULL,
            due TEXT NOT NULL,
            text TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'started', 'done', 'dropped')),
            outcome TEXT,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT,
            PRIMARY KEY (ref, seq)
        )""",
        "CREATE INDEX actions_open ON actions(status, due)",
        """CREATE TABLE digests_sent (
            kind TEXT NOT NULL,
            day TEXT NOT NULL,
            sent_at TEXT NOT NULL,
            PRIMARY KEY (kind, day)
        )""",
        "ALTER TABLE practitioners ADD COLUMN lead INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE invites ADD COLUMN lead INTEGER NOT NULL DEFAULT 0",
    ),
)

PROFILES_AND_CLOCKS = Migration(
    9,
    "Working Together 2023: every referral records the matrix profile it was graded under, and "
    "its statutory clocks (name, start, due date, closed or not, outcome) as a JSON list",
    (
        "ALTER TABLE referrals ADD COLUMN profile TEXT NOT NULL DEFAULT '2013'",
        "ALTER TABLE referrals ADD COLUMN clocks TEXT NOT NULL DEFAULT '[]'",
        # /queue and the daily reminders read the referrals with clocks without scanning all.
        "CREATE INDEX referrals_with_clocks ON referrals(created_at, seq) WHERE clocks <> '[]'",
    ),
)

PARTNER_PRESSES = Migration(
    10,
    "Working Together 2023's joint decision: each safeguarding partner's latest press on a "
    "referral's card (the partner, their lead, the outcome, the No review reason, when)",
    (
        """CREATE TABLE partner_presses (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            partner TEXT NOT NULL CHECK (partner IN ('la', 'icb', 'police')),
            user_id INTEGER NOT NULL,
            name TEXT,
            outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'declined')),
            reason TEXT,
            pressed_at TEXT NOT NULL,
            PRIMARY KEY (ref, partner)
        )""",
    ),
)

BRIEFS = Migration(
    11,
    "learning briefs (SPEC §7): each brief's sections, its state and the chair's approval; who "
    "read which brief; practitioners may opt out of briefs",
    (
        """CREATE TABLE briefs (
            ref TEXT PRIMARY KEY REFERENCES referrals(ref),
            status TEXT NOT NULL DEFAULT 'drafting'
                CHECK (status IN ('drafting', 'awaiting_chair', 'sent_back', 'approved')),
            state TEXT NOT NULL,
            agencies TEXT NOT NULL DEFAULT '[]',
            what_happened TEXT,
            learned TEXT,
            to_do TEXT,
            find_out_more TEXT,
            officer_id INTEGER NOT NULL,
            reason TEXT,
            decided_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            approved_at TEXT
        )""",
        """CREATE TABLE brief_reads (
            ref TEXT NOT NULL REFERENCES referrals(ref),
            user_id INTEGER NOT NULL,
            agency TEXT NOT NULL,
            read_at TEXT NOT NULL,
            PRIMARY KEY (ref, user_id)
        )""",
        "ALTER TABLE practitioners ADD COLUMN briefs_off INTEGER NOT NULL DEFAULT 0",
    ),
)

SEND_PROGRESS = Migration(
    12,
    "an outbox row of several messages (a long learning brief: its parts, then its document)"
    " records how many went out, so a send cut short resumes after them rather than repeating"
    " them; the message carrying the buttons keeps its Telegram id from the moment it is sent",
    ("ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0",),
)

MIGRATIONS: tuple[Migration, ...] = (
    INITIAL,
    AWAITED_INPUTS,
    OUTBOX_CLAIMS,
    QUEUE_ORDER,
    PRIVACY,
    REFUSALS,
    EVENT_NAMES,
    ACTIONS,
    PROFILES_AND_CLOCKS,
    PARTNER_PRESSES,
    BRIEFS,
    SEND_PROGRESS,
)

LATEST = MIGRATIONS[-1].version


def current_version(db: Database) -> int:
    """The schema version recorded in the database file (0 for an empty database)."""
    return int(fetch_value(db, "PRAGMA user_version"))


def migrate(db: Database) -> int:
    """Apply every migration not yet applied, each in its own transaction; return the version.

    Safe to run from several processes at once: the version is read again under the write lock.
    """
    if current_version(db) > LATEST:
        raise MigrationError(
            f"the database is at schema version {current_version(db)}, newer than this "
            f"program's {LATEST}; upgrade the program"
        )
    for migration in MIGRATIONS:
        if current_version(db) >= migration.version:
            continue
        with transaction(db):
            if current_version(db) >= migration.version:
                continue
            for statement in migration.statements:
                db.conn.execute(statement)
            db.conn.execute(f"PRAGMA user_version = {migration.version:d}")
    return current_version(db)


def schema() -> dict[str, tuple[str, ...]]:
    """Every table of the latest schema and its columns, in order (read from a fresh in-memory
    database, so it is what `migrate` builds; for the generated privacy notice)."""
    db = Database(connect(":memory:"))
    try:
        migrate(db)
        names = fetch_all(
            db,
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        return {
            row["name"]: tuple(
                c["name"] for c in fetch_all(db, f"PRAGMA table_info({row['name']})")
            )
            for row in names
        }
    finally:
        db.conn.close()

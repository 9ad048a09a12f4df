"""People's rights over what is held about them (SPEC §8): what is held about one Telegram
user (`/mydata`, `triage-bot subject-access`), and forgetting a practitioner (`/forget`).

What is held includes the learning briefs addressed to them and which they read, their briefs
opt-out (with the registration), a partner lead's presses on decision cards, an agency lead's
action updates (events), the individual agency reviews they hold or submitted, and their
invitations to reviews' learning events with their answers: references, states and dates, never
a brief's or a message's text (nor their feedback, which is kept apart from them).

Forgetting removes the registration, any draft and awaited input, the invitations to learning
events they have not answered and feedback they had not finished, and replaces the person's
Telegram id everywhere it is held (their referrals, invites, questions, outbox rows including the
briefs sent to them, their reads of briefs, their partner presses and the actor of their events)
by one pseudonym, so the referrals stay as the board's records, still grouped by one unnamed
referrer, and a brief's reads still count (by agency) in its reach. A pseudonym is an integer no
Telegram id can be (below -2**53: Telegram's ids have at most 52 significant bits), shown and
logged as `forgotten-<hex>`; nothing is ever sent to it. Names typed into free text are not found
or removed by this.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from sqlite_utils import Database

from storage.actions import CHANGES
from storage.agency_reviews import AgencyReview, held_by
from storage.briefs import Received, received_by
from storage.db import checkpoint, get_or_none, transaction
from storage.events import Event, append_event, events_by
from storage.info_requests import Question, questions_for
from storage.joint import Press, presses_by
from storage.learning_events import Invitation, invitations_of
from storage.outbox import FORGOTTEN_CHATS, FORGOTTEN_ERROR
from storage.practitioners import Practitioner, get_practitioner
from storage.referrals import Referral, referrals_for
from storage.timestamps import from_iso

FORGOTTEN = "forgotten"
PSEUDONYM_BASE = FORGOTTEN_CHATS
_PREFIX = "forgotten-"
# The events of an action's update, and the change each is (started, done, dropped, late).
ACTION_UPDATES = {event: change for change, (_, event) in CHANGES.items()}


def is_pseudonym(user_id: int) -> bool:
    """Whether an id stands for a person who asked to be forgotten (never a Telegram id)."""
    return user_id <= PSEUDONYM_BASE


def pseudonym_label(user_id: int) -> str:
    """How a pseudonym is shown and logged: `forgotten-<hex>`."""
    if not is_pseudonym(user_id):
        raise ValueError("not a pseudonym")
    return f"{_PREFIX}{PSEUDONYM_BASE - user_id:x}"


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What `forget` did: the pseudonym now standing for the person, and what it touched."""

    pseudonym: str
    registered: bool
    referrals: int
    draft: bool
    events: int
    briefs_read: int = 0  # reads of learning briefs, kept (counted) under the pseudonym
    presses: int = 0  # a partner lead's presses on decision cards, kept under the pseudonym
    invitations: int = 0  # invitations to learning events not answered: removed


@dataclass(frozen=True, slots=True)
class ActionUpdate:
    """One update someone gave on an action (as its agency's lead, or an officer): the action's
    id (`REF/A1`; its referral alone once retention erased the words), the change, when."""

    action: str
    change: str  # a key of `storage.actions.CHANGES`: started, done, dropped, late
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Held:
    """Everything held about one Telegram user (for `/mydata` and a subject access request)."""

    user_id: int
    registration: Practitioner | None
    referrals: list[Referral]
    draft_saved: dt.datetime | None  # when their unfinished check was last saved
    awaiting: str | None  # the kind of typed reply the bot waits for from them
    questions: list[Question]  # asked of them, about their referrals
    events: list[Event]  # where they are the actor
    invites_used: list[str]
    messages: int  # outbox rows addressed to their chat
    briefs: list[Received]  # learning briefs addressed to them, or read by them
    presses: list[Press]  # as a safeguarding partner's lead, on decision cards
    invitations: list[Invitation] = field(default_factory=list)  # to reviews' learning events
    agency_reviews: list[AgencyReview] = field(default_factory=list)  # held or submitted

    @property
    def anything(self) -> bool:
        """Whether anything at all is held."""
        return bool(
            self.registration
            or self.referrals
            or self.draft_saved
            or self.awaiting
            or self.events
            or self.invites_used
            or self.messages
            or self.briefs
            or self.presses
            or self.invitations
            or self.agency_reviews
        )

    @property
    def briefs_off(self) -> bool | None:
        """Whether they turned learning briefs off; None when not registered."""
        return None if self.registration is None else self.registration.briefs_off

    @property
    def briefs_read(self) -> list[Received]:
        """The briefs they pressed `Read it` on."""
        return [b for b in self.briefs if b.read_at is not None]

    @property
    def action_updates(self) -> list[ActionUpdate]:
        """The actions they moved on (started, done, dropped, late), from their events."""
        return [
            ActionUpdate(_action_of(e), ACTION_UPDATES[e.action], e.at)
            for e in self.events
            if e.action in ACTION_UPDATES
        ]


def _action_of(event: Event) -> str:
    """The action id an update's words begin with, else (erased) its referral."""
    named = event.detail.split(":", 1)[0].strip()
    ref = event.ref or ""
    return named if named.startswith(f"{ref}/A") else ref


def held_about(db: Database, user_id: int) -> Held:
    """What the database holds about one Telegram user (reads only)."""
    mine = referrals_for(db, user_id)
    awaited = [
        str(row["kind"])
        for row in db.table("awaited_inputs").rows_where(
            "user_id = ?", (user_id,), order_by="created_at", select="kind"
        )
    ]
    draft = get_or_none(db.table("drafts"), user_id)
    invites = db.table("invites").rows_where("used_by = ?", (user_id,), order_by="used_at")
    return Held(
        user_id=user_id,
        registration=get_practitioner(db, user_id),
        referrals=mine,
        draft_saved=None if draft is None else from_iso(str(draft["updated_at"])),
        awaiting=", ".join(awaited) or None,
        questions=[q for r in mine for q in questions_for(db, r.ref)],
        events=events_by(db, user_id),
        invites_used=[str(row["code"]) for row in invites],
        messages=db.table("outbox").count_where("chat_id = ?", (user_id,)),
        briefs=received_by(db, user_id),
        presses=presses_by(db, user_id),
        invitations=invitations_of(db, user_id),
        agency_reviews=held_by(db, user_id),
    )


def forget(db: Database, user_id: int, now: dt.datetime) -> Forgotten:
    """Forget one practitioner in one transaction (see the module's docstring), then empty the
    WAL; the event that records it names only the pseudonym."""
    if is_pseudonym(user_id):
        raise ValueError("this person is already forgotten")
    number = PSEUDONYM_BASE - 1 - secrets.randbelow(2**48)
    label = pseudonym_label(number)
    # Every row that holds the id, whatever its key: SQL updates by column, in one transaction.
    with transaction(db):
        registered = db.execute("DELETE FROM practitioners WHERE user_id = ?", (user_id,))
        draft = db.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
        db.execute("DELETE FROM awaited_inputs WHERE user_id = ?", (user_id,))
        filed = db.execute(
            "UPDATE referrals SET referrer_id = ? WHERE referrer_id = ?", (number, user_id)
        )
        db.execute("UPDATE referrals SET decided_by = ? WHERE decided_by = ?", (number, user_id))
        db.execute("UPDATE invites SET used_by = ? WHERE used_by = ?", (number, user_id))
        db.execute("UPDATE invites SET created_by = ? WHERE created_by = ?", (label, str(user_id)))
        db.execute("UPDATE plans SET updated_by = ? WHERE updated_by = ?", (number, user_id))
        reads = db.execute(
            "UPDATE brief_reads SET user_id = ? WHERE user_id = ?", (number, user_id)
        )
        for column in ("asked_by", "reply_chat_id"):
            db.execute(
                f"UPDATE pending_questions SET {column} = ? WHERE {column} = ?",
                (number, user_id),
            )
        db.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, claimed_at = NULL"
            " WHERE chat_id = ? AND status = 'pending'",
            (FORGOTTEN_ERROR, user_id),
        )
        db.execute("UPDATE outbox SET chat_id = ? WHERE chat_id = ?", (number, user_id))
        db.execute("UPDATE refusals SET actor = ? WHERE actor = ?", (label, str(user_id)))
        # Learning events: an invitation not answered goes; one answered stays counted under
        # the pseudonym, as does a finished feedback's count; feedback being answered goes.
        unanswered = db.execute(
            "DELETE FROM event_invitations WHERE user_id = ? AND answer IS NULL", (user_id,)
        )
        db.execute("UPDATE event_invitations SET user_id = ? WHERE user_id = ?", (number, user_id))
        db.execute("DELETE FROM event_feedback_sessions WHERE user_id = ? AND done = 0", (user_id,))
        db.execute(
            "UPDATE event_feedback_sessions SET user_id = ? WHERE user_id = ?", (number, user_id)
        )
        db.execute(
            "UPDATE agency_reviews SET holder_id = ?, holder_name = NULL WHERE holder_id = ?",
            (number, user_id),
        )
        pressed = db.execute(
            "UPDATE partner_presses SET user_id = ?, name = NULL WHERE user_id = ?",
            (number, user_id),
        )
        logged = db.execute(
            "UPDATE events SET actor = ?, actor_name = NULL WHERE actor = ?",
            (label, str(user_id)),
        )
        detail = (
            f"registration removed: {'yes' if registered.rowcount else 'none held'};"
            f" referrals now under this pseudonym: {filed.rowcount}"
        )
        append_event(db, None, label, FORGOTTEN, detail, now)
    checkpoint(db)  # the id's old copies leave the WAL too
    return Forgotten(
        pseudonym=label,
        registered=registered.rowcount > 0,
        referrals=filed.rowcount,
        draft=draft.rowcount > 0,
        events=logged.rowcount,
        briefs_read=reads.rowcount,
        presses=pressed.rowcount,
        invitations=unanswered.rowcount,
    )

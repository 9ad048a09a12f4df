"""The demo's people and chats: who sits in each of the page's columns.

All of them are synthetic. A *seat* is one column of the page: a chat and the person the
visitor plays in it (the practitioner in their private chat with the bot, an officer in
the board officers' group, the independent chair in their private chat, and the police's agency
lead in theirs, who gets the actions of a review's plan). Under the Working Together 2023 profile
(`--profile wt2023`) the chair's and the agency lead's columns give way to three: the lead of
each safeguarding partner (local authority, integrated care board, police), who decide jointly.
"""

from __future__ import annotations

from dataclasses import dataclass

PRACTITIONER_ID = 1001
OFFICER_ID = 3001
CHAIR_ID = 2001
LEAD_ID = 4001
LEAD_AGENCY = "Police"  # the agency whose lead sits on the page
BOARD_CHAT_ID = -1001234567890
BOARD_TITLE = "Board officers"
INVITE_AGENCY = "Health"
PROFILES = ("2013", "wt2023")  # `triage-bot demo --profile`
LA_ID, ICB_ID, POLICE_ID = 5001, 5002, 5003
PARTNER_USER_IDS = f"la:{LA_ID},icb:{ICB_ID},police:{POLICE_ID}"
# The columns of board members, whose person opens the dashboard (SPEC §10) with its button.
DASHBOARD_SEATS = frozenset({"board", "chair", "la", "icb", "police"})


@dataclass(frozen=True)
class Seat:
    """One column of the page: a chat, and the person who speaks and presses in it."""

    slug: str
    title: str
    subtitle: str
    chat_id: int
    user_id: int
    first_name: str
    last_name: str
    is_group: bool
    plays: str  # who the visitor plays in it, as the page's tagline names them
    marker: str  # the column's mark in its avatar (with its colour, one per seat)

    def to_dict(self) -> dict[str, object]:
        """The seat as the page's JSON shows it."""
        return {
            "slug": self.slug,
            "title": self.title,
            "subtitle": self.subtitle,
            "chat_id": self.chat_id,
            "user_id": self.user_id,
            "person": f"{self.first_name} {self.last_name}".strip(),
            "is_group": self.is_group,
            "marker": self.marker,
            "dashboard": self.slug in DASHBOARD_SEATS,
        }


SEATS: tuple[Seat, ...] = (
    Seat(
        slug="practitioner",
        title="Practitioner — Health visitor",
        subtitle="You are Pat. Private chat with the bot.",
        chat_id=PRACTITIONER_ID,
        user_id=PRACTITIONER_ID,
        first_name="Pat",
        last_name="(health visitor)",
        is_group=False,
        plays="the practitioner",
        marker="P",
    ),
    Seat(
        slug="board",
        title="Board officers' group",
        subtitle="You are Olu, an officer. Try /queue or /help.",
        chat_id=BOARD_CHAT_ID,
        user_id=OFFICER_ID,
        first_name="Olu",
        last_name="(board officer)",
        is_group=True,
        plays="a board officer",
        marker="O",
    ),
    Seat(
        slug="chair",
        title="Independent chair",
        subtitle="You are Chris. Private chat with the bot.",
        chat_id=CHAIR_ID,
        user_id=CHAIR_ID,
        first_name="Chris",
        last_name="(independent chair)",
        is_group=False,
        plays="the independent chair",
        marker="C",
    ),
    Seat(
        slug="lead",
        title="Agency lead — Police",
        subtitle="You are Sam. Private chat with the bot.",
        chat_id=LEAD_ID,
        user_id=LEAD_ID,
        first_name="Sam",
        last_name="(police lead)",
        is_group=False,
        plays="an agency lead",
        marker="A",
    ),
)


def _partner(slug: str, title: str, user_id: int, first_name: str, role: str, marker: str) -> Seat:
    return Seat(
        slug=slug,
        title=title,
        subtitle=f"You are {first_name}. Private chat with the bot.",
        chat_id=user_id,
        user_id=user_id,
        first_name=first_name,
        last_name=f"({role})",
        is_group=False,
        plays=f"the {role}'s lead",
        marker=marker,
    )


PARTNER_SEATS: tuple[Seat, ...] = (
    _partner("la", "Local authority lead", LA_ID, "Lara", "local authority", "LA"),
    _partner("icb", "Integrated care board lead", ICB_ID, "Ines", "integrated care board", "ICB"),
    _partner("police", "Police lead", POLICE_ID, "Paul", "police", "PO"),
)


def seats_for(profile: str) -> tuple[Seat, ...]:
    """The page's columns under `profile`: the chair's and the agency lead's, or the three
    partners' in their place."""
    if profile == "wt2023":
        return (*SEATS[:2], *PARTNER_SEATS)
    return SEATS


def seat(slug: str) -> Seat | None:
    """The seat named `slug`, if any."""
    return next((s for s in SEATS if s.slug == slug), None)


def seat_for_chat(chat_id: int | None) -> Seat | None:
    """The seat showing chat `chat_id`, if any."""
    return next((s for s in SEATS if s.chat_id == chat_id), None)

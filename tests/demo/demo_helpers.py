"""`PageClient`: the page's JSON API driven from Python the way the page's script drives it.

It loads `/api/state`, then applies `/api/events` changes to its own copy of the three
chats, so tests can press a button by its label and wait for a message by its text, and
see edits replace messages in place.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from synthetic import CATASTROPHIC_PATH


class PageClient:
    """The three chats as the page sees them, kept current from the events API."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session
        self.seq = 0
        self.pressed: dict[str, tuple[int, str]] = {}  # seat: its newest bot message as pressed
        self.state: dict[str, Any] = {}
        self.chats: dict[str, dict[int, dict[str, Any]]] = {}
        self.toasts: list[dict[str, Any]] = []
        self.typing: list[str] = []
        self.scene: dict[str, Any] = {}  # the scripted scene's status, as last polled

    async def load(self) -> None:
        """GET / for the page's per-run token, then GET /api/state."""
        async with self.session.get("/") as response:
            page = await response.text()
        token = page.split('name="demo-token" content="', 1)[1].split('"', 1)[0]
        self.session.headers["X-Demo-Token"] = token
        async with self.session.get("/api/state") as response:
            assert response.status == 200
            self.state = await response.json()
        self.seq = self.state["seq"]
        self.scene = self.state["scene"]
        self.chats = {
            seat["slug"]: {m["id"]: m for m in seat["messages"]} for seat in self.state["seats"]
        }

    async def poll(self, timeout: float = 2.0) -> list[dict[str, Any]]:
        """One GET /api/events; applies and returns the changes."""
        params = {
            "since": str(self.seq),
            "timeout": str(timeout),
            "scene": str(self.scene["version"]),
        }
        async with self.session.get("/api/events", params=params) as response:
            assert response.status == 200, await response.text()
            body = await response.json()
        assert body["seq"] >= self.seq
        self.seq = body["seq"]
        self.scene = body["scene"]
        for change in body["changes"]:
            if change["type"] == "message":
                self.chats[change["seat"]][change["message"]["id"]] = change["message"]
            elif change["type"] == "delete":
                self.chats[change["seat"]].pop(change["id"], None)
            elif change["type"] == "toast":
                self.toasts.append(change)
            elif change["type"] == "typing":
                self.typing.append(change["seat"])
        changes: list[dict[str, Any]] = body["changes"]
        return changes

    async def post(self, path: str, body: object) -> tuple[int, dict[str, Any]]:
        """POST JSON; (status, answer)."""
        async with self.session.post(path, json=body) as response:
            answer: dict[str, Any] = await response.json()
            return response.status, answer

    async def send(self, seat: str, text: str) -> None:
        """Type `text` in the seat's chat."""
        status, answer = await self.post("/api/send", {"seat": seat, "text": text})
        assert status == 200 and answer["ok"], answer

    def messages(self, seat: str) -> list[dict[str, Any]]:
        """The seat's messages, oldest first."""
        return [self.chats[seat][k] for k in sorted(self.chats[seat])]

    def texts(self, seat: str) -> list[str]:
        """The seat's bot messages' HTML."""
        return [m["html"] for m in self.messages(seat) if m["from_bot"]]

    def button(self, seat: str, label: str) -> tuple[int, str]:
        """(message id, data) of the newest button labelled `label` in the seat's chat."""
        for message in reversed(self.messages(seat)):
            for row in message["buttons"]:
                for button in row:
                    if button["text"] == label and button["data"] is not None:
                        return message["id"], button["data"]
        raise LookupError(f"no button {label!r} in {seat}")

    async def press(self, seat: str, label: str) -> None:
        """Press the newest button labelled `label` in the seat's chat."""
        message_id, data = self.button(seat, label)
        bots = [m for m in self.messages(seat) if m["from_bot"]]
        if bots:
            self.pressed[seat] = (bots[-1]["id"], bots[-1]["html"])
        status, answer = await self.post(
            "/api/press", {"seat": seat, "message_id": message_id, "data": data}
        )
        assert status == 200 and answer["ok"], answer

    async def wait_for(self, seat: str, contains: str, timeout: float = 8.0) -> dict[str, Any]:
        """The newest bot message in the seat's chat whose text contains `contains`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for message in reversed(self.messages(seat)):
                if message["from_bot"] and contains in message["html"]:
                    return message
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no {contains!r} in {seat}: {self.texts(seat)[-3:]}")
            await self.poll(timeout=min(remaining, 2.0))

    async def wait_newest(self, seat: str, contains: str, timeout: float = 8.0) -> dict[str, Any]:
        """Wait until the seat's newest bot message contains `contains` (lower-case match), and
        after a press differs from what was shown when pressed (a press edits the check's
        message in place, whose answer line may already name the next question's phrase)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            bots = [m for m in self.messages(seat) if m["from_bot"]]
            newest = (bots[-1]["id"], bots[-1]["html"]) if bots else None
            if (
                newest is not None
                and newest != self.pressed.get(seat)
                and contains.lower() in newest[1].lower()
            ):
                self.pressed.pop(seat, None)
                return bots[-1]
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"newest in {seat} lacks {contains!r}: {self.texts(seat)[-2:]}")
            await self.poll(timeout=min(remaining, 2.0))


# The whole check for a catastrophic case, by the option labels of SPEC §2: (label to press,
# phrase the next question carries).
CHECK_PATH: tuple[tuple[str, str], ...] = (
    *CATASTROPHIC_PATH,
    ("Health", "Chosen: Health"),
    ("Done", "describe"),
)
# Synthetic; the phone number is an Ofcom drama number, which the privacy guard removes.
DESCRIPTION = (
    "Child aged 4 known to services died after a head injury at home. The health visitor "
    "had raised concerns twice; mother's phone 07700 900123."
)

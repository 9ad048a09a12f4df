"""The page's scripted scenes: people's typing and presses played through the real bot.

A scene is a script in `templates/scenes.toml` (the made-up people's words, the captions, what
the bot must have said before each next step). `ScenePlayer.play(name)` plays it in the
background as the page's own `/api/send` and `/api/press` would: each step injects a message or
a button press as the seat's person into the local Bot API server and waits for the bot's answer,
so the bot is exercised exactly as when a visitor clicks. Nothing is written to storage; it is
only read, once at the start, to skip what is already done (the practitioner registered, the
lead invited, a check half answered).

"A review's learning" (SPEC §7): a referral filed, approved and planned; a finding and an action
for the police; the police's agency lead marks it started and done with evidence; a learning
brief written, approved by the chair, read by the practitioner and counted by `/reach`; then the
practitioners' learning event (SPEC §9) scheduled a couple of minutes ahead and Pat's `I'll come`,
the feedback questions reaching her within five minutes of its end, after the scene; then the
review itself (SPEC §9): the chair agrees the terms, the police's lead starts, answers and submits
the police's agency review, the group is told, and `/overview` sends the draft overview report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import templates
from bot.delivery.workdays import BOARD_TZ
from demo.cast import LEAD_AGENCY, Seat
from localapi import LocalBotAPI, Msg
from storage import drafts, practitioners
from storage.db import open_db
from storage.references import REF_PATTERN

log = logging.getLogger(__name__)

SCRIPT_FILE = Path(templates.__file__).resolve().with_name("scenes.toml")
STEP_SECONDS = 20.0  # the longest wait for the bot's answer to one step (a loaded machine)
DRAFT_TTL_HOURS = 24 * 365  # any draft counts as a check in progress
CAPTURES = {"ref": re.compile(f"({REF_PATTERN})"), "code": re.compile(r"Code: (\S+)")}
NEEDS = {"learning": ("practitioner", "board", "chair", "lead")}  # the seats a scene plays


class SceneStopped(Exception):
    """A step's answer never came: the scene stops there."""


@dataclass(frozen=True)
class Step:
    """One step of a script, as `templates/scenes.toml` describes it."""

    seat: str
    say: str = ""
    press: str = ""
    wait: str = ""
    expect: str = ""
    button: str = ""
    into: str = ""
    capture: str = ""
    when: str = ""
    caption: str = ""

    @classmethod
    def from_toml(cls, raw: Mapping[str, Any]) -> Step:
        """A step from its TOML table (`in` is `into` here: `in` is Python's)."""
        fields = {("into" if k == "in" else k): str(v) for k, v in raw.items()}
        return cls(**fields)


def script(name: str) -> tuple[dict[str, str], list[Step]]:
    """The scene's texts (`stopped`, `finished`: its last caption) and its steps."""
    with SCRIPT_FILE.open("rb") as handle:
        table = tomllib.load(handle)[name]
    steps = [Step.from_toml(raw) for raw in table.pop("steps")]
    return {k: str(v) for k, v in table.items()}, steps


def available(seats: Mapping[str, Seat]) -> list[str]:
    """The scenes the page can play with these seats (all the seats they play are there)."""
    return [name for name, needed in NEEDS.items() if all(s in seats for s in needed)]


class ScenePlayer:
    """Plays one scene at a time in the background and says where it is (`status`)."""

    def __init__(
        self,
        api: LocalBotAPI,
        seats: Mapping[str, Seat],
        db_path: Callable[[], Path | None],
        invite: Callable[[], str | None],
        pace: float = 0.8,
    ) -> None:
        self.api = api
        self.seats = seats
        self.db_path = db_path
        self.invite = invite
        self.pace = pace
        self.name = ""
        self.state = "idle"  # idle, playing, finished, stopped
        self.caption = ""
        self.version = 0  # bumped at every change of `status()`
        self.listeners: list[Callable[[], None]] = []
        self._task: asyncio.Task[None] | None = None
        self._start = 0  # the change counter when the scene began

    @property
    def playing(self) -> bool:
        """Whether a scene is being played now."""
        return self._task is not None and not self._task.done()

    def status(self) -> dict[str, Any]:
        """What the page shows: the scenes it offers, the one playing, its caption."""
        return {
            "available": available(self.seats),
            "name": self.name,
            "state": self.state,
            "caption": self.caption,
            "version": self.version,
        }

    def play(self, name: str) -> None:
        """Start playing scene `name` in the background (the caller checked it is offered
        and that none is playing)."""
        self.name, self.state, self.caption = name, "playing", ""
        self._task = asyncio.create_task(self._run(name), name=f"demo-scene-{name}")
        self._changed()

    async def done(self) -> None:
        """Wait for the scene being played, if any, to end."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def close(self) -> None:
        """Stop the scene being played (the demo is stopping)."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _changed(self) -> None:
        self.version += 1
        for listener in self.listeners:
            listener()

    async def _run(self, name: str) -> None:
        texts, steps = script(name)
        values = self._values()
        holds = self._conditions()
        self._start = self.api.mark()
        try:
            for step in steps:
                if step.caption:
                    self.caption = step.caption
                    self._changed()
                if step.when and not holds.get(step.when, False):
                    continue
                await asyncio.sleep(self.pace)
                await self._step(step, values)
        except SceneStopped as err:
            log.warning("the demo scene %s stopped: %s", name, err)
            self.state, self.caption = "stopped", texts["stopped"]
        else:
            self.state, self.caption = "finished", texts["finished"]
        self._changed()

    def _values(self) -> dict[str, str]:
        today = dt.date.today()
        days = {f"day{n}": (today + dt.timedelta(days=n)).isoformat() for n in (60, 120, 180)}
        due = (today + dt.timedelta(days=30)).isoformat()
        since = today - dt.timedelta(days=180)  # the period under review ends before today
        period = f"{since.isoformat()} to {(today - dt.timedelta(days=1)).isoformat()}"
        inside = {  # two days inside the period, for the agency review's chronology
            "early": (today - dt.timedelta(days=120)).isoformat(),
            "late": (today - dt.timedelta(days=60)).isoformat(),
        }
        values = {"invite": self.invite() or "", "due": due, "ref": "", "code": "", **days}
        return {**values, "period": period, **inside}

    def _conditions(self) -> dict[str, bool]:
        """What is already done, read once at the start (the steps change it as they go)."""
        path = self.db_path()
        if path is None:
            return {}
        pat, lead = self.seats["practitioner"].user_id, self.seats["lead"].user_id
        db = open_db(path)
        try:
            registered = practitioners.get_practitioner(db, pat) is not None
            now = dt.datetime.now(dt.UTC)
            mid_check = drafts.load_draft(db, pat, now, DRAFT_TTL_HOURS) is not None
            known = practitioners.get_practitioner(db, lead)
        finally:
            db.conn.close()
        return {
            "registered": registered,
            "unregistered": not registered,
            "mid_check": mid_check,
            "lead_unregistered": known is None or not known.lead or known.agency != LEAD_AGENCY,
        }

    async def _step(self, step: Step, values: dict[str, str]) -> None:
        seat = self.seats[step.seat]
        watched = self.seats[step.into or step.seat]
        since = self.api.mark()
        update: dict[str, Any] | None = None
        if "{event_" in step.say:  # the learning event's times, from the moment it is scheduled
            values.update(_event_times(dt.datetime.now(dt.UTC)))
        if step.say:
            self.api.send_text(seat.user_id, step.say.format_map(values), seat.chat_id)
        elif step.press:
            try:
                update = self.api.press_button(seat.user_id, seat.chat_id, step.press)
            except LookupError as err:
                raise SceneStopped(f"no button {step.press!r} in {seat.slug}") from err
        else:
            since = self._start
        found = await self._answer(step, watched, since, update, values)
        if step.capture and found is not None:
            match = CAPTURES[step.capture].search(found.text or "")
            if match is None:
                raise SceneStopped(f"no {step.capture} in {found.text!r}")
            values[step.capture] = match[1]

    async def _answer(
        self,
        step: Step,
        seat: Seat,
        since: int,
        update: dict[str, Any] | None,
        values: dict[str, str],
    ) -> Msg | None:
        """Wait for what the step expects; the message it found, if it looked for one."""
        try:
            if step.button:
                return await self.api.wait_for(
                    lambda: _with_button(self.api.bot_messages(seat.chat_id), step.button, since),
                    STEP_SECONDS,
                    what=f"a {step.button!r} button in {seat.slug}",
                )
            if update is not None and not step.expect:
                query = update["callback_query"]["id"]
                await self.api.wait_for(
                    lambda: self.api.callback_answer(query), STEP_SECONDS, what="the press answered"
                )
                return None
            expect = step.expect.format_map(values) or None
            return await self.api.wait_for_message(
                seat.chat_id, expect, since=since, timeout=STEP_SECONDS
            )
        except TimeoutError as err:
            raise SceneStopped(str(err)) from None


def _event_times(now: dt.datetime) -> dict[str, str]:
    """A learning event two minutes from `now`, one minute long, in the board's time (the next
    morning's when that would cross midnight)."""
    start = (now + dt.timedelta(minutes=2)).astimezone(BOARD_TZ)
    if (start + dt.timedelta(minutes=1)).date() != start.date():
        start = dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(9), BOARD_TZ)
    end = start + dt.timedelta(minutes=1)
    return {
        "event_day": start.date().isoformat(),
        "event_start": f"{start:%H:%M}",
        "event_end": f"{end:%H:%M}",
    }


def _with_button(messages: list[Msg], label: str, since: int) -> Msg | None:
    """The newest of `messages` carrying a button labelled `label`, sent or changed after
    `since` (a scene played again must not press the buttons of the last time)."""
    found = (m for m in reversed(messages) if m.seq > since and label in m.button_texts)
    return next(found, None)

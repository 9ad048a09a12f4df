"""The one set of labels: statuses, decisions and grades as people read them, and the words of
buttons, command menus, placeholders and the short phrases messages are built from.

The words live in `labels.toml` beside this module; grades and statutory flags are named by the
matrix (`grade_label`, `flag_label`), so that each has one name wherever it is shown. Messages,
the `/case` record, the queue, `/stats`, the reports and the decision cards all use these.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

from matrix.engine import load_matrix
from matrix.model import Matrix

LABELS_FILE = Path(__file__).resolve().with_name("labels.toml")


@functools.cache
def _table() -> dict[str, Any]:
    """The parsed `labels.toml` (read once)."""
    with LABELS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def _section(name: str, profile: str | None = None) -> dict[str, str]:
    """The labels of section `name`, in the words of `profile` where it has its own
    (`[profile.<name>.<section>]`)."""
    section: dict[str, str] = _table()[name]
    own = _table().get("profile", {}).get(profile or "", {}).get(name)
    return {**section, **own} if own else section


def status_label(status: str, profile: str | None = None) -> str:
    """A referral status as a sentence says it ("awaiting the chair"), in the words of the
    referral's `profile`."""
    return _section("status", profile).get(status, status.replace("_", " "))


def action_status_label(status: str) -> str:
    """An action's status as a sentence says it ("open", "done")."""
    return _section("action_status").get(status, status)


def review_stage_label(stage: str, **values: object) -> str:
    """A review's stage as people read it ("agency reviews, 1 of 2 in": `submitted` and
    `asked` fill its counts)."""
    return _section("review_stage")[stage].format(**values)


def review_due_label(due_for: str) -> str:
    """Which of the plan's dates a review's next date due is ("report due")."""
    return _section("review_due").get(due_for, due_for.replace("_", " "))


def decision_label(decision: str | None, profile: str | None = None) -> str:
    """The chair's decision as people read it; None (not decided yet) is "Awaiting the chair"
    (in the words of the referral's `profile`)."""
    if not decision:
        return _section("decision", profile)["none"]
    return _section("decision", profile).get(decision, decision)


def grade_label(grade: str) -> str:
    """A grade as the matrix names it ("Severe")."""
    return load_matrix().label(grade)


def flag_label(flag: str, matrix: Matrix | None = None) -> str:
    """A statutory flag as `matrix` (the referral's own profile's; the packaged 2013 matrix when
    None) describes it."""
    return (matrix or load_matrix()).flags[flag].description


def flag_short(flag: str, profile: str | None = None) -> str:
    """A statutory flag in a few words ("SCR required"), for the event log, in the words of
    the referral's `profile`."""
    return _section("flag", profile).get(flag, flag.replace("_", " "))


def clock_outcome(outcome: str) -> str:
    """How a statutory clock was closed, as people read it ("Panel notified", "LCSPR")."""
    return _section("clock_outcome").get(outcome, outcome.replace("_", " "))


def button(name: str, **values: object) -> str:
    """The label of the button `name` (with its `{placeholders}` filled)."""
    return _section("button")[name].format(**values)


def placeholder(name: str) -> str:
    """What an empty reply field shows while the answer `name` is awaited."""
    return _section("placeholder")[name]


def phrase(name: str, profile: str | None = None, **values: object) -> str:
    """A short phrase a message is built from (with its `{placeholders}` filled), in the words
    of `profile` where it has its own."""
    return _section("phrase", profile)[name].format(**values)


def menu(scope: str) -> list[tuple[str, str]]:
    """The command menu of `scope` ("private" or "board"): (command, description), in order."""
    return list(_table()["menu"][scope].items())


def board_commands() -> frozenset[str]:
    """The commands that work only in the board group (its menu less the private chat's)."""
    private = {command for command, _ in menu("private")}
    return frozenset(command for command, _ in menu("board") if command not in private)

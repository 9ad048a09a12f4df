"""`triage-bot diagram`: the practitioner machine as Mermaid, generated from the machine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import main
from dialogs.core.machine import machine_for
from dialogs.diagram import mermaid
from dialogs.questions import CHECK, QUESTIONS


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["diagram", *args]) == 0
    return capsys.readouterr().out


def test_diagram_is_a_state_diagram_of_every_state(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys)
    lines = out.splitlines()
    assert lines[:4] == ["---", "practitioner", "---", "stateDiagram-v2"]  # titled by transitions
    assert "  [*] --> privacy" in lines
    for question in QUESTIONS:
        assert f'  state "{question.short}" as {question.id}' in lines
    assert '  state "Change an answer" as change' in lines


def test_edges_carry_triggers_and_condition_names(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run(capsys).splitlines()
    for edge in (
        "kind --> abuse: next [concern]",
        "kind --> agencies: next",
        "died --> custody: next [child_died]",
        "died --> harmed: next [child_alive]",
        "sexual --> suicide: back [child_died]",
        "confirm --> change: change",
        "change --> died: change_to_died",
        "change --> confirm: back | summary",
        "confirm --> [*]: submit",
        "confirm --> [*]: cancel",
    ):
        assert f"  {edge}" in lines


def test_every_declared_transition_is_drawn_once(capsys: pytest.CaptureFixture[str]) -> None:
    machine = machine_for(CHECK)
    declared = sum(
        len(ts) for event in machine.events.values() for ts in event.transitions.values()
    )
    lines = _run(capsys).splitlines()
    edges = [line for line in lines if " --> " in line and not line.startswith("  [*]")]
    # transitions between the same two states share an edge, their labels joined by " | "
    labels = [label for edge in edges for label in edge.split(": ", 1)[1].split(" | ")]
    outcomes = 2  # submit, cancel
    assert len(labels) == declared + outcomes
    assert len(set(edges)) == len(edges)
    assert [line for line in lines if line.startswith("  [*]")] == ["  [*] --> privacy"]


def test_forward_leaves_out_back_and_change_edges(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--forward")
    assert ": back" not in out and "| back" not in out and "change_to_" not in out
    assert "died --> custody: next [child_died]" in out
    assert out == mermaid(machine_for(CHECK), forward=True)


def test_markdown_wraps_in_a_mermaid_fence(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "--markdown")
    assert out.startswith("```mermaid\n---\npractitioner\n---\nstateDiagram-v2\n")
    assert out.endswith("```\n")


def test_diagram_does_not_import_telegram() -> None:
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "assert main(['diagram']) == 0\n"
        "assert not any(m == 'telegram' or m.startswith('telegram.') for m in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "\nstateDiagram-v2\n" in done.stdout

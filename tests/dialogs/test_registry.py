"""Every questionnaire type is built once, in one registry, each on its one machine."""

from __future__ import annotations

import pytest
from dialog_helpers import AGENCIES

from dialogs.brief_questions import BRIEF
from dialogs.core.machine import machine_for
from dialogs.plan_questions import PLAN
from dialogs.questions import CHECK
from dialogs.registry import Dialogs
from matrix.engine import load_matrix


def test_the_registry_holds_each_questionnaire_on_its_one_machine() -> None:
    matrix = load_matrix()
    dialogs = Dialogs.configured(AGENCIES, matrix, procedures="the local procedures")
    assert dialogs.check.machine is machine_for(CHECK)
    assert dialogs.plan.machine is machine_for(PLAN)
    assert dialogs.brief.machine is machine_for(BRIEF)
    assert dialogs.check.agencies == dialogs.plan.agencies == tuple(AGENCIES)
    assert dialogs.check.matrix is matrix
    assert dialogs.check.procedures == "the local procedures"


def test_a_move_that_fails_leaves_its_place_idle_and_empty() -> None:
    machine = machine_for(CHECK)
    with pytest.raises(RuntimeError), machine.moving("kind", {"kind": "concern"}) as place:
        assert place in machine.models and place not in machine.idle
        raise RuntimeError("a failure in the middle of a move")
    assert place in machine.idle and place.answers == {}
    with machine.moving(CHECK.first, {}) as again:
        assert again is place and again.state == CHECK.first
    assert machine.leaves("kind", "back") and not machine.leaves(CHECK.first, "back")

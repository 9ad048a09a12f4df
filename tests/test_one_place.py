"""Each kind of wording or format has one home, and every value it covers is in it.

One set of labels (`templates/labels`) names every status and decision; one module
(`bot.delivery.keyboards`) encodes, matches and parses every callback format; one definition of
the reference format (`storage.references`); one routing table for the outbox kinds
(`notices.RENDERERS`) and one for awaited inputs (`bot.routes.AWAITED_ROUTES`, the board's
routes with the private chat's); one routing table for the handlers (`bot.routes`); and one
module that reads settings from the environment (`bot.settings`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot import board, practitioner
from bot.delivery import keyboards, notices, queue_keyboards, review_keyboards
from bot.routes import AWAITED_ROUTES
from matrix.engine import load_matrix
from matrix.model import GRADES
from storage.inputs import InputKind
from storage.lifecycle import STATUSES
from storage.outbox import OutboxKind
from storage.references import format_ref
from storage.referrals import DECISIONS
from templates import labels

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    p
    for package in ("bot", "storage", "reports", "dialogs", "demo", "templates")
    for p in (ROOT / package).rglob("*.py")
)


def test_every_status_and_decision_has_its_own_label() -> None:
    table = labels._table()
    assert set(table["status"]) == set(STATUSES)
    assert set(table["decision"]) == {*DECISIONS, "none"}
    assert labels.status_label("awaiting_chair") == "awaiting the chair"
    assert labels.decision_label("escalated") == "Review approved at a higher grade"
    assert labels.decision_label(None) == "Awaiting the chair"
    shown = [labels.status_label(s) for s in STATUSES]
    assert len(set(shown)) == len(shown)  # no two statuses read the same


def test_grades_and_flags_are_named_by_the_matrix() -> None:
    matrix = load_matrix()
    assert [labels.grade_label(g) for g in GRADES] == [matrix.label(g) for g in GRADES]
    assert labels.flag_label("cdop") == matrix.flags["cdop"].description


def test_the_command_menus_keep_their_order() -> None:
    private = [c for c, _ in labels.menu("private")]
    assert private == ["start", "back", "cancel", "help", "privacy", "mydata", "forget", "briefs"]
    board = [c for c, _ in labels.menu("board")]
    assert board[:3] == ["queue", "case", "note"] and board[-1] == "help"


def test_every_outbox_kind_has_one_renderer_and_every_awaited_kind_one_route() -> None:
    assert set(notices.RENDERERS) == set(OutboxKind)
    assert set(AWAITED_ROUTES) == set(InputKind)
    assert not set(board.AWAITED) & set(practitioner.AWAITED)  # each kind routed once
    # the stored strings are those of the rows already in databases
    assert {k.value for k in OutboxKind} == {
        "board_notice",
        "chair_card",
        "receipt",
        "question",
        "answer",
        "decision",
        "reminder",
        "action_lead",
        "action_update",
        "actions_overdue",
        "brief_card",
        "brief",
        "terms_card",
        "terms_update",
        "lower_grade",
        "regrade_notice",
        "event_invite",
        "event_reminder",
        "event_feedback",
        "themes",
        "agency_review_ask",
        "agency_review_no_lead",
        "agency_review_in",
        "agency_review_due",
        "agency_reviews_overdue",
    }
    assert {k.value for k in InputKind} == {
        "escalate_reason",
        "decline_reason",
        "chair_question",
        "info_answer",
        "plan",
        "action_evidence",
        "action_late",
        "brief",
        "brief_back",
        "terms_back",
        "feedback",
        "agency_review",
    }


REF = format_ref(2026, 7)
ENCODED = {
    keyboards.ANSWER_PATTERN: keyboards.answer_data("0123456789abcdef", "privacy", "ok"),
    keyboards.CHAIR_PATTERN: keyboards.chair_data(REF, "grade", "severe"),
    keyboards.PLAN_PATTERN: keyboards.plan_data(REF, "family", "no"),
    queue_keyboards.PAGE_PATTERN: queue_keyboards.page_data(12, queue_keyboards.NEXT, REF),
    keyboards.ACTION_PATTERN: keyboards.action_data(REF, 3, "late"),
    keyboards.TERMS_PATTERN: keyboards.terms_data(REF, 2, "back"),
    review_keyboards.AGENCY_REVIEW_PATTERN: review_keyboards.agency_review_data(
        REF, "Health", "lessons:done"
    ),
}


def test_each_callback_format_round_trips_and_only_its_own_pattern_matches_it() -> None:
    assert keyboards.parse_answer(ENCODED[keyboards.ANSWER_PATTERN]) == keyboards.AnswerData(
        "01234567", "privacy", "ok"
    )
    assert keyboards.parse_chair(ENCODED[keyboards.CHAIR_PATTERN]) == keyboards.ChairData(
        REF, "grade", "severe"
    )
    assert keyboards.parse_plan(ENCODED[keyboards.PLAN_PATTERN]) == keyboards.PlanData(
        REF, "family", "no"
    )
    assert queue_keyboards.parse_page(
        ENCODED[queue_keyboards.PAGE_PATTERN]
    ) == queue_keyboards.PageData(12, "n", REF)
    assert queue_keyboards.parse_page("g:12") == queue_keyboards.PageData(12)  # older buttons
    assert keyboards.parse_action(ENCODED[keyboards.ACTION_PATTERN]) == keyboards.ActionData(
        REF, 3, "late"
    )
    assert review_keyboards.parse_agency_review(
        ENCODED[review_keyboards.AGENCY_REVIEW_PATTERN]
    ) == (
        REF,
        review_keyboards.agency_key("health"),
        "answer",
        "lessons",
        "done",
    )
    assert review_keyboards.parse_agency_review(
        review_keyboards.agency_review_data(REF, "Police", "start")
    ) == (
        REF,
        review_keyboards.agency_key("Police"),
        "start",
        None,
        None,
    )
    assert keyboards.parse_terms(ENCODED[keyboards.TERMS_PATTERN]) == keyboards.TermsData(
        REF, 2, "back"
    )
    for pattern in ENCODED:
        matching = [data for data in ENCODED.values() if re.match(pattern, data)]
        assert matching == [ENCODED[pattern]]


@pytest.mark.parametrize(
    "data",
    [
        "",
        "g:",
        "g:x",
        "p:LIR-1:a:b",
        "c:lir-2026-0001:approve",
        "a:LIR-2026-0001:1:finished",
        "t:LIR-2026-0001:x:ok",
    ],
)
def test_malformed_callback_data_parses_as_nothing(data: str) -> None:
    parsed = (
        keyboards.parse_answer(data),
        keyboards.parse_chair(data),
        keyboards.parse_plan(data),
        queue_keyboards.parse_page(data),
        keyboards.parse_action(data),
        keyboards.parse_terms(data),
    )
    assert parsed == (None, None, None, None, None, None)


def _handler_patterns(tree: ast.Module) -> list[ast.expr]:
    return [
        keyword.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "CallbackQueryHandler"
        for keyword in node.keywords
        if keyword.arg == "pattern"
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_callback_data_and_references_are_matched_in_their_one_place(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    for pattern in _handler_patterns(tree):
        assert isinstance(pattern, ast.Attribute) and pattern.attr.endswith("_PATTERN"), (
            f"line {pattern.lineno}: a handler's pattern comes from bot.delivery.keyboards"
        )
    rel = path.relative_to(ROOT).as_posix()
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    if rel != "bot/delivery/keyboards.py":
        assert not [s for s in literals if re.match(r"\^?[a-z]:", s)], "callback format"
    if rel != "storage/references.py":
        assert not [s for s in literals if "LIR-\\d" in s or "LIR-{" in s], "reference format"


def _reads_environment(tree: ast.Module) -> list[int]:
    """Lines that read the process environment (`os.environ`, `os.getenv`, `environ` imported)."""
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("environ", "environb", "getenv", "getenvb")
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]
    lines += [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        and node.module == "os"
        and {"environ", "getenv"} & {alias.name for alias in node.names}
    ]
    return lines


OURS = ("bot", "demo", "dialogs", "localapi", "matrix", "reports", "services", "storage")
ENVIRONMENT_READERS = sorted(
    p for package in (*OURS, "templates") for p in (ROOT / package).rglob("*.py")
)


@pytest.mark.parametrize("path", ENVIRONMENT_READERS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_settings_are_read_from_the_environment_in_one_module(path: Path) -> None:
    if path.relative_to(ROOT).as_posix() == "bot/settings.py":
        return
    lines = _reads_environment(ast.parse(path.read_text(encoding="utf-8")))
    assert not lines, f"lines {lines}: read settings through bot.settings, not the environment"


def test_handlers_are_registered_in_the_one_routing_table() -> None:
    registering = sorted(
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "bot").rglob("*.py")
        if re.search(r"\.add_handlers?\(", p.read_text(encoding="utf-8"))
    )
    assert registering == ["bot/routes.py"]

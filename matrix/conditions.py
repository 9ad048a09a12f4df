"""Conditions over facts as a small tree (all / any / not over tests), evaluated generically.

The loader builds these from the `when` tables of `matrix.toml`; `evaluate` decides them against
validated facts and `describe` writes them out for people (the `triage-bot matrix` table).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Operator = Literal["eq", "ne", "in", "nonempty", "contains"]
OPERATORS: tuple[Operator, ...] = ("eq", "ne", "in", "nonempty", "contains")
TestValue = bool | str | tuple[str, ...]


@dataclass(frozen=True)
class AllOf:
    """Holds when every item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """Holds when at least one item holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Holds when its item does not."""

    item: Condition


@dataclass(frozen=True)
class Test:
    """A leaf: one fact compared with a value by an operator.

    eq / ne: the fact equals / differs from the value; in: the fact is one of the values;
    nonempty: a set fact is (value true) or is not (value false) empty; contains: a set fact
    holds the value.
    """

    fact: str
    op: Operator
    value: TestValue


Condition = AllOf | AnyOf | Not | Test


def evaluate(condition: Condition, facts: Mapping[str, TestValue]) -> bool:
    """Decide `condition` against validated facts (every fact present, of the right type)."""
    match condition:
        case AllOf(items):
            return all(evaluate(item, facts) for item in items)
        case AnyOf(items):
            return any(evaluate(item, facts) for item in items)
        case Not(item):
            return not evaluate(item, facts)
        case Test(fact, op, value):
            return _test(facts[fact], op, value)
    raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - exhaustive


def _test(actual: TestValue, op: Operator, value: TestValue) -> bool:
    if op == "eq":
        return actual == value
    if op == "ne":
        return actual != value
    if op == "in":
        return isinstance(value, tuple) and actual in value
    if op == "nonempty":
        return bool(actual) == value
    # contains
    return isinstance(actual, tuple) and value in actual


def describe(condition: Condition) -> str:
    """The condition in words, e.g. `abuse_or_neglect in (known, suspected) and child_died`."""
    return _describe(condition, top=True)


def _describe(condition: Condition, top: bool = False) -> str:
    match condition:
        case AllOf(items):
            text = " and ".join(_describe(item) for item in items)
            return text if top or len(items) == 1 else f"({text})"
        case AnyOf(items):
            text = " or ".join(_describe(item) for item in items)
            return text if top or len(items) == 1 else f"({text})"
        case Not(Test(fact, "eq", value)) if not isinstance(value, bool):
            return f"{fact} != {value}"
        case Not(item):
            return f"not {_describe(item)}"
        case Test(fact, op, value):
            return _describe_test(fact, op, value)
    raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - exhaustive


def _describe_test(fact: str, op: Operator, value: TestValue) -> str:
    if op == "eq" and value is True:
        return fact
    if op == "eq" and value is False:
        return f"not {fact}"
    if op == "nonempty":
        return f"{fact} not empty" if value else f"{fact} empty"
    if op == "in" and isinstance(value, tuple):
        return f"{fact} in ({', '.join(value)})"
    symbol = {"eq": "=", "ne": "!=", "contains": "contains"}[op]
    return f"{fact} {symbol} {value}"

"""Building condition trees from the `when` tables of `matrix.toml`, checked against the facts.

`parse_condition` turns `{ all = [...] }`, `{ any = [...] }`, `{ not = {...} }` and leaves like
`{ fact = "injury", eq = "minor" }` into `matrix.conditions` values, refusing an unknown fact, an
operator that does not apply to the fact's type or a value outside its allowed set with a
`MatrixError` that gives the path inside the condition (e.g. `at when.all[1]`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matrix.conditions import OPERATORS, AllOf, AnyOf, Condition, Not, Operator, Test, TestValue
from matrix.facts import check_value
from matrix.model import FactsError, FactSpec, MatrixError


def parse_condition(raw: Any, facts: Mapping[str, FactSpec], where: str, path: str) -> Condition:
    """Build the condition `raw`; `where` names the entry and `path` the place inside it."""
    if not isinstance(raw, Mapping):
        raise MatrixError(f"{where}: a condition must be a table at {path}")
    forms = [k for k in ("all", "any", "not", "fact") if k in raw]
    if len(forms) != 1:
        raise MatrixError(
            f"{where}: a condition needs exactly one of all, any, not, fact at {path}"
        )
    form = forms[0]
    if form in ("all", "any"):
        if set(raw) != {form}:
            raise MatrixError(f"{where}: unexpected keys {_extra(raw, {form})} at {path}")
        items = raw[form]
        if not isinstance(items, list) or not items:
            raise MatrixError(f"{where}: {form} needs a non-empty list at {path}")
        parsed = tuple(
            parse_condition(item, facts, where, f"{path}.{form}[{i}]")
            for i, item in enumerate(items)
        )
        return AllOf(parsed) if form == "all" else AnyOf(parsed)
    if form == "not":
        if set(raw) != {"not"}:
            raise MatrixError(f"{where}: unexpected keys {_extra(raw, {'not'})} at {path}")
        return Not(parse_condition(raw["not"], facts, where, f"{path}.not"))
    return _test(raw, facts, where, path)


def _test(raw: Mapping[str, Any], facts: Mapping[str, FactSpec], where: str, path: str) -> Test:
    name = raw["fact"]
    if not isinstance(name, str) or name not in facts:
        raise MatrixError(f"{where}: unknown fact {name!r} at {path}")
    spec = facts[name]
    ops = [k for k in raw if k != "fact"]
    if len(ops) != 1 or ops[0] not in OPERATORS:
        raise MatrixError(
            f"{where}: a test needs exactly one operator of {', '.join(OPERATORS)} at {path}"
        )
    op: Operator = ops[0]
    value = raw[op]
    allowed = {"bool": ("eq", "ne"), "enum": ("eq", "ne", "in"), "set": ("nonempty", "contains")}
    if op not in allowed[spec.type]:
        raise MatrixError(
            f"{where}: operator {op!r} does not apply to {spec.type} fact {name!r} at {path}"
        )
    checked: TestValue
    try:
        if op == "in":
            if not isinstance(value, list) or not value:
                raise MatrixError(f"{where}: 'in' needs a non-empty list at {path}")
            checked = tuple(str(check_value(spec, v)) for v in value)
        elif op == "nonempty":
            if not isinstance(value, bool):
                raise MatrixError(f"{where}: 'nonempty' needs true or false at {path}")
            checked = value
        elif op == "contains":
            checked = check_value(FactSpec(name, "enum", "", spec.values), value)
        else:
            checked = check_value(spec, value)
    except FactsError as exc:
        raise MatrixError(f"{where}: {exc} at {path}") from None
    return Test(name, op, checked)


def _extra(entry: Mapping[str, Any], allowed: set[str]) -> str:
    return ", ".join(repr(k) for k in entry if k not in allowed)

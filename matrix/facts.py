"""Validation of the facts a check produces against the matrix's facts schema.

`validate_facts` fills in the defaults of missing keys and refuses an unknown key, a wrong type
or a value outside the allowed set with a `FactsError` that names the key and the allowed values.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from matrix.model import FactsError, FactSpec, FactValue


def validate_facts(facts: object, specs: Mapping[str, FactSpec]) -> dict[str, FactValue]:
    """Check `facts` against `specs` and return every fact, defaults filled in.

    Set facts come back as tuples in the schema's order of values, without duplicates.
    """
    if not isinstance(facts, Mapping):
        raise FactsError(f"facts must be an object of fact names to values, not {_kind(facts)}")
    for key in facts:
        if key not in specs:
            names = tuple(specs)
            raise FactsError(
                f"unknown fact {key!r}; allowed facts: {', '.join(names)}", key=str(key)
            )
    out: dict[str, FactValue] = {}
    for name, spec in specs.items():
        out[name] = check_value(spec, facts[name]) if name in facts else spec.default
    return out


def check_value(spec: FactSpec, value: Any) -> FactValue:
    """Return `value` as a valid value of `spec`, or raise `FactsError`."""
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        raise _error(spec, value, "not a boolean")
    if spec.type == "enum":
        if isinstance(value, str) and value in spec.values:
            return value
        raise _error(spec, value, "not allowed")
    if not isinstance(value, list | tuple | set | frozenset):
        raise _error(spec, value, "not a list")
    for item in value:
        if not (isinstance(item, str) and item in spec.values):
            raise _error(spec, item, "not allowed in the list")
    return tuple(v for v in spec.values if v in value)


def _error(spec: FactSpec, value: Any, what: str) -> FactsError:
    allowed = ("true", "false") if spec.type == "bool" else spec.values
    return FactsError(
        f"{spec.name}: {_show(value)} is {what}; allowed values: {spec.allowed_text()}",
        key=spec.name,
        allowed=allowed,
    )


def _show(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):  # pragma: no cover - default=repr handles the rest
        return repr(value)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    return type(value).__name__

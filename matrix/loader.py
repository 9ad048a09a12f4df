"""Reading and validating a matrix file (a profile: `matrix.toml`, `wt2023.toml`) into a `Matrix`.

Every entry is checked: the profile's name and terms, the facts schema (with the words of its
answers), the six grade rows (in order) and the `none` row, each criterion and its condition,
each flag (and its `route_first` and `route_only_when_set`), the statutory clocks, and the
`could_be` table.
A problem raises `MatrixError` naming the bad entry, e.g.
`criteria[3] (id 'sev_injury'): unknown fact 'injurie' at when.all[1]`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, cast

from matrix.condition_parser import parse_condition
from matrix.could_be import parse_could_be, parse_fact_words
from matrix.facts import check_value
from matrix.model import (
    CLOCK_UNITS,
    FILED,
    FLAGS,
    GRADES,
    NONE,
    TERMS,
    ClockRule,
    Criterion,
    FactsError,
    FactSpec,
    FactType,
    FlagRule,
    GradeInfo,
    Matrix,
    MatrixError,
)

_TOP_KEYS = {
    "version",
    "title",
    "escalation",
    "facts",
    "grades",
    "none",
    "criteria",
    "flags",
    "could_be",
    "profile",
    "terms",
    "clocks",
}
_FACT_KEYS = {"type", "default", "values", "description", "unknown", "answers"}
_GRADE_TEXT = (
    "label",
    "incident",
    "statutory_compliance",
    "type_of_review",
    "approaches",
    "reputation",
)
_GRADE_LISTS = ("review_types", "methodology", "reporting")
_GRADE_KEYS = {"id", "concern", *_GRADE_TEXT, *_GRADE_LISTS}
_CRITERION_KEYS = {"id", "grade", "quote", "ref", "when", "only_if_no_concern"}
_FLAG_KEYS = {"description", "when", "when_grade_matched", "route_first", "route_only_when_set"}
_CLOCK_KEYS = {"label", "days", "unit", "from", "flag"}


def parse_toml(text: str, source: str = "matrix.toml") -> Matrix:
    """Parse and validate the text of a matrix file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MatrixError(f"{source}: not valid TOML: {exc}") from None
    try:
        return build_matrix(data)
    except MatrixError as exc:
        raise MatrixError(f"{source}: {exc}") from None


def build_matrix(data: Mapping[str, Any]) -> Matrix:
    """Validate the parsed TOML tables and build the `Matrix`."""
    _keys(
        data,
        "top level",
        _TOP_KEYS,
        {"version", "profile", "terms", "facts", "grades", "none", "criteria", "flags"},
    )
    version = _text(data, "version", "top level", nonempty=True)
    profile = _text(data, "profile", "top level", nonempty=True)
    facts = _facts(_table(data, "facts"))
    grade_rows = _list(data, "grades")
    grades = {}
    for i, row in enumerate(grade_rows):
        info = _grade(row, f"grades[{i}]")
        where = f"grades[{i}] (id {info.id!r})"
        if info.id not in GRADES:
            raise MatrixError(f"{where}: unknown grade {info.id!r}; grades: {', '.join(GRADES)}")
        if info.id in grades:
            raise MatrixError(f"{where}: duplicate grade {info.id!r}")
        grades[info.id] = info
    if tuple(grades) != GRADES:
        raise MatrixError(f"grades: expected the rows {', '.join(GRADES)} in that order")
    none = _grade(_table(data, "none"), "none")
    if none.id != NONE:
        raise MatrixError(f"none: id must be {NONE!r}, not {none.id!r}")
    criteria = _criteria(_list(data, "criteria"), facts)
    flags = _flags(_table(data, "flags"), facts)
    could_be = parse_could_be(data.get("could_be"), facts)
    terms = _as_table(data["terms"], "terms")
    _keys(terms, "terms", set(TERMS), set(TERMS))
    for key in TERMS:
        _text(terms, key, "terms", nonempty=True)
    clocks = _clocks(_as_table(data.get("clocks", {}), "clocks"))
    return Matrix(
        version=version,
        title=_text(data, "title", "top level", required=False),
        escalation=_text(data, "escalation", "top level", required=False),
        facts=MappingProxyType(facts),
        grades=MappingProxyType(grades),
        none=none,
        criteria=criteria,
        flags=MappingProxyType(flags),
        could_be=could_be,
        profile=profile,
        terms=MappingProxyType({key: str(terms[key]) for key in TERMS}),
        clocks=clocks,
    )


def _facts(table: Mapping[str, Any]) -> dict[str, FactSpec]:
    if not table:
        raise MatrixError("facts: no facts declared")
    specs: dict[str, FactSpec] = {}
    for name, raw in table.items():
        where = f"facts.{name}"
        entry = _as_table(raw, where)
        _keys(entry, where, _FACT_KEYS, {"type", "default"})
        kind = entry["type"]
        if kind not in ("bool", "enum", "set"):
            raise MatrixError(f"{where}: type must be bool, enum or set, not {kind!r}")
        values: tuple[str, ...] = ()
        if kind == "bool":
            if "values" in entry:
                raise MatrixError(f"{where}: a bool fact takes no values")
        else:
            values = tuple(_strings(entry, "values", where))
            if not values:
                raise MatrixError(f"{where}: values must not be empty")
            if len(set(values)) != len(values):
                raise MatrixError(f"{where}: values repeat")
        spec = FactSpec(
            name=name,
            type=cast(FactType, kind),
            default=False,
            values=values,
            description=_text(entry, "description", where, required=False),
        )
        try:
            default = check_value(spec, entry["default"])
        except FactsError as exc:
            raise MatrixError(f"{where}: bad default: {exc}") from None
        unknown, answers = parse_fact_words(entry, spec, where)
        specs[name] = FactSpec(
            spec.name, spec.type, default, spec.values, spec.description, unknown, answers
        )
    return specs


def _grade(raw: Any, where: str) -> GradeInfo:
    entry = _as_table(raw, where)
    grade_id = _text(entry, "id", where, nonempty=True)
    where = f"{where} (id {grade_id!r})"
    _keys(entry, where, _GRADE_KEYS, _GRADE_KEYS)
    concern = entry["concern"]
    if not isinstance(concern, bool):
        raise MatrixError(f"{where}: concern must be true or false")
    for key in _GRADE_TEXT:
        _text(entry, key, where, nonempty=key == "label")
    for key in _GRADE_LISTS:
        _strings(entry, key, where)
    return GradeInfo(
        id=grade_id,
        label=entry["label"],
        concern=concern,
        incident=entry["incident"],
        statutory_compliance=entry["statutory_compliance"],
        type_of_review=entry["type_of_review"],
        approaches=entry["approaches"],
        reputation=entry["reputation"],
        review_types=tuple(entry["review_types"]),
        methodology=tuple(entry["methodology"]),
        reporting=tuple(entry["reporting"]),
    )


def _criteria(rows: list[Any], facts: Mapping[str, FactSpec]) -> tuple[Criterion, ...]:
    seen: set[str] = set()
    out = []
    for i, raw in enumerate(rows):
        where = f"criteria[{i}]"
        entry = _as_table(raw, where)
        if isinstance(entry.get("id"), str):
            where = f"{where} (id {entry['id']!r})"
        _keys(entry, where, _CRITERION_KEYS, {"id", "grade", "quote", "when"})
        crit_id = _text(entry, "id", where, nonempty=True)
        if crit_id in seen:
            raise MatrixError(f"{where}: duplicate id {crit_id!r}")
        seen.add(crit_id)
        grade = _text(entry, "grade", where)
        if grade not in GRADES:
            raise MatrixError(f"{where}: unknown grade {grade!r}; grades: {', '.join(GRADES)}")
        only = entry.get("only_if_no_concern", False)
        if not isinstance(only, bool):
            raise MatrixError(f"{where}: only_if_no_concern must be true or false")
        ref = _text(entry, "ref", where, required=False) or None
        out.append(
            Criterion(
                id=crit_id,
                grade=grade,
                quote=_text(entry, "quote", where, nonempty=True),
                when=parse_condition(entry["when"], facts, where, "when"),
                ref=ref,
                only_if_no_concern=only,
            )
        )
    if not out:
        raise MatrixError("criteria: no criteria declared")
    return tuple(out)


def _flags(table: Mapping[str, Any], facts: Mapping[str, FactSpec]) -> dict[str, FlagRule]:
    for name in table:
        if name not in FLAGS:
            raise MatrixError(f"flags.{name}: unknown flag; flags: {', '.join(FLAGS)}")
    out = {}
    for name in FLAGS:
        where = f"flags.{name}"
        if name not in table:
            raise MatrixError(f"{where}: missing")
        entry = _as_table(table[name], where)
        _keys(entry, where, _FLAG_KEYS, {"description"})
        if ("when" in entry) == ("when_grade_matched" in entry):
            raise MatrixError(f"{where}: give exactly one of when, when_grade_matched")
        when = parse_condition(entry["when"], facts, where, "when") if "when" in entry else None
        grade = _text(entry, "when_grade_matched", where, required=False) or None
        if "when_grade_matched" in entry and grade not in GRADES:
            raise MatrixError(f"{where}: unknown grade {grade!r}; grades: {', '.join(GRADES)}")
        description = _text(entry, "description", where, nonempty=True)
        first = _text(entry, "route_first", where, required=False, nonempty=True) or None
        owned = (
            tuple(_strings(entry, "route_only_when_set", where))
            if "route_only_when_set" in entry
            else ()
        )
        out[name] = FlagRule(
            name, description, when, grade, route_first=first, route_only_when_set=owned
        )
    return out


def _clocks(table: Mapping[str, Any]) -> tuple[ClockRule, ...]:
    """The statutory clocks, in file order: each starts from `filed` or an earlier clock."""
    out: list[ClockRule] = []
    for name, raw in table.items():
        where = f"clocks.{name}"
        entry = _as_table(raw, where)
        _keys(entry, where, _CLOCK_KEYS, _CLOCK_KEYS)
        days = entry["days"]
        if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
            raise MatrixError(f"{where}: days must be a positive whole number, not {days!r}")
        unit = _text(entry, "unit", where)
        if unit not in CLOCK_UNITS:
            raise MatrixError(f"{where}: unit must be {' or '.join(CLOCK_UNITS)}, not {unit!r}")
        start = _text(entry, "from", where)
        earlier = [c.name for c in out]
        if start != FILED and start not in earlier:
            allowed = ", ".join([FILED, *earlier])
            raise MatrixError(f"{where}: from must be {allowed} (an earlier clock), not {start!r}")
        flag = _text(entry, "flag", where)
        if flag not in FLAGS:
            raise MatrixError(f"{where}: unknown flag {flag!r}; flags: {', '.join(FLAGS)}")
        label = _text(entry, "label", where, nonempty=True)
        out.append(ClockRule(name, label, days, unit, start, flag))
    return tuple(out)


def _keys(entry: Mapping[str, Any], where: str, allowed: set[str], required: set[str]) -> None:
    extra = _extra(entry, allowed)
    if extra:
        raise MatrixError(f"{where}: unknown field {extra}")
    for key in sorted(required):
        if key not in entry:
            raise MatrixError(f"{where}: missing field {key!r}")


def _extra(entry: Mapping[str, Any], allowed: set[str]) -> str:
    return ", ".join(repr(k) for k in entry if k not in allowed)


def _as_table(raw: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise MatrixError(f"{where}: expected a table")
    return raw


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    return _as_table(data[key], key)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list):
        raise MatrixError(f"{key}: expected an array of tables ([[{key}]])")
    return value


def _text(
    entry: Mapping[str, Any], key: str, where: str, required: bool = True, nonempty: bool = False
) -> str:
    if key not in entry:
        if required:
            raise MatrixError(f"{where}: missing field {key!r}")
        return ""
    value = entry[key]
    if not isinstance(value, str):
        raise MatrixError(f"{where}: {key} must be a string")
    if nonempty and not value.strip():
        raise MatrixError(f"{where}: {key} must not be empty")
    return value


def _strings(entry: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = entry.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MatrixError(f"{where}: {key} must be a list of strings")
    return value

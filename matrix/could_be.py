"""Reading the "could be" of SPEC §3 from `matrix.toml`: unknown values, answer words, sentence.

A fact of type enum may name its `unknown` value (the answer "don't know") and give `answers`,
the words for its values; the top-level `[could_be]` table gives the `sentence` that says one
entry ({grade} and {answer} in it) and, optionally, `skip_when`, a condition describing checks
that get no "could be" (a good-practice check). Problems raise `MatrixError` naming the entry.
The engine (`matrix.engine`) computes the entries; `Matrix.could_be_text` says one in words.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from matrix.condition_parser import parse_condition
from matrix.model import CouldBeRule, FactSpec, MatrixError

FIELDS = ("grade", "answer")
_RULE_KEYS = ("sentence", "skip_when")


def parse_fact_words(
    entry: Mapping[str, Any], spec: FactSpec, where: str
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """A fact's `unknown` value and `answers` words, checked against its values."""
    unknown = entry.get("unknown")
    if unknown is not None:
        if spec.type != "enum":
            raise MatrixError(f"{where}: only an enum fact can name an unknown value")
        if not isinstance(unknown, str) or unknown not in spec.values:
            raise MatrixError(
                f"{where}: unknown must be one of its values: {', '.join(spec.values)}"
            )
    raw = entry.get("answers", {})
    if not isinstance(raw, Mapping):
        raise MatrixError(f"{where}: answers must be a table of value = words")
    for value, words in raw.items():
        if value not in spec.values:
            raise MatrixError(
                f"{where}.answers: {value!r} is not one of its values: {', '.join(spec.values)}"
            )
        if not isinstance(words, str) or not words.strip():
            raise MatrixError(f"{where}.answers.{value}: the words must be non-empty text")
    if unknown is not None:
        missing = [v for v in spec.values if v != unknown and v not in raw]
        if missing:
            raise MatrixError(
                f"{where}: answers gives no words for {', '.join(missing)} (a fact with an "
                "unknown value needs words for each other answer)"
            )
    return unknown, tuple((v, raw[v]) for v in spec.values if v in raw)


def parse_could_be(raw: Any, facts: Mapping[str, FactSpec]) -> CouldBeRule | None:
    """The `[could_be]` table; required when a fact names an unknown value."""
    if raw is None:
        if any(spec.unknown is not None for spec in facts.values()):
            raise MatrixError(
                "could_be: missing (a fact names an unknown value, so a result says in words "
                "what another answer would give)"
            )
        return None
    if not isinstance(raw, Mapping):
        raise MatrixError("could_be: expected a table")
    extra = ", ".join(repr(k) for k in raw if k not in _RULE_KEYS)
    if extra:
        raise MatrixError(f"could_be: unknown field {extra}")
    sentence = raw.get("sentence")
    if not isinstance(sentence, str) or not sentence.strip():
        raise MatrixError("could_be: sentence must be non-empty text")
    _check_sentence(sentence)
    skip = raw.get("skip_when")
    when = None if skip is None else parse_condition(skip, facts, "could_be", "skip_when")
    return CouldBeRule(sentence=sentence, skip_when=when)


def _check_sentence(sentence: str) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(sentence) if name is not None]
    except ValueError as exc:
        raise MatrixError(f"could_be: sentence: {exc}") from None
    bad = [name for name in names if name not in FIELDS]
    if bad:
        raise MatrixError(
            f"could_be: sentence may use only {{grade}} and {{answer}}, not {{{bad[0]}}}"
        )
    for name in FIELDS:
        if name not in names:
            raise MatrixError(f"could_be: sentence must say {{{name}}}")

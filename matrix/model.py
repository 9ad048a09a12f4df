"""The matrix's data types: grades, facts schema, criteria, flags, the loaded `Matrix`, `Result`
(with its "could be" entries) and `Route` (what a referral's current grade implies).

Everything here is a frozen value; the loader (`matrix.loader`) builds them from `matrix.toml`
and the engine (`matrix.engine`) evaluates them. Nothing in this module knows a grade's rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from matrix.conditions import Condition

GRADES: tuple[str, ...] = (
    "catastrophic",
    "severe",
    "significant",
    "moderate",
    "low",
    "best_practice",
)
"""The six grades of Appendix 3, highest first."""

NONE = "none"
"""The outcome when no criterion matched (not a row of the appendix)."""

FLAGS: tuple[str, ...] = ("scr_required", "scr_unless_no_concerns", "cdop", "urgent", "notifiable")
"""The statutory flags reported with every grade."""

TERMS: tuple[str, ...] = (
    "board",
    "board_short",
    "board_long",
    "review",
    "review_short",
    "panel",
    "guidance",
)
"""The framework's words a profile names (SPEC §3, Profiles): the body that reviews (`board`, as
in "the Board"; `board_short` its abbreviation; `board_long` in full), its statutory review
(`review`, short `review_short`), the national `panel` and the statutory `guidance`. Texts that
name the framework (the ToR, the annual report, the notices) take them from the matrix."""

TERMS_2013: Mapping[str, str] = {
    "board": "Board",
    "board_short": "SSCB",
    "board_long": "Safeguarding Children Board",
    "review": "Serious Case Review",
    "review_short": "SCR",
    "panel": "national panel of independent experts",
    "guidance": "Working Together (2013)",
}
"""The 2013 framework's words (the packaged `matrix.toml` states them too)."""

CLOCK_UNITS: tuple[str, ...] = ("working", "calendar")
"""How a clock counts its days: working days (weekends and bank holidays skipped) or all days."""

FILED = "filed"
"""The event a first clock starts from: the referral was filed (the board became aware)."""

FactType = Literal["bool", "enum", "set"]
FactValue = bool | str | tuple[str, ...]


class MatrixError(ValueError):
    """The matrix file is invalid; the message names the bad entry."""


class FactsError(ValueError):
    """The facts given to `grade` are invalid; the message names the key and the allowed values."""

    def __init__(self, message: str, key: str | None = None, allowed: tuple[str, ...] = ()):
        super().__init__(message)
        self.key = key
        self.allowed = allowed


def rank(grade: str) -> int:
    """Order of outcomes: `none` is 0, `best_practice` 1, ... `catastrophic` 6."""
    if grade == NONE:
        return 0
    if grade not in GRADES:
        raise ValueError(f"unknown grade {grade!r}; grades: {', '.join((*GRADES, NONE))}")
    return len(GRADES) - GRADES.index(grade)


@dataclass(frozen=True)
class FactSpec:
    """One fact of the schema: its type, allowed values (enum and set) and default.

    `unknown` names the value that means "not known" (a result then says what the other answers
    would give); `answers` holds the words for answers, as (value, words) in schema order.
    """

    name: str
    type: FactType
    default: FactValue
    values: tuple[str, ...] = ()
    description: str = ""
    unknown: str | None = None
    answers: tuple[tuple[str, str], ...] = ()

    def answer(self, value: str) -> str:
        """The matrix file's words for the answer `value` to this fact."""
        for key, words in self.answers:
            if key == value:
                return words
        raise ValueError(f"{self.name}: the matrix gives no words for the answer {value!r}")

    def allowed_text(self) -> str:
        """The allowed values as a person would read them in an error message."""
        if self.type == "bool":
            return "true, false"
        if self.type == "set":
            return f"a list of any of {', '.join(self.values)}"
        return ", ".join(self.values)


@dataclass(frozen=True)
class GradeInfo:
    """A row of the matrix: the appendix's wording for each cell and the structured lists."""

    id: str
    label: str
    concern: bool
    incident: str
    statutory_compliance: str
    type_of_review: str
    approaches: str
    reputation: str
    review_types: tuple[str, ...]
    methodology: tuple[str, ...]
    reporting: tuple[str, ...]


@dataclass(frozen=True)
class Criterion:
    """A criterion of a grade: the appendix text it comes from and its condition over the facts."""

    id: str
    grade: str
    quote: str
    when: Condition
    ref: str | None = None
    only_if_no_concern: bool = False


@dataclass(frozen=True)
class FlagRule:
    """A statutory flag: set by a condition, or when any criterion of a grade matched."""

    name: str
    description: str
    when: Condition | None = None
    when_grade_matched: str | None = None
    route_first: str | None = None
    route_only_when_set: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClockRule:
    """A statutory clock: `days` (working or calendar, `unit`) from an event, for a referral
    with `flag` set. `start` is `filed` or the name of the clock whose closing starts this one
    (the day of the event is day 0)."""

    name: str
    label: str
    days: int
    unit: str
    start: str
    flag: str


@dataclass(frozen=True)
class Match:
    """A criterion that matched: its grade, id and the quoted appendix text (and regulation)."""

    grade: str
    id: str
    text: str
    ref: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The JSON form of SPEC §6: grade, id and text."""
        return {"grade": self.grade, "id": self.id, "text": self.text}


@dataclass(frozen=True)
class CouldBe:
    """A higher grade that another answer to an unknown fact would give: `fact` = `value`."""

    grade: str
    fact: str
    value: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of SPEC §3: `{"grade": G, "if": {fact: value}}`."""
        return {"grade": self.grade, "if": {self.fact: self.value}}


@dataclass(frozen=True)
class CouldBeRule:
    """How the matrix says a `CouldBe` in words, and which checks get none (`skip_when`)."""

    sentence: str
    skip_when: Condition | None = None


@dataclass(frozen=True)
class Result:
    """The outcome of grading one set of facts.

    `could_be` lists, highest grade first, the higher grades another single answer to a fact
    whose value is unknown would give (empty when none would, and for a check the matrix's
    `could_be.skip_when` describes, such as a good-practice check).
    """

    grade: str
    flags: dict[str, bool] = field(hash=False)
    matched: tuple[Match, ...]
    review_types: tuple[str, ...]
    methodology: tuple[str, ...]
    reporting: tuple[str, ...]
    matrix_version: str
    could_be: tuple[CouldBe, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The result JSON of SPEC §6 (plain dicts, lists and strings), with `could_be`."""
        return {
            "grade": self.grade,
            "flags": {name: bool(self.flags[name]) for name in FLAGS},
            "matched": [m.to_dict() for m in self.matched],
            "review_types": list(self.review_types),
            "methodology": list(self.methodology),
            "reporting": list(self.reporting),
            "matrix_version": self.matrix_version,
            "could_be": [c.to_dict() for c in self.could_be],
        }


@dataclass(frozen=True)
class Route:
    """What the grade a referral has now implies: its flags and its row's review route."""

    grade: str
    flags: dict[str, bool] = field(hash=False)
    review_types: tuple[str, ...]
    methodology: tuple[str, ...]
    reporting: tuple[str, ...]
    matrix_version: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values, flags in `FLAGS` order."""
        return {
            "grade": self.grade,
            "flags": {name: bool(self.flags[name]) for name in FLAGS},
            "review_types": list(self.review_types),
            "methodology": list(self.methodology),
            "reporting": list(self.reporting),
            "matrix_version": self.matrix_version,
        }


@dataclass(frozen=True)
class Matrix:
    """A loaded, validated matrix file."""

    version: str
    title: str
    escalation: str
    facts: Mapping[str, FactSpec]
    grades: Mapping[str, GradeInfo]
    none: GradeInfo
    criteria: tuple[Criterion, ...]
    flags: Mapping[str, FlagRule]
    could_be: CouldBeRule | None = None
    profile: str = "2013"
    terms: Mapping[str, str] = field(default_factory=lambda: dict(TERMS_2013))
    clocks: tuple[ClockRule, ...] = ()

    def review_types(self, grade: str, flags: Mapping[str, bool]) -> tuple[str, ...]:
        """The route of `grade` given the flags set: a flag's `route_first` (e.g. "Rapid
        review" for a notifiable referral under Working Together 2023) comes first, and a
        review type a flag owns (`route_only_when_set`: CDOP belongs to a child's death) is
        left out while that flag is not set, though the grade's row names it."""
        first = [
            rule.route_first
            for name, rule in self.flags.items()
            if rule.route_first and flags.get(name)
        ]
        owned = {
            review
            for name, rule in self.flags.items()
            if not flags.get(name)
            for review in rule.route_only_when_set
        }
        route = (*first, *(r for r in self.info(grade).review_types if r not in owned))
        return tuple(dict.fromkeys(route))

    def clocks_for(self, flags: Mapping[str, bool]) -> tuple[ClockRule, ...]:
        """The clocks a referral with these flags gets (in file order)."""
        return tuple(c for c in self.clocks if flags.get(c.flag))

    def info(self, grade: str) -> GradeInfo:
        """The row for `grade` (one of `GRADES`, or `none`)."""
        if grade == NONE:
            return self.none
        try:
            return self.grades[grade]
        except KeyError:
            raise ValueError(
                f"unknown grade {grade!r}; grades: {', '.join((*GRADES, NONE))}"
            ) from None

    def label(self, grade: str) -> str:
        """A person's name for the grade, e.g. "Best practice" or "No formal review"."""
        return self.info(grade).label

    def higher_grades(self, grade: str) -> tuple[str, ...]:
        """The grades above `grade`, highest first (all six above `none`)."""
        level = rank(grade)
        return tuple(g for g in GRADES if rank(g) > level)

    def criteria_for(self, grade: str) -> tuple[Criterion, ...]:
        """The criteria of one grade, in file order."""
        self.info(grade)
        return tuple(c for c in self.criteria if c.grade == grade)

    def could_be_text(self, entry: CouldBe) -> str:
        """A could_be entry in the matrix's words, e.g. "Could be Catastrophic if there is cause
        for concern about how agencies worked together: find out before deciding"."""
        if self.could_be is None:
            raise ValueError("this matrix file gives no could_be sentence")
        return self.could_be.sentence.format(
            grade=self.label(entry.grade), answer=self.facts[entry.fact].answer(entry.value)
        )

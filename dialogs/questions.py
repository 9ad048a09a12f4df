"""The practitioner's questions of SPEC §2, as data.

One `Question` per row of the SPEC table, in the SPEC's order: its id, its template, its kind,
its options (exact labels, short values), the SPEC §3 fact it sets and how each option maps to
that fact, and its "asked when" column as names of `Condition`s over earlier answers. The
state machine (`dialogs.practitioner`) and the diagram are built from this table; nothing
else in the package decides which question comes next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["choice", "toggle", "text"]
FactValue = bool | str
# What `Conversation.answers` holds for one question: an option value (choice), a list of
# option values or agency names (toggle), or redacted free text (text).
Answer = str | list[str]


@dataclass(frozen=True)
class Option:
    """One button: the exact `label` a person sees and the short `value` sent back.

    `fact` is the SPEC §3 fact value this option sets; `outcome` ends the conversation
    (`submit`, `cancel`); `trigger` fires that machine trigger instead of moving on.
    """

    label: str
    value: str
    fact: FactValue | None = None
    outcome: str | None = None
    trigger: str | None = None


@dataclass(frozen=True)
class Condition:
    """An "asked when" test: the answer to `question` is one of `values`."""

    name: str
    question: str
    values: tuple[str, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Whether the earlier answer makes this condition true."""
        answer = answers.get(self.question)
        return isinstance(answer, str) and answer in self.values


@dataclass(frozen=True)
class Question:
    """One question of the practitioner's conversation."""

    id: str
    short: str  # the short name used in the summary and the "change an answer" list
    kind: Kind
    options: tuple[Option, ...] = ()
    when: tuple[str, ...] = ()  # names of CONDITIONS; all must hold for the question to be asked
    fact: str | None = None  # the SPEC §3 fact this question sets
    limit: int = 0  # the longest free text accepted (text questions)
    recorded: bool = True  # whether the answer is kept in `answers` (not for `confirm`)

    @property
    def template(self) -> str:
        """The template that renders this question's text."""
        return f"dialog/questions/{self.id}.j2"

    def option(self, value: str) -> Option | None:
        """The option with this value, if the question has one."""
        return next((o for o in self.options if o.value == value), None)


CONDITIONS: dict[str, Condition] = {
    c.name: c
    for c in (
        Condition("concern", "kind", ("concern",)),
        Condition("child_died", "died", ("yes",)),
        Condition("child_alive", "died", ("no",)),
    )
}

DONE = Option("Done", "done")
SKIP = Option("Skip", "skip")


def _yes_no() -> tuple[Option, ...]:
    return (Option("Yes", "yes", fact=True), Option("No", "no", fact=False))


CONCERN = ("concern",)
DIED = ("concern", "child_died")
ALIVE = ("concern", "child_alive")

QUESTIONS: tuple[Question, ...] = (
    Question("privacy", "Privacy", "choice", (Option("I understand", "ok"),)),
    Question("immediate", "Immediate risk", "choice", _yes_no(), fact="immediate_risk"),
    Question(
        "kind",
        "Concern or good practice",
        "choice",
        (
            Option("A concern", "concern", fact=False),
            Option("Good practice", "good_practice", fact=True),
        ),
        fact="good_practice",
    ),
    Question(
        "abuse",
        "Abuse or neglect",
        "choice",
        (
            Option("Known", "known", fact="known"),
            Option("Suspected", "suspected", fact="suspected"),
            Option("Neither", "none", fact="none"),
        ),
        when=CONCERN,
        fact="abuse_or_neglect",
    ),
    Question("died", "Child died", "choice", _yes_no(), CONCERN, "child_died"),
    Question("custody", "Died in custody", "choice", _yes_no(), DIED, "death_in_custody"),
    Question("suicide", "Suspected suicide", "choice", _yes_no(), DIED, "suspected_suicide"),
    Question("harmed", "Seriously harmed", "choice", _yes_no(), ALIVE, "seriously_harmed"),
    Question(
        "injury",
        "Injury",
        "choice",
        (
            Option("Admitted to hospital over 24 hours", "over24h", "hospital_admission_over_24h"),
            Option("Taken to hospital for treatment", "treatment", "hospital_treatment"),
            Option("Minor injuries or bruises", "minor", "minor"),
            Option("No physical injury", "none", "none"),
        ),
        when=ALIVE,
        fact="injury",
    ),
    Question(
        "disability", "Permanent disability", "choice", _yes_no(), ALIVE, "permanent_disability"
    ),
    Question(
        "sexual",
        "Sexual abuse or exploitation",
        "choice",
        _yes_no(),
        CONCERN,
        "sexual_abuse_or_cse",
    ),
    Question(
        "homicide", "Domestic homicide", "choice", _yes_no(), CONCERN, "parent_domestic_homicide"
    ),
    Question(
        "selfharm", "Significant self-harm", "choice", _yes_no(), ALIVE, "significant_self_harm"
    ),
    Question(
        "charged",
        "Parents charged with neglect",
        "choice",
        _yes_no(),
        CONCERN,
        "parents_charged_with_neglect",
    ),
    Question("education", "Missing education", "choice", _yes_no(), CONCERN, "missing_education"),
    Question(
        "status",
        "Child's status",
        "toggle",
        (
            Option("Child protection plan", "cp_plan", "cp_plan"),
            Option("Child in need", "cin", "cin"),
            Option("Significant services", "services", "significant_services"),
            DONE,
        ),
        when=CONCERN,
        fact="child_status",
    ),
    Question(
        "together",
        "Agencies working together",
        "choice",
        (
            Option("Cause for concern", "cause", "cause_for_concern"),
            Option("Some curiosity", "curiosity", "curiosity"),
            Option("No concerns", "none", "none"),
            Option("Don't know", "unknown", "unknown"),
        ),
        when=CONCERN,
        fact="interagency_concern",
    ),
    Question(
        "standards",
        "Standards not met",
        "choice",
        (
            Option("Professional or statutory", "statutory", "statutory_or_professional"),
            Option("Internal policy or procedure", "internal", "internal_policy"),
            Option("Minor non-compliance", "minor", "minor_noncompliance"),
            Option("None identified", "none", "none"),
            Option("Don't know", "unknown", "unknown"),
        ),
        when=CONCERN,
        fact="standards",
    ),
    # The agency toggles are built from the configured agencies (values "0", "1", ...).
    Question("agencies", "Agencies involved", "toggle", (DONE,)),
    Question("describe", "Description", "text", limit=2000),
    Question("reference", "Case reference", "text", (SKIP,), limit=60),
    Question(
        "confirm",
        "Summary",
        "choice",
        (
            Option("Submit to the board", "submit", outcome="submit"),
            Option("Change an answer", "change", trigger="change"),
            Option("Cancel", "cancel", outcome="cancel"),
        ),
        recorded=False,
    ),
)

BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}
ORDER: dict[str, int] = {q.id: i for i, q in enumerate(QUESTIONS)}

# The state that lists answered questions to change, and its "back to the summary" button.
CHANGE_STATE = "change"
BACK_TO_SUMMARY = Option("Back to summary", "summary", trigger="summary")
# Questions that cannot be picked from the "change an answer" list.
UNCHANGEABLE = frozenset({"privacy", "confirm"})


def applicable(question: Question, answers: Mapping[str, Answer]) -> bool:
    """Whether `question` is asked, given the answers so far (its "asked when" column)."""
    return all(CONDITIONS[name].holds(answers) for name in question.when)


def agency_options(agencies: Sequence[str]) -> tuple[Option, ...]:
    """The toggles of the `agencies` question: one per configured agency, then `Done`."""
    return (*(Option(name, str(i)) for i, name in enumerate(agencies)), DONE)


def _check_table() -> None:
    for q in QUESTIONS:
        unknown = [name for name in q.when if name not in CONDITIONS]
        if unknown:
            raise ValueError(f"question {q.id!r}: unknown condition(s) {unknown}")
        for name in q.when:
            if ORDER[CONDITIONS[name].question] >= ORDER[q.id]:
                raise ValueError(f"question {q.id!r} depends on a later question ({name})")
        values = [o.value for o in q.options]
        if len(set(values)) != len(values):
            raise ValueError(f"question {q.id!r} repeats an option value")


_check_table()

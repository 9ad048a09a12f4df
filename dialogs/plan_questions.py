"""The review plan's questions of SPEC §5 (`/plan REF`), as data.

One `PlanQuestion` per item of the plan, in the order asked: its id, the short name used in
summaries, its kind, its options (the exact labels of SPEC §5, short values that fit in callback
data), its "asked when" conditions over earlier answers (a reason follows `Other` and each `No`),
and the decision recorded in the referral's event log when the answer is a reason for not
involving someone, as the framework demands ("If the family are not to be informed/involved then
this to be clearly recorded as a decision"). The state machine of `dialogs.plan` is built from
this table; nothing else decides which question comes next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from dialogs.questions import Answer, Condition, Option

PlanKind = Literal["choice", "toggle", "text", "date"]

DONE = Option("Done", "done")
DONE_STATE = "done"  # the state of a complete plan


@dataclass(frozen=True)
class PlanQuestion:
    """One question of the review plan."""

    id: str
    short: str
    kind: PlanKind
    options: tuple[Option, ...] = ()
    when: tuple[Condition, ...] = ()
    limit: int = 0  # the longest free text accepted (text questions)
    decision: str = ""  # for a reason: the decision it records, "<decision>: <reason>"

    @property
    def template(self) -> str:
        """The template that renders this question's text."""
        return f"dialog/plan/{self.id}.j2"

    def option(self, value: str) -> Option | None:
        """The option with this value, if the question has one."""
        return next((o for o in self.options if o.value == value), None)

    def applies(self, answers: Mapping[str, Answer]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return all(c.holds(answers) for c in self.when)


YES, NO = Option("Yes", "yes"), Option("No", "no")

METHODOLOGIES = (
    Option("Welsh model", "welsh"),
    Option("SCIE", "scie"),
    Option("Other", "other"),
)
PANEL = (YES, NO, Option("Not applicable", "na"))
PUBLICATIONS = (
    Option("Full report", "full"),
    Option("Shortened report", "short"),
    Option("Management letter", "letter"),
)

OTHER_METHOD = Condition("other_methodology", "methodology", ("other",))
FAMILY_NOT = Condition("family_not_involved", "family", ("no",))
STAFF_NOT = Condition("staff_not_involved", "staff", ("no",))

REASON_LIMIT = 1000

PLAN_QUESTIONS: tuple[PlanQuestion, ...] = (
    PlanQuestion("methodology", "Methodology", "choice", METHODOLOGIES),
    PlanQuestion(
        "methodology_reason", "Why another methodology", "text", (), (OTHER_METHOD,), REASON_LIMIT
    ),
    # The agency toggles are built from the configured agencies (values "0", "1", ...).
    PlanQuestion("iar_agencies", "Individual agency reviews", "toggle", (DONE,)),
    PlanQuestion("family", "Family involved", "choice", (YES, NO)),
    PlanQuestion(
        "family_reason",
        "Why the family is not involved",
        "text",
        (),
        (FAMILY_NOT,),
        REASON_LIMIT,
        decision="family not involved",
    ),
    PlanQuestion("staff", "Front-line staff and volunteers involved", "choice", (YES, NO)),
    PlanQuestion(
        "staff_reason",
        "Why staff and volunteers are not involved",
        "text",
        (),
        (STAFF_NOT,),
        REASON_LIMIT,
        decision="front-line staff and volunteers not involved",
    ),
    PlanQuestion("panel", "National panel consulted", "choice", PANEL),
    PlanQuestion("publication", "Publication and readership", "choice", PUBLICATIONS),
    PlanQuestion("iar_due", "Individual agency reviews due", "date"),
    PlanQuestion("report_due", "Report due", "date"),
    PlanQuestion("publication_date", "Publication date", "date"),
    PlanQuestion("author", "Author", "text", limit=200),
)

BY_ID: dict[str, PlanQuestion] = {q.id: q for q in PLAN_QUESTIONS}
DATES: tuple[str, ...] = tuple(q.id for q in PLAN_QUESTIONS if q.kind == "date")
# Each date must not fall before the one it follows (the agency reviews feed the report, the
# report comes before its publication).
DATE_ORDER: dict[str, str] = {"report_due": "iar_due", "publication_date": "report_due"}


def agency_options(agencies: Sequence[str]) -> tuple[Option, ...]:
    """The toggles of `iar_agencies`: one per configured agency, then `Done`."""
    return (*(Option(name, str(i)) for i, name in enumerate(agencies)), DONE)


def _check_table() -> None:
    order = {q.id: i for i, q in enumerate(PLAN_QUESTIONS)}
    for q in PLAN_QUESTIONS:
        for condition in q.when:
            if order.get(condition.question, len(order)) >= order[q.id]:
                raise ValueError(f"plan question {q.id!r} depends on a later question")
        values = [o.value for o in q.options]
        if len(set(values)) != len(values):
            raise ValueError(f"plan question {q.id!r} repeats an option value")
    for later, earlier in DATE_ORDER.items():
        if order[earlier] >= order[later]:
            raise ValueError(f"date {later!r} must be asked after {earlier!r}")


_check_table()

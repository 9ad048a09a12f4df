"""The review plan of SPEC §5 and §9 (`/plan REF`), as a table (`PLAN`).

One `Question` per item of the plan, in the order asked: its id (its text is
`templates/dialog/plan/<id>.j2`), the short name used in summaries, its kind, its options (the
exact labels of SPEC §5, short values that fit in callback data), its "asked when" conditions
over earlier answers (a reason follows `Other` and each `No`), the decision recorded in the
referral's event log when the answer is a reason for not involving someone, as the framework
demands ("If the family are not to be informed/involved then this to be clearly recorded as a
decision"), and the date each date must not precede (the agency reviews feed the report, the
report comes before its publication). Before the dates, SPEC §9's two: the period under review
(two dates, the start before the end, the end no later than the board's today) and the key
lines of enquiry (one message, one a line, 1 to `MOST_ENQUIRIES`). A plan is complete at
`DONE_STATE`; until its terms are agreed its answers change from there (`dialog/plan/change.j2`).
The two were added after plans were first stored (`added`): a plan stored without them is
asked them when it carries on.
"""

from __future__ import annotations

from dialogs.core.table import Condition, Option, Question, Questionnaire

DONE_STATE = "done"  # the state of a complete plan

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

REASON = 1000  # the longest reason accepted
ENQUIRY = 300  # the longest line of enquiry accepted
MOST_ENQUIRIES = 10  # the most lines of enquiry

PLAN_QUESTIONS: tuple[Question, ...] = (
    Question("methodology", "Methodology", "choice", METHODOLOGIES),
    Question(
        "methodology_reason",
        "Why another methodology",
        "text",
        when=(OTHER_METHOD,),
        limit=REASON,
    ),
    Question("iar_agencies", "Individual agency reviews", "toggle", agencies=True),
    Question("family", "Family involved", "choice", (YES, NO)),
    Question(
        "family_reason",
        "Why the family is not involved",
        "text",
        when=(FAMILY_NOT,),
        limit=REASON,
        decision="family not involved",
    ),
    Question("staff", "Front-line staff and volunteers involved", "choice", (YES, NO)),
    Question(
        "staff_reason",
        "Why staff and volunteers are not involved",
        "text",
        when=(STAFF_NOT,),
        limit=REASON,
        decision="front-line staff and volunteers not involved",
    ),
    Question("panel", "National panel consulted", "choice", PANEL),
    Question("publication", "Publication and readership", "choice", PUBLICATIONS),
    Question("period", "Period under review", "period", up_to_today=True),
    Question("enquiry", "Key lines of enquiry", "lines", limit=ENQUIRY, most=MOST_ENQUIRIES),
    Question("iar_due", "Individual agency reviews due", "date"),
    Question("report_due", "Report due", "date", not_before="iar_due"),
    Question("publication_date", "Publication date", "date", not_before="report_due"),
    Question("author", "Author", "text", limit=200),
)

PLAN = Questionnaire(
    name="plan",
    questions=PLAN_QUESTIONS,
    folder="dialog/plan",
    refusals="dialog/plan/refused.j2",
    end=DONE_STATE,
    change="dialog/plan/change.j2",
    added=frozenset({"period", "enquiry"}),
)

"""The individual agency review of SPEC §9 (items 10, 11 and 13), as a table (`AGENCY_REVIEW`).

Asked of an agency's lead in their private chat once the review's terms are agreed, by its key
phrases in turn: the "chronology" (a list: one message an entry, `YYYY-MM-DD what happened, and
the agency's contact`, each date inside the plan's period under review, at least one entry, then
`Done`), the "summary analysis" (the agency's and the inter-agency work, seen from the agency),
what "went well" (good practice), the "lessons" learned, and the "action points" (a list: one
message a point, `YYYY-MM-DD what the agency will do`, each date after today; none is allowed).
Each entry's leading date is read before the intake (`dialogs.core.session`), the text after
it goes through it, like every free text. Each question's text is
`templates/dialog/agency_review/<id>.j2`; a complete agency review is at `DONE_STATE`, its
summary, which is submitted from there (`/back` leaves it for the last question).
"""

from __future__ import annotations

from dialogs.core.table import Question, Questionnaire

DONE_STATE = "done"  # the state of a complete agency review: its summary, to submit

ENTRY = 1000  # the longest chronology entry or action point accepted (after its date)
PART = 3000  # the longest analysis, good practice or lessons accepted
MOST_ENTRIES = 200  # the most chronology entries one agency review takes
MOST_POINTS = 50  # the most action points

CHRONOLOGY, ACTION_POINTS = "chronology", "action_points"  # the two lists' ids
PARTS: tuple[str, ...] = ("analysis", "went_well", "lessons")  # the three texts' ids

AGENCY_REVIEW_QUESTIONS: tuple[Question, ...] = (
    Question(
        CHRONOLOGY,
        "Chronology",
        "list",
        limit=ENTRY,
        least=1,
        most=MOST_ENTRIES,
        dated="in_period",
    ),
    Question("analysis", "Summary analysis", "text", limit=PART, multiline=True),
    Question("went_well", "What went well", "text", limit=PART, multiline=True),
    Question("lessons", "Lessons learned", "text", limit=PART, multiline=True),
    Question(
        ACTION_POINTS,
        "Action points",
        "list",
        limit=ENTRY,
        least=0,
        most=MOST_POINTS,
        dated="future",
    ),
)

AGENCY_REVIEW = Questionnaire(
    name="agency_review",
    questions=AGENCY_REVIEW_QUESTIONS,
    folder="dialog/agency_review",
    refusals="dialog/agency_review/refused.j2",
    end=DONE_STATE,
    back_from_end=True,
)

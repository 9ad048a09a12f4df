"""What a stored answer is and how it reads: dates, periods, the fit of a stored answer, its label.

`answer_label` is the one way an answer is shown to people (summaries, the answered question,
documents): an option's label, the chosen labels or agency names, the text, the date or period,
or the lines and a list's entries (joined by "; "), with the question's `empty` wording for a
skipped text, an empty toggle or an empty list. A period is stored as `PERIOD_FORM` reads
("2026-01-05 to 2026-06-30"); a dated entry of a list as "YYYY-MM-DD text" (`parse_entry`
reads it back, and reads a typed entry's leading date before the intake). `fits`
says whether a stored answer could have been given to its question (restoring a session checks
every one).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence

from dialogs.core.table import Answer, Question, Questionnaire

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Two dates and "to" (or a dash) between them: how a period is typed.
_PERIOD = re.compile(
    r"^(\d{4}-\d{2}-\d{2})\s*(?:to|-|\u2013|\u2014)\s*(\d{4}-\d{2}-\d{2})$", re.IGNORECASE
)
PERIOD_FORM = "YYYY-MM-DD to YYYY-MM-DD"
ENTRY_FORM = "YYYY-MM-DD what happened"
LINES_JOIN = "; "
# A dated entry: its leading date, then a space (or a colon, comma or dash) and its text.
_ENTRY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s*[:,\-\u2013\u2014]\s*|\s+)(\S.*)$", re.DOTALL)


def parse_date(text: str) -> dt.date | None:
    """A date typed as YYYY-MM-DD, or None for anything else."""
    text = text.strip()
    if not _DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_period(text: str) -> tuple[dt.date, dt.date] | None:
    """The two dates of a period typed as `PERIOD_FORM`, as typed (the caller checks their
    order), or None for anything else."""
    match = _PERIOD.match(text.strip())
    if match is None:
        return None
    start, end = parse_date(match[1]), parse_date(match[2])
    return None if start is None or end is None else (start, end)


def parse_entry(text: str) -> tuple[dt.date, str] | None:
    """The leading date and the text after it of a dated entry ("2025-10-03 Home visit"), or
    None when it does not begin with a real YYYY-MM-DD followed by some text."""
    match = _ENTRY.match(text.strip())
    if match is None:
        return None
    day = parse_date(match[1])
    return None if day is None else (day, match[2].strip())


def entry_text(day: dt.date, text: str) -> str:
    """A dated entry as it is stored and read: "2025-10-03 Home visit"."""
    return f"{day.isoformat()} {text}"


def period_text(start: dt.date, end: dt.date) -> str:
    """A period as it is stored and read: "2026-01-05 to 2026-06-30"."""
    return f"{start.isoformat()} to {end.isoformat()}"


def answer_label(question: Question, answer: Answer) -> str:
    """An answer as people read it: the option's label, the choices, the text, the date, the
    period or the lines."""
    if question.kind in ("lines", "list") and isinstance(answer, list):
        return LINES_JOIN.join(answer) if answer else question.empty
    if isinstance(answer, list):
        labels = (
            answer
            if question.agencies
            else [o.label for o in question.options if o.value in answer]
        )
        return ", ".join(labels) if labels else question.empty
    option = question.option(answer)
    if option is not None:
        return option.label
    return answer or question.empty


def answer_lines(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], leave_out: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(short name, answer label) for each answered question still asked, in the order asked."""
    return [
        (q.short, answer_label(q, answers[q.id]))
        for q in questionnaire.questions
        if q.id in answers and q.id not in leave_out and q.applies(answers)
    ]


def fits(question: Question, value: object, agencies: Sequence[str]) -> bool:
    """Whether `value` is an answer this question could have been given."""
    if question.kind == "text":
        return (
            isinstance(value, str)
            and (value != "" or question.skip)
            and len(value) <= 2 * question.limit
        )
    if question.kind == "date":
        return isinstance(value, str) and parse_date(value) is not None
    if question.kind == "period":
        period = parse_period(value) if isinstance(value, str) else None
        return period is not None and period[0] < period[1]
    if question.kind == "lines":
        return (
            isinstance(value, list)
            and 0 < len(value) <= question.most
            and all(isinstance(v, str) and v and len(v) <= 2 * question.limit for v in value)
        )
    if question.kind == "list":
        return (
            isinstance(value, list)
            and (question.most == 0 or len(value) <= question.most)
            and all(_fits_entry(question, v) for v in value)
        )
    if question.kind == "choice":
        return isinstance(value, str) and question.option(value) is not None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return False
    allowed = agencies if question.agencies else [o.value for o in question.options]
    return len(set(value)) == len(value) and set(value) <= set(allowed)


def _fits_entry(question: Question, value: object) -> bool:
    """Whether `value` could be one entry of the list `question` (dated when it says so)."""
    if not isinstance(value, str) or not value or len(value) > 2 * question.limit + 11:
        return False
    return not question.dated or parse_entry(value) is not None

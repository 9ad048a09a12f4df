"""The learning brief of SPEC §7 (`/brief REF`), as a table (`BRIEF`): a "7-minute briefing".

Four free-text sections, asked in turn by their key phrase: what happened (no names), what we
learned, what to do now, find out more. Each goes through the intake (refused when too long,
identifiers redacted) like every free text. Each section's text is
`templates/dialog/brief/<id>.j2`; the ids are also the columns of `storage.briefs`. A brief is
complete at `DONE_STATE`.
"""

from __future__ import annotations

from dialogs.core.table import Question, Questionnaire

DONE_STATE = "done"  # the state of a complete brief

SECTION = 1200  # the longest section accepted (four of them fit a few Telegram messages)

SECTIONS: tuple[str, ...] = ("what_happened", "learned", "to_do", "find_out_more")

BRIEF_QUESTIONS: tuple[Question, ...] = (
    Question("what_happened", "What happened", "text", limit=SECTION, multiline=True),
    Question("learned", "What we learned", "text", limit=SECTION, multiline=True),
    Question("to_do", "What to do now", "text", limit=SECTION, multiline=True),
    Question("find_out_more", "Find out more", "text", limit=SECTION, multiline=True),
)

BRIEF = Questionnaire(
    name="brief",
    questions=BRIEF_QUESTIONS,
    folder="dialog/brief",
    refusals="dialog/plan/refused.j2",
    end=DONE_STATE,
)

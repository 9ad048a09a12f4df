"""The feedback after a practitioners' learning event (SPEC §9, "The learning event"), as a table
(`FEEDBACK`): three questions in the attendee's private chat.

What did you learn and what will you do differently (free text, through the intake: refused
when too long, identifiers redacted), and how safe it felt to speak openly (buttons `1` to `5`;
the framework asks that people "feel safe in order they can open up"). Each question's text is
`templates/dialog/feedback/<id>.j2`. Feedback is complete at `DONE_STATE`.
"""

from __future__ import annotations

from dialogs.core.table import Option, Question, Questionnaire

DONE_STATE = "done"  # the state of finished feedback

ANSWER = 1000  # the longest free-text answer accepted

SCORES: tuple[Option, ...] = tuple(Option(str(n), str(n)) for n in range(1, 6))

FEEDBACK_QUESTIONS: tuple[Question, ...] = (
    Question("learned", "What you learned", "text", limit=ANSWER, multiline=True),
    Question("differently", "What you will do differently", "text", limit=ANSWER, multiline=True),
    Question("safety", "How safe it felt to speak openly", "choice", SCORES),
)

FEEDBACK = Questionnaire(
    name="feedback",
    questions=FEEDBACK_QUESTIONS,
    folder="dialog/feedback",
    refusals="dialog/plan/refused.j2",
    end=DONE_STATE,
)

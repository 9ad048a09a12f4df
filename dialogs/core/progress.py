"""How far through a questionnaire a session is: "Question 6 of about 17".

`progress` is pure: from the table, the current state and the answers so far it counts the
questions asked before the current one, and estimates the whole length as the longest path
the answers still allow (a branch point not yet answered is counted down its longer branch),
so the estimate only ever shrinks as answers narrow the path. The review question (the
summary) ends the check and is not counted as one of its steps.
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.core.table import Answer, Questionnaire


def progress(
    table: Questionnaire, state: str, answers: Mapping[str, Answer]
) -> tuple[int, int] | None:
    """(position of the current question, about how many questions in all), counting from 1;
    None where there is no step to count: the end state, the change list, the review question."""
    question = table.by_id.get(state)
    if question is None or question is table.review:
        return None
    index = table.questions.index(question)
    position = 1 + sum(1 for q in table.questions[:index] if q.applies(answers))
    return position, max(position, _longest(table, 0, dict(answers)))


def _longest(table: Questionnaire, start: int, answers: dict[str, Answer]) -> int:
    """How many questions from `start` on are asked on the longest path `answers` allow."""
    branches = table.branch_points
    count = 0
    for index in range(start, len(table.questions)):
        question = table.questions[index]
        if question is table.review or not question.applies(answers):
            continue
        count += 1
        if question.id in branches and question.id not in answers and question.options:
            return count + max(
                _longest(table, index + 1, {**answers, question.id: option.value})
                for option in question.options
            )
    return count

"""The one questionnaire core: questionnaires declared as tables, run as `transitions` machines.

- `dialogs.core.table`: `Option`, `Condition`, `Question`, `Questionnaire` (the data);
- `dialogs.core.machine`: the one machine of each questionnaire type (`machine_for`), and the
  `Place` a session is attached as for one move;
- `dialogs.core.dialog`: `Dialog`, a questionnaire type with the configured agencies;
- `dialogs.core.session`: `Session`, one person's answers, answered one question at a time;
- `dialogs.core.progress`: `progress`, how far through a session is ("6 of about 17");
- `dialogs.core.answers`: dates, the fit of a stored answer, and `answer_label`;
- `dialogs.core.prompts`: `Prompt`, `Step`, `AnswerRefused`, `DialogStateError`.

The practitioner's check (`dialogs.questions`, `dialogs.practitioner`), the review plan
(`dialogs.plan_questions`, `dialogs.plan`) and the learning brief (`dialogs.brief_questions`,
`dialogs.brief`) are tables plus only what is their own.
"""

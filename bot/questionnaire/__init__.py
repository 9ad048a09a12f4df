"""The one questionnaire runner of the adapter: every questionnaire is answered through it.

- `bot.questionnaire.runner`: `Turn` (one answer as it came in: a press or a typed text),
  `Before` (the session as it was), `Opened`, `Flow` (what a questionnaire brings) and `run`
  (restore, check the awaited step, take the answer, catch a refusal, save, show the next);
- `bot.questionnaire.awaited`: `AwaitedFlow`, a questionnaire whose typed answers come where an
  awaited input of its kind points (a plan's answers, a brief's sections).

The practitioner's check (`bot.practitioner.chat`), the review plan (`bot.board.planning`) and
the learning brief (`bot.board.briefs`) are flows. A new questionnaire costs its table
(`dialogs.core.table.Questionnaire`), its dialog in `dialogs.registry.Dialogs`, and a flow: how
its session is reopened, where its typed answers come from (the `InputKind` of an
`AwaitedFlow`), and what its answers do (a function of `services`) and show.

The partners' joint decision (`bot.board.joint`) is not a questionnaire: it has no questions
and no session, only each partner's standing press on the decision card, counted until all
three agree; it stays a press handler.
"""

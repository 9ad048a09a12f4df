"""Conversations as `transitions` state machines, independent of Telegram and of storage.

`dialogs.core` is the one questionnaire core (tables, machines, sessions, answers);
`dialogs.questions`, `dialogs.plan_questions` and `dialogs.brief_questions` are the
practitioner's check, the review plan and the learning brief as tables, `dialogs.practitioner`,
`dialogs.plan` and `dialogs.brief` what each has of its own, and `dialogs.registry.Dialogs`
every one of them built once.
`dialogs.intake` is the one way in for free text and `dialogs.redact` the privacy guard it
applies; `dialogs.summary`, `dialogs.texts` and `dialogs.diagram` render the check's summary,
its other messages, and any questionnaire's machine as Mermaid.
"""

"""Conversations as `transitions` state machines, independent of Telegram and of storage.

`dialogs.core` is the one questionnaire core (tables, machines, sessions, answers);
`dialogs.questions` and `dialogs.plan_questions` are the practitioner's check and the review
plan as tables, `dialogs.practitioner` and `dialogs.plan` what each has of its own.
`dialogs.intake` is the one way in for free text and `dialogs.redact` the privacy guard it
applies; `dialogs.summary`, `dialogs.texts` and `dialogs.diagram` render the check's summary,
its other messages, and any questionnaire's machine as Mermaid.
"""

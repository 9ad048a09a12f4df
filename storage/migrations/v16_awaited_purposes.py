"""Step 16: Awaited inputs are kept one per person per purpose, not one per person: a
practitioner's answer to the board's question survives a lead's Done on an action and the like
(the purposes: the board's question, each action's words, the chair's words on a card, the
chair's reason for sending a brief back, an officer's questionnaire in the group). A typed text
that could answer several of them is held there (redacted, `held`, with the key of the choice
offered, `held_key`) until the person picks. Existing awaited inputs keep their meaning."""

from __future__ import annotations

STATEMENTS: tuple[str, ...] = (
    """CREATE TABLE awaited_inputs_by_purpose (
            user_id INTEGER NOT NULL,
            purpose TEXT NOT NULL,
            kind TEXT NOT NULL,
            ref TEXT REFERENCES referrals(ref),
            data TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            held TEXT,
            held_key TEXT,
            PRIMARY KEY (user_id, purpose)
        )""",
    """INSERT INTO awaited_inputs_by_purpose (user_id, purpose, kind, ref, data, created_at)
        SELECT user_id,
            CASE
                WHEN kind IN ('escalate_reason', 'decline_reason', 'chair_question') THEN 'chair'
                WHEN kind IN ('plan', 'brief') THEN 'group'
                WHEN kind = 'info_answer' THEN 'info'
                WHEN kind IN ('action_evidence', 'action_late')
                    THEN 'action:' || coalesce(ref, '') || '/A'
                        || coalesce(json_extract(data, '$.seq'), 0)
                ELSE kind
            END,
            kind, ref, data, created_at
        FROM awaited_inputs""",
    "DROP TABLE awaited_inputs",
    "ALTER TABLE awaited_inputs_by_purpose RENAME TO awaited_inputs",
)

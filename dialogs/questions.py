"""The practitioner's check of SPEC §2, as a table (`CHECK`).

One `Question` per row of the SPEC table, in the SPEC's order: its id (its text is
`templates/dialog/questions/<id>.j2`), its short name, its kind, its options (exact labels, short
values), the SPEC §3 fact it sets and how each option maps to that fact, and its "asked when"
column as `Condition`s over earlier answers. Everything else (the machine, answering, restoring,
the diagram) is the questionnaire core's; what is the check's own is in `dialogs.practitioner`.
"""

from __future__ import annotations

from dialogs.core.table import CHANGE, Condition, Option, Question, Questionnaire

IS_CONCERN = Condition("concern", "kind", ("concern",))
CHILD_DIED = Condition("child_died", "died", ("yes",))
CHILD_ALIVE = Condition("child_alive", "died", ("no",))
CONDITIONS: dict[str, Condition] = {c.name: c for c in (IS_CONCERN, CHILD_DIED, CHILD_ALIVE)}

CONCERN = (IS_CONCERN,)
DIED = (IS_CONCERN, CHILD_DIED)
ALIVE = (IS_CONCERN, CHILD_ALIVE)
YES_NO = (Option("Yes", "yes", fact=True), Option("No", "no", fact=False))


def _yes_no(qid: str, short: str, when: tuple[Condition, ...], fact: str) -> Question:
    """A Yes/No question setting a true/false fact."""
    return Question(qid, short, "choice", YES_NO, when=when, fact=fact)


QUESTIONS: tuple[Question, ...] = (
    Question("privacy", "Privacy", "choice", (Option("I understand", "ok"),)),
    _yes_no("immediate", "Immediate risk", (), "immediate_risk"),
    Question(
        "kind",
        "Concern or good practice",
        "choice",
        (
            Option("A concern", "concern", fact=False),
            Option("Good practice", "good_practice", fact=True),
        ),
        fact="good_practice",
    ),
    Question(
        "abuse",
        "Abuse or neglect",
        "choice",
        (
            Option("Known", "known", fact="known"),
            Option("Suspected", "suspected", fact="suspected"),
            Option("Neither", "none", fact="none"),
        ),
        when=CONCERN,
        fact="abuse_or_neglect",
    ),
    _yes_no("died", "Child died", CONCERN, "child_died"),
    _yes_no("custody", "Died in custody", DIED, "death_in_custody"),
    _yes_no("suicide", "Suspected suicide", DIED, "suspected_suicide"),
    _yes_no("harmed", "Seriously harmed", ALIVE, "seriously_harmed"),
    Question(
        "injury",
        "Injury",
        "choice",
        (
            Option("Admitted to hospital over 24 hours", "over24h", "hospital_admission_over_24h"),
            Option("Taken to hospital for treatment", "treatment", "hospital_treatment"),
            Option("Minor injuries or bruises", "minor", "minor"),
            Option("No physical injury", "none", "none"),
        ),
        when=ALIVE,
        fact="injury",
    ),
    _yes_no("disability", "Permanent disability", ALIVE, "permanent_disability"),
    _yes_no("sexual", "Sexual abuse or exploitation", CONCERN, "sexual_abuse_or_cse"),
    _yes_no("homicide", "Domestic homicide", CONCERN, "parent_domestic_homicide"),
    _yes_no("selfharm", "Significant self-harm", ALIVE, "significant_self_harm"),
    _yes_no("charged", "Parents charged with neglect", CONCERN, "parents_charged_with_neglect"),
    _yes_no("education", "Missing education", CONCERN, "missing_education"),
    Question(
        "status",
        "Child's status",
        "toggle",
        (
            Option("Child protection plan", "cp_plan", "cp_plan"),
            Option("Child in need", "cin", "cin"),
            Option("Significant services", "services", "significant_services"),
        ),
        when=CONCERN,
        fact="child_status",
        empty="None of these",
    ),
    Question(
        "together",
        "Agencies working together",
        "choice",
        (
            Option("Cause for concern", "cause", "cause_for_concern"),
            Option("Some curiosity", "curiosity", "curiosity"),
            Option("No concerns", "none", "none"),
            Option("Don't know", "unknown", "unknown"),
        ),
        when=CONCERN,
        fact="interagency_concern",
    ),
    Question(
        "standards",
        "Standards not met",
        "choice",
        (
            Option("Professional or statutory", "statutory", "statutory_or_professional"),
            Option("Internal policy or procedure", "internal", "internal_policy"),
            Option("Minor non-compliance", "minor", "minor_noncompliance"),
            Option("None identified", "none", "none"),
            Option("Don't know", "unknown", "unknown"),
        ),
        when=CONCERN,
        fact="standards",
    ),
    Question("agencies", "Agencies involved", "toggle", agencies=True, required=True),
    Question("describe", "Description", "text", limit=2000, multiline=True),
    Question("reference", "Case reference", "text", limit=60, skip=True, empty="Skipped"),
    Question(
        "confirm",
        "Summary",
        "choice",
        (
            Option("Submit to the board", "submit", outcome="submit"),
            CHANGE,
            Option("Cancel", "cancel", outcome="cancel"),
        ),
        recorded=False,
    ),
)

CHECK = Questionnaire(
    name="practitioner",
    questions=QUESTIONS,
    folder="dialog/questions",
    refusals="dialog/refused.j2",
    change="dialog/change.j2",
    unchangeable=frozenset({"privacy", "confirm"}),
)

"""The question table against SPEC §2, and every dialog template rendered."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialog_helpers import AGENCIES, labels, plain, say, start_concern

import templates
from dialogs import texts
from dialogs.practitioner import Conversation, PractitionerDialog
from dialogs.questions import CHECK, QUESTIONS
from matrix.engine import load_matrix
from templates import render

# SPEC §2, row by row: id, key phrase, option labels (None: built from the configuration).
SPEC = [
    ("privacy", "no names", ["I understand"]),
    ("immediate", "immediate risk", ["Yes", "No"]),
    ("kind", "good practice", ["A concern", "Good practice"]),
    ("abuse", "abuse or neglect", ["Known", "Suspected", "Neither"]),
    ("died", "died", ["Yes", "No"]),
    ("custody", "custody", ["Yes", "No"]),
    ("suicide", "suicide", ["Yes", "No"]),
    ("harmed", "seriously harmed", ["Yes", "No"]),
    (
        "injury",
        "injury",
        [
            "Admitted to hospital over 24 hours",
            "Taken to hospital for treatment",
            "Minor injuries or bruises",
            "No physical injury",
        ],
    ),
    ("disability", "permanent disability", ["Yes", "No"]),
    ("sexual", "sexual abuse", ["Yes", "No"]),
    ("homicide", "domestic homicide", ["Yes", "No"]),
    ("selfharm", "self-harm", ["Yes", "No"]),
    ("charged", "charged with neglect", ["Yes", "No"]),
    ("education", "missing education", ["Yes", "No"]),
    (
        "status",
        "child protection plan",
        ["Child protection plan", "Child in need", "Significant services", "Done"],
    ),
    (
        "together",
        "worked together",
        ["Cause for concern", "Some curiosity", "No concerns", "Don't know"],
    ),
    (
        "standards",
        "standards",
        [
            "Professional or statutory",
            "Internal policy or procedure",
            "Minor non-compliance",
            "None identified",
            "Don't know",
        ],
    ),
    ("agencies", "agencies", [*AGENCIES, "Done"]),
    ("describe", "describe", []),
    ("reference", "case reference", ["Skip"]),
    ("confirm", "submit", ["Submit to the board", "Change an answer", "Cancel"]),
]

CONCERN = {"kind": "concern"}
GOOD = {"kind": "good_practice"}
DIED = {"kind": "concern", "died": "yes"}
ALIVE = {"kind": "concern", "died": "no"}

# SPEC §2 "asked when", as (asked with these answers, not asked with these).
ASKED_WHEN = {
    "privacy": ([{}], []),
    "immediate": ([{}], []),
    "kind": ([{}], []),
    "abuse": ([CONCERN], [GOOD, {}]),
    "died": ([CONCERN], [GOOD]),
    "custody": ([DIED], [ALIVE, CONCERN, GOOD]),
    "suicide": ([DIED], [ALIVE, CONCERN]),
    "harmed": ([ALIVE], [DIED, CONCERN]),
    "injury": ([ALIVE], [DIED, GOOD]),
    "disability": ([ALIVE], [DIED]),
    "sexual": ([CONCERN, DIED, ALIVE], [GOOD]),
    "homicide": ([CONCERN, DIED, ALIVE], [GOOD]),
    "selfharm": ([ALIVE], [DIED, GOOD]),
    "charged": ([CONCERN, DIED, ALIVE], [GOOD]),
    "education": ([CONCERN, DIED, ALIVE], [GOOD]),
    "status": ([CONCERN, DIED, ALIVE], [GOOD]),
    "together": ([CONCERN, DIED, ALIVE], [GOOD]),
    "standards": ([CONCERN, DIED, ALIVE], [GOOD]),
    "agencies": ([{}, GOOD, DIED], []),
    "describe": ([{}, GOOD, ALIVE], []),
    "reference": ([{}, GOOD, ALIVE], []),
    "confirm": ([{}, GOOD, DIED], []),
}


def test_the_questions_are_in_the_spec_order() -> None:
    assert [q.id for q in QUESTIONS] == [row[0] for row in SPEC]


@pytest.mark.parametrize(("qid", "asked", "not_asked"), [(k, *v) for k, v in ASKED_WHEN.items()])
def test_asked_when(qid: str, asked: list[dict[str, str]], not_asked: list[dict[str, str]]) -> None:
    question = CHECK.by_id[qid]
    assert all(question.applies(answers) for answers in asked)
    assert not any(question.applies(answers) for answers in not_asked)


def _prompts_of_every_question(dialog: PractitionerDialog) -> dict[str, Conversation]:
    """A conversation standing at each question (two walks cover both branches)."""
    at: dict[str, Conversation] = {}

    def visit(conv: Conversation) -> None:
        at.setdefault(conv.state, dialog.restore(conv.state, conv.answers))

    for died in ("Yes", "No"):
        conv = dialog.start()
        visit(conv)
        for label in ("I understand", "No", "A concern", "Known", died):
            say(conv, label)
            visit(conv)
        while conv.state not in {"agencies"}:
            say(conv, "Done" if conv.state == "status" else labels(conv.current_prompt())[-1])
            visit(conv)
        say(conv, "Health", "Done")
        visit(conv)
        say(conv, "A short synthetic description.")
        visit(conv)
        say(conv, "Skip")
        visit(conv)
    return at


@pytest.mark.parametrize(("qid", "phrase", "options"), SPEC)
def test_each_question_has_its_key_phrase_and_exact_labels(
    dialog: PractitionerDialog, qid: str, phrase: str, options: list[str]
) -> None:
    prompt = _prompts_of_every_question(dialog)[qid].current_prompt()
    assert prompt.id == qid
    assert phrase in plain(prompt.text).lower()
    assert labels(prompt) == options
    assert prompt.kind == CHECK.by_id[qid].kind


def test_option_values_are_short_and_unique_per_question(dialog: PractitionerDialog) -> None:
    for conv in _prompts_of_every_question(dialog).values():
        values = [o.value for o in conv.current_prompt().options]
        assert len(set(values)) == len(values)
        assert all(0 < len(v.encode()) <= 16 and v.isascii() for v in values)


def test_every_question_maps_to_its_spec_fact() -> None:
    facts = {q.id: q.fact for q in QUESTIONS if q.fact}
    assert facts == {
        "immediate": "immediate_risk",
        "kind": "good_practice",
        "abuse": "abuse_or_neglect",
        "died": "child_died",
        "custody": "death_in_custody",
        "suicide": "suspected_suicide",
        "harmed": "seriously_harmed",
        "injury": "injury",
        "disability": "permanent_disability",
        "sexual": "sexual_abuse_or_cse",
        "homicide": "parent_domestic_homicide",
        "selfharm": "significant_self_harm",
        "charged": "parents_charged_with_neglect",
        "education": "missing_education",
        "status": "child_status",
        "together": "interagency_concern",
        "standards": "standards",
    }
    injury = {o.label: o.fact for o in CHECK.by_id["injury"].options}
    assert injury == {
        "Admitted to hospital over 24 hours": "hospital_admission_over_24h",
        "Taken to hospital for treatment": "hospital_treatment",
        "Minor injuries or bruises": "minor",
        "No physical injury": "none",
    }


# -- templates ------------------------------------------------------------------------------


def test_every_dialog_template_renders(dialog: PractitionerDialog) -> None:
    rendered: set[str] = set()
    for conv in _prompts_of_every_question(dialog).values():
        assert conv.current_prompt().text
        rendered.add(CHECK.template(conv.state))
    rendered.add("dialog/summary.j2")  # inside the confirm prompt
    conv = _prompts_of_every_question(dialog)["confirm"]
    assert say(conv, "Change an answer").prompt.text
    rendered.add("dialog/change.j2")
    for code in ("stale", "not_an_option", "empty", "too_long", "need_choice", "first_question"):
        context = {"limit": 60, "length": 61, "skippable": True}
        assert render("dialog/refused.j2", code=code, **context)
    rendered.add("dialog/refused.j2")
    others = {
        "dialog/help.j2": texts.help_text(),
        "dialog/privacy.j2": texts.privacy_text(48),
        "dialog/urgent.j2": texts.urgent_text("MASH: 020 7946 0000"),
        "dialog/expired.j2": texts.expired_text(72),
        "dialog/cancelled.j2": texts.cancelled_text(),
        "dialog/redacted.j2": texts.redacted_text(["NHS number", "postcode"]),
    }
    assert all(others.values())
    rendered.update(others)
    on_disk = {
        p.relative_to(templates.TEMPLATE_DIR).as_posix()
        for p in (templates.TEMPLATE_DIR / "dialog").rglob("*.j2")
        # the plan's are tested in test_plan_*, the learning brief's in test_brief_dialog, the
        # agency review's in test_agency_review_dialog, the learning event's feedback in
        # test_feedback_dialog
        if not {"plan", "brief", "feedback", "agency_review"}
        & set(p.relative_to(templates.TEMPLATE_DIR).parts)
    }
    assert on_disk == rendered


def test_urgent_message_gives_999_mash_contacts_and_the_procedures() -> None:
    contacts = "MASH: 020 7946 0000\nOut of hours: 020 7946 0999"
    text = plain(texts.urgent_text(contacts, "London Child Protection Procedures"))
    assert "call 999" in text
    assert "children's social care / MASH" in text
    assert "MASH: 020 7946 0000\nOut of hours: 020 7946 0999" in text
    assert "London Child Protection Procedures" in text
    assert "your agency's procedures" in text
    other = plain(texts.urgent_text(contacts, "Pan-Cheshire Child Protection Procedures"))
    assert "Pan-Cheshire Child Protection Procedures" in other and "London" not in other


def test_contacts_are_escaped() -> None:
    assert "&lt;script&gt;" in texts.urgent_text("<script>")


def test_privacy_help_and_notices_say_what_they_must() -> None:
    privacy = plain(texts.privacy_text(48))
    assert "no names" in privacy.lower() and "48 hours" in privacy
    for kind in ("NHS numbers", "postcodes", "phone numbers", "e-mail addresses", "dates of birth"):
        assert kind in privacy
    help_text = plain(texts.help_text())
    for command in ("/start", "/back", "/cancel", "/help", "/privacy"):
        assert command in help_text
    assert "72 hours" in plain(texts.expired_text(72))
    assert "Nothing was sent" in plain(texts.cancelled_text())
    assert "NHS number, postcode" in plain(texts.redacted_text(["NHS number", "postcode"]))


def test_render_strips_and_is_strict() -> None:
    assert render("dialog/cancelled.j2") == render("dialog/cancelled.j2").strip()
    with pytest.raises(Exception, match="contacts"):
        render("dialog/urgent.j2")
    assert templates.environment() is templates.environment()


def test_templates_are_found_relative_to_the_package() -> None:
    assert Path(templates.__file__).parent == templates.TEMPLATE_DIR
    assert (templates.TEMPLATE_DIR / "dialog" / "questions" / "privacy.j2").is_file()


def test_the_longest_summary_fits_in_one_telegram_message() -> None:
    many = PractitionerDialog(
        [f"Agency number {i} with a long name" for i in range(12)], load_matrix()
    )
    conv = many.start()
    start_concern(conv, immediate="Yes")
    say(conv, "No", "Yes", "Admitted to hospital over 24 hours", "Yes", "Yes", "Yes", "Yes")
    say(conv, "Yes", "Yes", "Child protection plan", "Child in need", "Significant services")
    say(conv, "Done", "Cause for concern", "Professional or statutory")
    for i in range(12):
        say(conv, f"Agency number {i} with a long name")
    say(conv, "Done", "w" * 2000, "R" * 60)
    assert conv.state == "confirm"
    assert len(plain(conv.current_prompt().text)) <= 4096

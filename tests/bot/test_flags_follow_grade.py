"""The flags follow the grade (SPEC §3): a chair's escalation from Severe to Catastrophic sets
`scr_required`, and the decided card, `/case`, the CSV export and the annual report all say so.

Driven over HTTP against the local Bot API: the referral is filed by pressing the practitioner's
buttons, escalated on the chair's card, and read back the ways the board reads it.
"""

from __future__ import annotations

import datetime as dt

from flows import cards, database, first_message, keyboard_becomes, register, submit, walk
from harness import CHAIR, Person, Running
from officers_support import file
from synthetic import SEVERE_PATH

from bot.commands import export
from bot.settings import Settings
from localapi import LocalBotAPI
from matrix import load_matrix, route_for_grade
from reports.annual import gather, render_report
from storage import events, referrals

SCR = "A Serious Case Review must be commissioned"


async def file_severe(pat: Person, settings: Settings) -> str:
    """Register, answer a Severe check and submit; the reference."""
    await register(pat, settings)
    await walk(pat, SEVERE_PATH)
    await pat.press("Education")
    await pat.answer("Done", "describe")
    await pat.say("Child disclosed abuse at school and was treated in hospital.", "case")
    await pat.answer("Skip", "submit")
    return await submit(pat)


async def test_escalation_to_catastrophic_sets_scr_required_everywhere(
    api: LocalBotAPI,
    running: Running,
    settings: Settings,
    pat: Person,
    chair: Person,
    board: Person,
) -> None:
    ref = await file_severe(pat, settings)
    _, card = await cards(api, ref)
    assert "Grade: Severe" in card.reads and SCR not in card.reads
    with database(settings) as db:
        before = referrals.require_referral(db, ref)
    assert before.grade == "severe" and not before.flags.get("scr_required")

    await chair.press_on(card.message_id, "Escalate grade")
    await keyboard_becomes(api, CHAIR, card.message_id, ["Catastrophic", "← Back"])
    await chair.press_on(card.message_id, "Catastrophic")
    await api.wait_for_message(CHAIR, "Why should")
    await chair.say("The child has since died of the injuries.", expect="Recorded")

    decided = await first_message(api, CHAIR, ref, "higher grade by")
    assert decided.message_id == card.message_id
    assert "Catastrophic" in decided.reads and SCR in decided.reads

    record = await board.say(f"/case {ref}", expect="Event log")
    assert SCR in record.reads

    with database(settings) as db:
        after = referrals.require_referral(db, ref)
        assert after.grade == "catastrophic" and after.flags["scr_required"]
        route = route_for_grade(after.facts, after.grade, load_matrix())
        assert {n for n, on in route.flags.items() if on} <= {
            n for n, on in after.flags.items() if on
        }
        decision = events.events_for(db, ref)[-1]
        assert "flags none -> scr_required" in decision.detail  # what they were before
        row = dict(zip(export.COLUMNS, next(export.rows([after])), strict=True))
        figures = gather(db, after.year)
    assert row["grade"] == "catastrophic" and row["scr_required"] == "1"
    description = load_matrix().flags["scr_required"].description
    assert (description, 1) in [tuple(r) for r in figures.flags]
    report = render_report(figures, after.created_at.date()).markdown
    assert "Serious Case Review must be commissioned" in report


async def test_notice_and_card_say_what_finding_out_would_change(
    api: LocalBotAPI, running: Running, settings: Settings
) -> None:
    facts = {"abuse_or_neglect": "suspected", "seriously_harmed": True}  # agencies: don't know
    referral = file(settings.db_path, facts, dt.datetime.now(dt.UTC))
    notice, card = await cards(api, referral.ref)
    for shown in (notice, card):
        assert "Could be Catastrophic if" in shown.reads
        assert "Notifiable" in shown.reads or "Serious incident" in shown.reads


async def test_a_living_childs_route_does_not_name_the_child_death_panel(
    api: LocalBotAPI, running: Running, settings: Settings, pat: Person, board: Person
) -> None:
    """The appendix's Severe row names CDOP, but only a child's death goes to the Child Death
    Overview Panel: the route the practitioner, the chair and `/case` read leaves it out while
    the `cdop` flag is false (a catastrophic death keeps it: test_referral_e2e)."""
    ref = await file_severe(pat, settings)
    summary = " ".join(pat.texts())
    assert "Critical Incident Report" in summary
    assert "CDOP" not in summary and "Child Death Overview Panel" not in summary
    _, card = await cards(api, ref)
    assert "Review route:" in card.reads and "CDOP" not in card.reads
    record = await board.say(f"/case {ref}", expect="Event log")
    route = next(line for line in record.reads.splitlines() if "Review route" in line)
    assert "Critical Incident Report" in route and "CDOP" not in route
    with database(settings) as db:
        referral = referrals.require_referral(db, ref)
    assert referral.grade == "severe" and not referral.flags["cdop"]

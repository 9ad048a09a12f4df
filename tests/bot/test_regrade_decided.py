"""`triage-bot regrade` on an edited matrix over a decided referral (SPEC §3: only the chair
records a lower outcome): a higher grade is applied with its event and the board group told; a
lower one is never applied silently but proposed to the chair on a card (`Accept lower grade` /
`Keep`), whose stale presses are refused; the flags follow the grade actually held."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from flows import cards, database, file_catastrophic, file_moderate, first_message
from harness import BOARD, CHAIR, STRANGER, Person, Running

import matrix
from bot.settings import Settings
from localapi import LocalBotAPI
from storage import events, referrals

ENV_NAMES = ("TELEGRAM_BOT_TOKEN", "TRIAGE_CONFIG", "MATRIX")


def edited_matrix(tmp_path: Path, prefix: str, old: str, new: str) -> Path:
    """The packaged matrix with every `prefix` criterion moved from grade `old` to `new`."""
    text = (Path(matrix.__file__).parent / "matrix.toml").read_text(encoding="utf-8")
    text = re.sub(rf'(id = "{prefix}[a-z_]*"\ngrade = )"{old}"', rf'\1"{new}"', text)
    text = text.replace('version = "2013.3"', 'version = "2013.3-edited"', 1)
    path = tmp_path / "edited.toml"
    path.write_text(text, encoding="utf-8")
    return path


def regrade(settings: Settings, edited: Path) -> subprocess.CompletedProcess[str]:
    """`triage-bot regrade --matrix FILE` as the board runs it, beside the running bot."""
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env.update(
        TRIAGE_DB=str(settings.db_path),
        BOARD_CHAT_ID=str(BOARD),
        CHAIR_USER_IDS=str(CHAIR),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "regrade", "--matrix", str(edited)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done


async def approved(api: LocalBotAPI, settings: Settings, filed: str) -> None:
    _, card = await cards(api, filed)
    assert "Approved" in await Person(api, CHAIR).press_on(card.message_id, "Approve")
    await first_message(api, BOARD, filed, "Review approved")


async def test_a_lower_grade_is_proposed_to_the_chair_never_applied(
    api: LocalBotAPI, running: Running, settings: Settings, tmp_path: Path
) -> None:
    ref = await file_catastrophic(Person(api, 1001), settings)
    await approved(api, settings, ref)
    done = regrade(settings, edited_matrix(tmp_path, "cat_", "catastrophic", "significant"))
    assert "lower grade proposed to the deciders, catastrophic kept" in done.stdout
    with database(settings) as db:
        held = referrals.require_referral(db, ref)
        assert (held.grade, held.flags["scr_required"]) == ("catastrophic", True)
    card = await first_message(api, CHAIR, ref, "grades it lower")
    assert card.button_texts == ["Accept lower grade", "Keep"]
    assert "It holds Catastrophic" in card.reads and "grades it Significant" in card.reads
    assert regrade(settings, edited_matrix(tmp_path, "cat_", "catastrophic", "significant"))
    await first_message(api, CHAIR, ref, "grades it lower")
    assert len([m for m in api.bot_messages(CHAIR) if "grades it lower" in m.reads]) == 1

    stranger = Person(api, STRANGER)
    helped = await stranger.say("/help")  # a message of the bot's in their chat to press on
    refused = await stranger.alert(helped.message_id, card.buttons[0].callback_data or "")
    assert "Only the decider" in refused.reads

    chair = Person(api, CHAIR)
    assert "lowered to Significant" in await chair.press_on(card.message_id, "Accept lower grade")
    told = await first_message(api, BOARD, ref, "grade lowered to Significant")
    assert "accepted by Chris" in told.reads
    with database(settings) as db:
        lowered = referrals.require_referral(db, ref)
        assert lowered.grade == "significant" and not lowered.flags["scr_required"]
        assert lowered.decision == "approved"
        actions = [e.action for e in events.events_for(db, ref)]
        assert actions[-4:] == [
            "lower_grade_proposed",
            "refused",
            "regraded",
            "lower_grade_accepted",
        ]
    # the card lost its buttons; a press of its old data again is stale and changes nothing
    again = await chair.alert(card.message_id, card.buttons[0].callback_data or "")
    assert "no longer open" in again.reads and again.show_alert


async def test_keep_holds_the_grade_and_a_raise_is_applied_and_told(
    api: LocalBotAPI, running: Running, settings: Settings, tmp_path: Path
) -> None:
    ref = await file_catastrophic(Person(api, 1001), settings)
    await approved(api, settings, ref)
    regrade(settings, edited_matrix(tmp_path, "cat_", "catastrophic", "significant"))
    card = await first_message(api, CHAIR, ref, "grades it lower")
    assert "kept at Catastrophic" in await Person(api, CHAIR).press_on(card.message_id, "Keep")
    await first_message(api, BOARD, ref, "grade kept at Catastrophic")
    with database(settings) as db:
        kept = referrals.require_referral(db, ref)
        assert kept.grade == "catastrophic" and kept.flags["scr_required"]

    # the control: a decided referral the matrix grades higher is raised, and the board told
    other = await file_moderate(Person(api, 1002), settings)
    await approved(api, settings, other)
    done = regrade(settings, edited_matrix(tmp_path, "mod_", "moderate", "severe"))
    assert f"{other}  grade moderate -> severe" in done.stdout
    told = await first_message(api, BOARD, other, "grade raised to Severe")
    assert "from Moderate" in told.reads
    with database(settings) as db:
        raised = referrals.require_referral(db, other)
        assert (raised.grade, raised.decision) == ("severe", "approved")
        assert events.events_for(db, other)[-1].action == "regraded"

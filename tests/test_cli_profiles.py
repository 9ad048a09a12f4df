"""The `MATRIX` setting picks the profile: `triage-bot grade` and `triage-bot matrix` use it and
say so, `triage-bot run` refuses an unknown profile or a broken file in one line (exit 2), and
without it the 2013 profile answers as before."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "987654321:AAH-synthetic_TOKEN-never-real-Zq81"
ABUSE_HARM = json.dumps({"abuse_or_neglect": "suspected", "seriously_harmed": True})


def triage_bot(
    folder: Path, *args: str, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in `folder`, with only these settings in the environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "TRIAGE_", "WEBHOOK_"))
        and k not in ("MATRIX", "PARTNER_USER_IDS")
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env={**env, **settings, "PYTHONPATH": str(ROOT)},
        cwd=folder,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def test_grade_under_wt2023_names_the_profile_and_begins_with_the_rapid_review(
    tmp_path: Path,
) -> None:
    done = triage_bot(tmp_path, "grade", stdin=ABUSE_HARM, MATRIX="wt2023")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["profile"] == "wt2023"
    assert out["flags"]["notifiable"] is True
    assert out["review_types"][0] == "Rapid review"
    assert out["matrix_version"].startswith("wt2023")


def test_grade_without_matrix_answers_with_the_2013_profile_as_before(tmp_path: Path) -> None:
    done = triage_bot(tmp_path, "grade", stdin=ABUSE_HARM)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "profile" not in out and out["matrix_version"] == "2013.3"
    assert out["flags"]["notifiable"] is True
    assert "Rapid review" not in out["review_types"]


def test_the_matrix_table_s_title_names_the_profile(tmp_path: Path) -> None:
    new = triage_bot(tmp_path, "matrix", MATRIX="wt2023")
    assert new.returncode == 0, new.stderr
    assert new.stdout.splitlines()[0] == "Grading matrix version wt2023.1 (profile wt2023)"
    assert "rapid_review" in new.stdout and "15 working days after notification" in new.stdout
    old = triage_bot(tmp_path, "matrix")
    assert old.stdout.splitlines()[0] == "Grading matrix version 2013.3 (profile 2013)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("wt2024", "MATRIX: no matrix profile 'wt2024': give 2013 or wt2023"),
        ("broken.toml", "MATRIX: broken.toml: clocks.notification: unit must be working or"),
    ],
)
def test_run_refuses_a_bad_matrix_setting_in_one_line(
    tmp_path: Path, value: str, message: str
) -> None:
    text = resources.files("matrix").joinpath("wt2023.toml").read_text(encoding="utf-8")
    elsewhere = tmp_path / "config"
    elsewhere.mkdir()
    (elsewhere / "broken.toml").write_text(
        text.replace('unit = "working"\nfrom = "filed"', 'unit = "hours"\nfrom = "filed"'),
        encoding="utf-8",
    )
    folder = tmp_path / "run"
    folder.mkdir()
    matrix = str(elsewhere / value) if value.endswith(".toml") else value
    done = triage_bot(folder, "run", TELEGRAM_BOT_TOKEN=TOKEN, MATRIX=matrix)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert list(folder.iterdir()) == []


def test_settings_read_the_profile() -> None:
    assert load_settings({}).matrix == "2013"
    assert load_settings({}).load_matrix().profile == "2013"
    joint = {"MATRIX": "wt2023", "PARTNER_USER_IDS": "la:1,icb:2,police:3"}
    assert load_settings(joint).load_matrix().profile == "wt2023"
    with pytest.raises(SettingsError, match=r"^MATRIX: no matrix profile 'scr'"):
        load_settings({"MATRIX": "scr"})


def test_regrade_considers_only_the_referrals_of_its_profile(tmp_path: Path) -> None:
    from filed import file

    db_path = tmp_path / "triage.db"
    now = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
    for user, profile in ((1, "2013"), (2, "wt2023")):
        file(  # graded "none" with no flags: stale for both profiles
            db_path,
            json.loads(ABUSE_HARM),
            now,
            result={"grade": "none", "flags": {}, "matched": [], "matrix_version": "0"},
            profile=profile,
            referrer=user,
            agencies=["Health"],
            description="synthetic",
            board_chat_id=None,
            chair_ids=[],
        )
    old = triage_bot(tmp_path, "regrade", "--dry-run", TRIAGE_DB=str(db_path))
    new = triage_bot(
        tmp_path,
        "regrade",
        "--dry-run",
        TRIAGE_DB=str(db_path),
        MATRIX="wt2023",
        PARTNER_USER_IDS="la:1,icb:2,police:3",
    )
    assert old.returncode == 0 and new.returncode == 0, old.stderr + new.stderr
    assert "LIR-2026-0001" in old.stdout and "LIR-2026-0002" not in old.stdout
    assert "LIR-2026-0002" in new.stdout and "LIR-2026-0001" not in new.stdout


@pytest.mark.parametrize(
    ("matrix", "partners", "message"),
    [
        ("wt2023", "", "PARTNER_USER_IDS is required with MATRIX=wt2023 (the decision is joint)"),
        ("wt2023", "la:1,icb:2", "PARTNER_USER_IDS must be la:ID,icb:ID,police:ID: police missing"),
        ("wt2023", "la:1,icb:2,la:3,police:4", "PARTNER_USER_IDS names la twice"),
        ("wt2023", "la:1,icb:x,police:3", "PARTNER_USER_IDS must be a whole number, got 'x'"),
        ("wt2023", "la:1,nhs:2,police:3", "PARTNER_USER_IDS must be la:ID,icb:ID,police:ID, got"),
        ("wt2023", "la:1,icb:1,police:3", "must name a different person for each partner"),
        ("2013", "la:1,icb:2,police:3", "PARTNER_USER_IDS is only used with MATRIX=wt2023"),
    ],
)
def test_run_refuses_bad_partners_in_one_line(
    tmp_path: Path, matrix: str, partners: str, message: str
) -> None:
    done = triage_bot(
        tmp_path, "run", TELEGRAM_BOT_TOKEN=TOKEN, MATRIX=matrix, PARTNER_USER_IDS=partners
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_partners_are_read_in_their_order_and_decide_in_the_chairs_place() -> None:
    settings = load_settings(
        {"MATRIX": "wt2023", "CHAIR_USER_IDS": "9", "PARTNER_USER_IDS": "police:3, la:1,icb:2"}
    )
    assert settings.partner_user_ids == (("la", 1), ("icb", 2), ("police", 3))
    assert settings.joint and settings.decider_ids == (1, 2, 3)
    assert settings.partner_of(2) == "icb" and settings.partner_of(9) is None
    assert not settings.is_decider(9) and settings.is_officer(3)
    chairs = load_settings({"CHAIR_USER_IDS": "9,8"})
    assert not chairs.joint and chairs.decider_ids == (8, 9)


@pytest.mark.parametrize("command", ["grade", "matrix"])
def test_the_offline_commands_read_matrix_from_the_triage_config_file(
    tmp_path: Path, command: str
) -> None:
    config = tmp_path / "triage.toml"
    config.write_text('MATRIX = "wt2023"\n', encoding="utf-8")
    done = triage_bot(tmp_path, command, stdin=ABUSE_HARM, TRIAGE_CONFIG=str(config))
    assert done.returncode == 0, done.stderr
    if command == "grade":
        assert json.loads(done.stdout)["profile"] == "wt2023"
    else:
        assert done.stdout.splitlines()[0].endswith("(profile wt2023)")
    # The environment wins over the file, as for every setting; `--matrix` over both.
    env = triage_bot(tmp_path, command, stdin=ABUSE_HARM, TRIAGE_CONFIG=str(config), MATRIX="2013")
    assert "wt2023" not in env.stdout, env.stderr
    given = triage_bot(
        tmp_path, command, "--matrix", "2013", stdin=ABUSE_HARM, TRIAGE_CONFIG=str(config)
    )
    assert "wt2023" not in given.stdout, given.stderr


@pytest.mark.parametrize("command", ["grade", "matrix"])
def test_an_unreadable_triage_config_is_one_line_for_the_offline_commands(
    tmp_path: Path, command: str
) -> None:
    missing = tmp_path / "nowhere.toml"
    done = triage_bot(tmp_path, command, stdin=ABUSE_HARM, TRIAGE_CONFIG=str(missing))
    assert done.returncode == 2
    assert done.stderr.startswith(f"triage-bot {command}: TRIAGE_CONFIG ")
    assert len(done.stderr.splitlines()) == 1, done.stderr

"""`triage-bot grade` and `triage-bot matrix`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
RESULT_KEYS = ["grade", "flags", "matched", "review_types", "methodology", "reporting"]


def triage_bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )


def write_json(tmp_path: Path, payload: Any, name: str = "facts.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_grade_one_object_from_a_file(tmp_path: Path) -> None:
    path = write_json(tmp_path, {"abuse_or_neglect": "known", "child_died": True})
    proc = triage_bot("grade", str(path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    out = json.loads(proc.stdout)
    assert list(out) == [*RESULT_KEYS, "matrix_version", "could_be"]
    assert out["grade"] == "catastrophic"
    assert out["flags"] == {
        "scr_required": True,
        "scr_unless_no_concerns": False,
        "cdop": True,
        "urgent": False,
        "notifiable": True,
    }
    assert [m["id"] for m in out["matched"]] == ["cat_abuse_child_died"]
    assert set(out["matched"][0]) == {"grade", "id", "text"}
    assert "Serious Case Review" in out["review_types"]
    assert out["matrix_version"]
    assert proc.stdout.startswith('{\n  "grade"')  # indented by 2


def test_grade_an_array_gives_an_array_in_order(tmp_path: Path) -> None:
    facts = [{"injury": "minor"}, {}, {"good_practice": True}, {"child_died": True}]
    proc = triage_bot("grade", str(write_json(tmp_path, facts)))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [r["grade"] for r in out] == ["low", "none", "best_practice", "significant"]
    assert out[3]["flags"]["cdop"] is True


def test_grade_reads_standard_input_by_default_and_with_dash() -> None:
    facts = json.dumps({"injury": "hospital_treatment", "standards": "statutory_or_professional"})
    for args in (["grade"], ["grade", "-"]):
        proc = triage_bot(*args, stdin=facts)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["grade"] == "significant"


def test_grade_an_empty_array() -> None:
    proc = triage_bot("grade", stdin="[]")
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == []


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        pytest.param('{"injury": "minor",', "invalid JSON in standard input", id="truncated"),
        pytest.param("", "no input: standard input is empty", id="empty"),
        pytest.param(" \n\t\n", "no input: standard input is empty", id="blank"),
        pytest.param("not json at all", "invalid JSON", id="text"),
        pytest.param('"a string"', "expected a JSON object of facts", id="a string"),
        pytest.param("42", "expected a JSON object of facts", id="a number"),
        pytest.param(
            '{"injury": "broken_arm"}',
            'injury: "broken_arm" is not allowed; allowed values: none, minor, '
            "hospital_treatment, hospital_admission_over_24h",
            id="value outside the set",
        ),
        pytest.param('{"injurie": "minor"}', "unknown fact 'injurie'", id="unknown key"),
        pytest.param(
            '{"child_died": "yes"}',
            'child_died: "yes" is not a boolean; allowed values: true, false',
            id="wrong type",
        ),
        pytest.param(
            '[{"injury": "minor"}, {}, {"standards": "bad"}]',
            'item 3: bad facts: standards: "bad" is not allowed',
            id="bad item of an array",
        ),
        pytest.param("[{}, 3]", "item 2: expected a JSON object", id="non-object item"),
        pytest.param('[3, {"injury": "minor"}]', "item 1: expected a JSON object", id="first item"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(stdin: str, message: str) -> None:
    proc = triage_bot("grade", stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert message in proc.stderr
    assert proc.stderr.startswith("triage-bot grade: ")
    assert proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_empty_input_is_named_not_a_json_position() -> None:
    proc = triage_bot("grade", stdin="")
    assert proc.stderr == (
        "triage-bot grade: no input: standard input is empty (give a JSON object of facts, "
        "or an array of them)\n"
    )
    assert "Expecting value" not in proc.stderr and "line 1 column 1" not in proc.stderr


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text("\n", encoding="utf-8")
    proc = triage_bot("grade", str(path))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"triage-bot grade: no input: {path} is empty (give a JSON object of facts, "
        "or an array of them)\n"
    )


def test_empty_facts_grade_none_with_a_note() -> None:
    proc = triage_bot("grade", stdin="{}")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["grade"] == "none"
    assert proc.stderr == (
        "triage-bot grade: note: no concern facts were given: every fact took its default\n"
    )
    proc = triage_bot("grade", stdin='[{"injury": "minor"}, {}, {"good_practice": false}]')
    assert proc.returncode == 0
    assert [r["grade"] for r in json.loads(proc.stdout)] == ["low", "none", "none"]
    assert proc.stderr.splitlines() == [
        "triage-bot grade: note: item 2: no concern facts were given: every fact took its default",
        "triage-bot grade: note: item 3: no concern facts were given: every fact took its default",
    ]
    proc = triage_bot("grade", stdin='{"injury": "minor"}')
    assert proc.stderr == ""


def test_grade_reports_could_be_and_notifiable() -> None:
    facts = {"abuse_or_neglect": "suspected", "seriously_harmed": True}
    proc = triage_bot("grade", stdin=json.dumps(facts))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["grade"] == "severe"
    assert out["flags"]["notifiable"] is True
    assert out["could_be"] == [
        {"grade": "catastrophic", "if": {"interagency_concern": "cause_for_concern"}}
    ]


def test_unreadable_file_exits_2(tmp_path: Path) -> None:
    proc = triage_bot("grade", str(tmp_path / "missing.json"))
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr and "missing.json" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = triage_bot("grade", str(tmp_path))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_grade_with_an_edited_matrix_file(tmp_path: Path) -> None:
    packaged = (ROOT / "matrix" / "matrix.toml").read_text(encoding="utf-8")
    edited = tmp_path / "edited.toml"
    edited.write_text(packaged.replace('version = "2013.3"', 'version = "2099.1"'), "utf-8")
    proc = triage_bot("grade", "--matrix", str(edited), stdin="{}")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["matrix_version"] == "2099.1"
    broken = tmp_path / "broken.toml"
    broken.write_text(packaged.replace('grade = "low"', 'grade = "lowish"', 1), "utf-8")
    proc = triage_bot("grade", "--matrix", str(broken), stdin="{}")
    assert proc.returncode == 2
    assert "unknown grade 'lowish'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_matrix_table_lists_every_grade_criterion_and_route() -> None:
    proc = triage_bot("matrix")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Grading matrix version 2013.3" in out
    for label in ("Catastrophic", "Severe", "Significant", "Moderate", "Low", "Best practice"):
        assert f"\n{label} " in out
    for criterion_id in ("cat_abuse_child_died", "sev_hospital_admission", "low_minor_injury"):
        assert criterion_id in out
    assert "reg. 5(2)(a) and (b)(i)" in out
    assert "Review types: Serious Case Review" in out
    assert "Methodology:" in out
    assert "when: injury = minor" in out
    assert "scr_unless_no_concerns" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_matrix_table_full_wording() -> None:
    proc = triage_bot("matrix", "--full")
    assert proc.returncode == 0, proc.stderr
    assert "Statutory compliance (appendix):" in proc.stdout
    assert "- Permanent disability/disease\n" in proc.stdout
    assert "- Use guidance from independent panels on SCR\n" in proc.stdout


@pytest.mark.parametrize("command", ["grade", "matrix"])
def test_commands_do_not_import_telegram(tmp_path: Path, command: str) -> None:
    facts = write_json(tmp_path, {"injury": "minor"})
    argv = ["grade", str(facts)] if command == "grade" else ["matrix"]
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        f"rc = main({argv!r})\n"
        "assert rc == 0, rc\n"
        "assert 'telegram' not in sys.modules, 'telegram was imported'\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 0, proc.stderr

"""The second profile (Working Together 2023) as data: the same facts and rows as 2013, its own
terms and clocks, a notifiable referral's route beginning with the rapid review, and a loader as
strict with it as with the 2013 file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from routes import row_route

from matrix import GRADES, MatrixError, grade, load_matrix, load_profile, route_for_grade
from matrix.model import TERMS

WT2023 = resources.files("matrix").joinpath("wt2023.toml").read_text(encoding="utf-8")
ABUSE_HARM = {"abuse_or_neglect": "known", "seriously_harmed": True}


def test_the_default_profile_is_2013_and_wt2023_is_packaged_beside_it() -> None:
    old, new = load_matrix(), load_profile("wt2023")
    assert (old.profile, old.version) == ("2013", "2013.3")
    assert load_profile(None) is old and load_profile("2013") is old
    assert new.profile == "wt2023" and new.version != old.version
    assert old.clocks == () and old.terms["review_short"] == "SCR"
    assert new.terms["review_short"] == "LCSPR" and new.terms["board"] == "safeguarding partners"
    assert set(new.terms) == set(old.terms) == set(TERMS)


def test_the_profiles_share_facts_rows_and_criteria() -> None:
    old, new = load_matrix(), load_profile("wt2023")
    assert dict(new.facts) == dict(old.facts)
    assert tuple(new.grades) == tuple(old.grades) == GRADES
    assert [(c.id, c.grade, c.when) for c in new.criteria] == [
        (c.id, c.grade, c.when) for c in old.criteria
    ]


def test_the_2023_clocks_are_data() -> None:
    clocks = {c.name: c for c in load_profile("wt2023").clocks}
    assert set(clocks) == {"notification", "rapid_review"}
    note, rapid = clocks["notification"], clocks["rapid_review"]
    assert (note.days, note.unit, note.start, note.flag) == (5, "working", "filed", "notifiable")
    assert (rapid.days, rapid.unit, rapid.start) == (15, "working", "notification")


def test_a_notifiable_referral_begins_with_the_rapid_review_whatever_its_grade() -> None:
    new = load_profile("wt2023")
    result = grade(ABUSE_HARM, new)
    assert result.flags["notifiable"]
    assert result.review_types[0] == "Rapid review"
    assert "notifies the Child Safeguarding Practice Review Panel within 5 working days" in (
        new.flags["notifiable"].description.replace("\n", " ")
    )
    for current in ("catastrophic", "severe", "moderate", "low"):
        route = route_for_grade(ABUSE_HARM, current, new)
        assert route.review_types[0] == "Rapid review", current
        assert route.review_types.count("Rapid review") == 1
    not_notifiable = grade({"injury": "minor"}, new)
    assert "Rapid review" not in not_notifiable.review_types


def test_the_2013_profile_answers_as_before() -> None:
    result = grade(ABUSE_HARM, load_matrix())
    assert result.flags["notifiable"]
    assert "Rapid review" not in result.review_types
    assert result.review_types == row_route(load_matrix(), result.grade, result.flags)
    assert result.matrix_version == "2013.3"


def write_copy(tmp_path: Path, old: str, new: str) -> Path:
    assert WT2023.count(old) == 1, f"{old!r} must occur once in wt2023.toml"
    path = tmp_path / "wt2023.toml"
    path.write_text(WT2023.replace(old, new), encoding="utf-8")
    return path


BROKEN = [
    pytest.param(
        'unit = "working"\nfrom = "filed"',
        'unit = "fortnights"\nfrom = "filed"',
        "wt2023.toml: clocks.notification: unit must be working or calendar, not 'fortnights'",
        id="bad clock unit",
    ),
    pytest.param(
        "days = 15",
        "days = 0",
        "clocks.rapid_review: days must be a positive whole number, not 0",
        id="clock days not positive",
    ),
    pytest.param(
        'from = "notification"',
        'from = "referral"',
        "clocks.rapid_review: from must be filed, notification (an earlier clock), not 'referral'",
        id="clock from an unknown event",
    ),
    pytest.param(
        "days = 15",
        'days = 15\ncolour = "red"',
        "clocks.rapid_review: unknown field 'colour'",
        id="unknown clock key",
    ),
    pytest.param(
        'unit = "working"\nfrom = "filed"\nflag = "notifiable"',
        'unit = "working"\nfrom = "filed"\nflag = "notified"',
        "clocks.notification: unknown flag 'notified'",
        id="clock on an unknown flag",
    ),
    pytest.param(
        'review_short = "LCSPR"\n', "", "terms: missing field 'review_short'", id="missing term"
    ),
    pytest.param(
        'review_short = "LCSPR"\n',
        'review_short = "LCSPR"\nsub_group = "x"\n',
        "terms: unknown field 'sub_group'",
        id="unknown term",
    ),
    pytest.param(
        'profile = "wt2023"\n', "", "top level: missing field 'profile'", id="missing profile"
    ),
    pytest.param(
        'route_first = "Rapid review"',
        'route_first = " "',
        "flags.notifiable: route_first must not be empty",
        id="empty route_first",
    ),
    pytest.param(
        'route_first = "Rapid review"',
        'route_first = "Rapid review"\nfirst = "x"',
        "flags.notifiable: unknown field 'first'",
        id="unknown flag key",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_profile_is_refused_naming_the_entry(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = write_copy(tmp_path, old, new)
    with pytest.raises(MatrixError) as refused:
        load_matrix(path)
    assert message in str(refused.value)


def test_an_unknown_profile_is_refused_with_the_names_to_choose_from() -> None:
    with pytest.raises(MatrixError, match="no matrix profile 'wt2024': give 2013 or wt2023"):
        load_profile("wt2024")


def test_a_board_s_own_file_is_a_profile_too(tmp_path: Path) -> None:
    path = write_copy(tmp_path, 'profile = "wt2023"', 'profile = "our-board"')
    assert load_profile(str(path)).profile == "our-board"

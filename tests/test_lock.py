"""The lock file `make` installs from covers pyproject.toml: every requirement of the bot and of
its test extras (and of the extras it asks of them) is pinned to a release its specifier admits,
with hashes, and no pin is a release with a known advisory that the floors exclude."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
# the first release without the advisories that raised these floors
FIXED = {"jinja2": "3.1.6", "aiohttp": "3.10.11", "setuptools": "78.1.1"}


def locked() -> dict[str, tuple[Version, int]]:
    """Each pinned package: its version and how many hashes it carries."""
    pins: dict[str, tuple[Version, int]] = {}
    current = ""
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = (Version(match.group(2).rstrip("\\ ")), 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def requirements() -> list[Requirement]:
    """The project's requirements, its test extras', and those its requested extras add."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    direct = [Requirement(r) for r in project["dependencies"]]
    direct += [Requirement(r) for r in project["optional-dependencies"]["test"]]
    added = []
    for req in direct:
        for extra in req.extras:
            for line in importlib.metadata.requires(req.name) or []:
                dep = Requirement(line)
                if dep.marker is not None and dep.marker.evaluate({"extra": extra}):
                    added.append(dep)
    return direct + added


def test_every_requirement_is_pinned_with_hashes_to_a_release_it_admits() -> None:
    pins = locked()
    assert len(pins) > 20
    missing = [str(r) for r in requirements() if canonicalize_name(r.name) not in pins]
    assert missing == [], "run `make lock`: the lock lacks these"
    outside = [
        f"{r} (locked {pins[canonicalize_name(r.name)][0]})"
        for r in requirements()
        if not r.specifier.contains(pins[canonicalize_name(r.name)][0], prereleases=True)
    ]
    assert outside == [], "run `make lock`: these pins no longer fit pyproject.toml"
    assert [name for name, (_, hashes) in pins.items() if hashes == 0] == []


def test_no_pin_is_a_release_with_a_known_advisory() -> None:
    pins = locked()
    assert {
        name: str(pins[name][0]) for name in FIXED if pins[name][0] < Version(FIXED[name])
    } == {}

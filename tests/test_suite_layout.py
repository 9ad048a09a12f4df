"""The test suite's own layout: pytest imports test and helper modules by their basename
(`pythonpath = [".", "tests"]`, no `__init__.py` under tests/), so two with the same name, or
one named like a project package, would shadow each other depending on how pytest is run."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _modules() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if p.name != "conftest.py"]


def test_no_two_test_or_helper_modules_share_a_basename() -> None:
    counts = Counter(p.stem for p in _modules())
    clashes = {name: n for name, n in counts.items() if n > 1}
    assert not clashes, clashes
    assert not list(TESTS.rglob("__init__.py"))  # rootdir-relative basenames, as today


def test_no_test_module_is_named_like_a_project_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = {pattern.rstrip("*") for pattern in include}
    assert packages >= {"bot", "demo", "storage"}
    assert not packages & {p.stem for p in _modules()}

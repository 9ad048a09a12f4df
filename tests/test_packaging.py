"""A wheel built from the source tree carries the matrix data file, the templates and the CLI."""

from __future__ import annotations

import fnmatch
import importlib.metadata
import importlib.util
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from matrix.loader import parse_toml

ROOT = Path(__file__).resolve().parents[1]
ROOT_FILES = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "setup.cfg", "setup.py")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".mypy_cache")


def _packages() -> list[str]:
    """The top-level package directories the project's `packages.find` includes."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and any(fnmatch.fnmatch(p.name, pat) for pat in patterns)
    )


def _backend_installed() -> bool:
    """Whether this environment can build without an isolated environment (offline)."""
    if importlib.util.find_spec("wheel") is None:
        return False
    major = int(importlib.metadata.version("setuptools").split(".")[0])
    return major >= 68


def _build_wheel(tmp_path: Path) -> Path:
    """Copy the source tree to tmp_path (the checkout stays clean) and build a wheel from it."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ROOT_FILES:
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, src / name)
    for package in _packages():
        shutil.copytree(ROOT / package, src / package, ignore=IGNORE)
    out = tmp_path / "dist"
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(src)]
    if _backend_installed():
        command.insert(4, "--no-isolation")
    proc = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    wheels = list(out.glob("*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_matrix_templates_and_entry_point(tmp_path: Path) -> None:
    packages = _packages()
    assert {"bot", "dialogs", "matrix", "storage", "templates"} <= set(packages)
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        toml_text = archive.read("matrix/matrix.toml").decode("utf-8")
        entry_points = next(
            archive.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt")
        )

    # the matrix data file, identical to the source and valid
    assert toml_text == (ROOT / "matrix" / "matrix.toml").read_text(encoding="utf-8")
    assert parse_toml(toml_text).version

    # every template and the labels present in the source tree at test time
    templates = sorted(
        p.relative_to(ROOT).as_posix()
        for pattern in ("*.j2", "*.toml")
        for p in (ROOT / "templates").rglob(pattern)
    )
    missing = [t for t in templates if t not in names]
    assert not missing, f"templates missing from the wheel: {missing}"
    if (ROOT / "templates" / "__init__.py").is_file():
        assert "templates/__init__.py" in names

    # every module of every package
    modules = sorted(
        p.relative_to(ROOT).as_posix()
        for package in packages
        for p in (ROOT / package).rglob("*.py")
        if "__pycache__" not in p.parts
    )
    assert [m for m in modules if m not in names] == []
    assert "matrix/__init__.py" in names and "bot/cli.py" in names

    # the console script
    assert "triage-bot = bot.cli:main" in entry_points

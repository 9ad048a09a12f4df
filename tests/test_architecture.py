"""The tree holds the architecture `docs/architecture.md` describes: each package imports only
what its row of the table allows, every package has a row, the sub-packages of `bot/` keep their
layers (the private chat and the board never import each other, delivery neither of them),
`bot/` stays small at its top, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
OURS = (
    "bot",
    "demo",
    "dialogs",
    "localapi",
    "matrix",
    "reports",
    "services",
    "storage",
    "templates",
)
ROW = re.compile(r"^\| `(?P<package>[a-z_/]+)/` \| (?P<owns>[^|]+) \| (?P<allowed>[^|]+) \|$")
MAX_LINES = 400
MAX_BOT_TOP = 12


def _rules() -> dict[str, frozenset[str]]:
    """package path ("bot/board") -> the packages it may import, read from the doc's table."""
    rules: dict[str, frozenset[str]] = {}
    for line in DOC.read_text().splitlines():
        match = ROW.match(line.strip())
        if match is None:
            continue
        allowed = match["allowed"].strip()
        names = re.findall(r"`([a-z_]+)`", allowed)
        assert names or allowed == "nothing of ours", f"unreadable row: {line}"
        rules[match["package"]] = frozenset(names)
    return rules


RULES = _rules()


def _modules_imported(path: Path) -> set[str]:
    """The full dotted names of every absolute import in a module (`from a.b import c` gives
    `a.b` and `a.b.c`: `c` may be a module)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The top-level names of every absolute import in a module (or only at its top level,
    `if TYPE_CHECKING:` blocks included)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    if top_level_only:
        nodes = [n for top in tree.body for n in (top.body if isinstance(top, ast.If) else [top])]
    else:
        nodes = list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _rule_for(module: Path) -> tuple[str, frozenset[str]]:
    """The most specific row that covers a module."""
    parts = module.relative_to(ROOT).parts[:-1]
    for depth in range(len(parts), 0, -1):
        key = "/".join(parts[:depth])
        if key in RULES:
            return key, RULES[key]
    raise AssertionError(f"no row of docs/architecture.md covers {module.relative_to(ROOT)}")


def _modules() -> list[Path]:
    return sorted(p for package in OURS for p in (ROOT / package).rglob("*.py"))


def test_the_table_has_a_row_for_every_package_and_no_row_for_none() -> None:
    assert set(OURS) <= set(RULES), f"packages without a row: {set(OURS) - set(RULES)}"
    for key in RULES:
        assert (ROOT / key / "__init__.py").is_file(), f"row {key!r} names no package"
    sub_packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "bot").glob("*/__init__.py")}
    assert sub_packages <= set(RULES), (
        f"bot sub-packages without a row: {sub_packages - set(RULES)}"
    )


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_what_its_row_allows(module: Path) -> None:
    key, allowed = _rule_for(module)
    own = key.split("/")[0]
    ours = {name for name in _imports(module) if name in (*OURS, "telegram")}
    forbidden = ours - allowed - {own}
    assert not forbidden, f"{module.relative_to(ROOT)} ({key}/) imports {sorted(forbidden)}"


# bot/'s layers: (sub-package, the sub-packages of bot/ it may not import).
LAYERS = (
    ("practitioner", ("board",)),
    ("board", ("practitioner",)),
    ("delivery", ("board", "practitioner")),
)


@pytest.mark.parametrize(
    ("package", "module"),
    [
        (package, module)
        for package, _ in LAYERS
        for module in sorted((ROOT / "bot" / package).rglob("*.py"))
    ],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_a_sub_package_of_bot_imports_no_package_above_it(package: str, module: Path) -> None:
    above = dict(LAYERS)[package]
    forbidden = {
        name
        for name in _modules_imported(module)
        for upper in above
        if name == f"bot.{upper}" or name.startswith(f"bot.{upper}.")
    }
    assert not forbidden, f"bot/{package}/{module.name} imports {sorted(forbidden)}"


def test_the_layer_check_catches_the_private_chat_importing_the_board(tmp_path: Path) -> None:
    """The check itself can fail: `from bot.board import chair` and `from bot import board`."""
    bad = tmp_path / "bad.py"
    bad.write_text("from bot.board import chair\nfrom bot import board\n")
    assert {"bot.board", "bot.board.chair"} <= _modules_imported(bad)


@pytest.mark.parametrize(
    "module",
    sorted((ROOT / "bot" / "commands").glob("*.py")),
    ids=lambda p: p.name,
)
def test_a_subcommand_imports_telegram_only_inside_run(module: Path) -> None:
    assert "telegram" not in _imports(module, top_level_only=True)


def test_bot_keeps_at_most_a_dozen_modules_at_its_top() -> None:
    top = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(top) <= MAX_BOT_TOP, top


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(module: Path) -> None:
    assert len(module.read_text().splitlines()) <= MAX_LINES


def test_the_rule_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    """The check itself can fail: a module of `matrix/` importing `storage` is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import json\nfrom storage.db import open_db\n")
    assert _imports(bad) - RULES["matrix"] == {"json", "storage"}


def _documented(module: Path) -> bool:
    """Whether docs/architecture.md names the module (a numbered migration step is covered by
    the migrations package's line; a package's `__init__` by its row)."""
    if module.name == "__init__.py" or re.match(r"v\d\d_", module.name):
        return True
    return re.search(rf"\b{re.escape(module.stem)}\b", DOC.read_text()) is not None


@pytest.mark.parametrize("module", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_named_in_the_architecture_doc(module: Path) -> None:
    assert _documented(module), f"{module.relative_to(ROOT)} is not in docs/architecture.md"


def test_the_doc_check_catches_a_module_it_does_not_name(tmp_path: Path) -> None:
    assert not _documented(tmp_path / "unheard_of_module.py")
    assert _documented(tmp_path / "v99_some_step.py") and _documented(ROOT / "bot" / "routes.py")

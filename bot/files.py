"""Files the bot writes for people (CSV exports, annual reports): private, whole, and never
written through a symbolic link.

`private_file(path)` gives a text file to write; it is a temporary file beside `path`, created
readable by its owner alone (0600), synced and renamed over `path` when the block ends, or
removed if it fails: no one ever sees half a file, and a symbolic link planted at `path` is
refused (and would only be replaced by the rename, never followed). Does not import `telegram`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

FOLDER_MODE = 0o700


class UnsafeTarget(ValueError):
    """A path the bot will not write to (a symbolic link, a folder); the message says which."""


def check_target(path: Path) -> None:
    """Refuse a `path` that is a symbolic link (even a dangling one) or a folder."""
    if path.is_symlink():
        raise UnsafeTarget(f"{path} is a symbolic link: files are never written through one")
    if path.is_dir():
        raise UnsafeTarget(f"{path} is a folder, not a file")


@contextmanager
def private_file(path: Path, *, newline: str | None = None) -> Iterator[TextIO]:
    """Write `path` (UTF-8 text) whole or not at all, 0600, never through a symbolic link."""
    check_target(path)
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        check_target(path)  # planted while we wrote? refuse rather than replace it
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)

"""The blocks the review's documents are made of (SPEC §9): a part with its heading and what
it misses, and the paragraphs, fields, lists, tables and subheadings in it. Written as HTML by
`templates/overview/` and as Word by `reports.overview_docx`; built by `reports.overview`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A paragraph; `missing` marks one that names what is not in yet."""

    text: str
    missing: bool = False
    kind: str = "text"


@dataclass(frozen=True)
class Field:
    """A labelled paragraph ("Methodology: SCIE")."""

    label: str
    text: str
    kind: str = "field"


@dataclass(frozen=True)
class Items:
    """A list, numbered or not."""

    items: tuple[str, ...]
    ordered: bool = False
    kind: str = "items"


@dataclass(frozen=True)
class Table:
    """A table with its caption and column headings."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    kind: str = "table"


@dataclass(frozen=True)
class Subheading:
    """A heading within a part (an agency's name)."""

    text: str
    kind: str = "subheading"


Block = Text | Field | Items | Table | Subheading


@dataclass(frozen=True)
class Part:
    """One part of the report: its heading, its blocks, and what it still misses."""

    key: str
    heading: str
    blocks: tuple[Block, ...]
    missing: tuple[str, ...] = ()

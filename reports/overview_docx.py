"""The draft overview report as an editable Word document (`.docx`, written with python-docx).

`write_docx(title, intro, privacy, parts)` writes the parts of `reports.overview` in order: the
title as the document's title (and its core property), each part's heading as a Heading 1 (so
Word's navigation pane and a screen reader list the parts), a subheading as a Heading 2,
fields as a paragraph with its label in bold, lists in Word's list styles, tables with their
caption above them and their header row marked to repeat (a screen reader reads it as the
header), and a missing part's words in italics. No text is added that the parts do not hold.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from reports.blocks import Field, Items, Part, Subheading, Table, Text

LANGUAGE = "en-GB"
# A table row's property: the row heads the table (on every page, and for a screen reader).
REPEAT_HEADER = f'<w:tblHeader {nsdecls("w")} w:val="true"/>'

TABLE_STYLE = "Table Grid"


def _table(document: WordDocument, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = TABLE_STYLE
    header = grid.rows[0]
    for cell, name in zip(header.cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(name).bold = True
    header._tr.get_or_add_trPr().append(parse_xml(REPEAT_HEADER))
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = value


def _block(document: WordDocument, block: Text | Field | Items | Table | Subheading) -> None:
    if isinstance(block, Subheading):
        document.add_heading(block.text, level=2)
    elif isinstance(block, Field):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{block.label}: ").bold = True
        paragraph.add_run(block.text)
    elif isinstance(block, Items):
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            document.add_paragraph(item, style=style)
    elif isinstance(block, Table):
        _table(document, block)
    else:
        paragraph = document.add_paragraph()
        paragraph.add_run(block.text).italic = block.missing


def write_docx(title: str, intro: str, privacy: str, parts: Sequence[Part]) -> bytes:
    """The Word document of the draft, as bytes."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.language = LANGUAGE
    document.add_heading(title, level=0)
    document.add_paragraph(intro)
    document.add_paragraph(privacy)
    for part in parts:
        document.add_heading(part.heading, level=1)
        for block in part.blocks:
            _block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

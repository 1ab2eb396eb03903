"""Word .docx files: one Section per paragraph, headings and table cells included.

python-docx reads the main document body in order; tables are read row by row,
a merged cell once, nested tables included. Headers, footers, comments and
text boxes are not read. Sections have neither page nor line: a .docx has no
fixed pages until a word processor lays it out.

Runs set in a legacy Nepali font (Preeti, ...) are converted to Unicode; the rest of the
paragraph is left as it is. A run's font is the first one named along Word's own order:
the run's properties, its character style (and the styles it is based on), the
paragraph's style (and its bases), then the document defaults; a theme reference
(``minorHAnsi``) is looked up in the document's theme.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, short_reason
from xlsearch.extract.docx_fonts import FontResolver
from xlsearch.extract.legacy import convert_runs
from xlsearch.types import Section

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph


def extract_docx(data: bytes) -> list[Section]:
    """Sections of a .docx file, one per non-empty paragraph or table-cell paragraph."""
    check_zip(data, "DOCX", required=("word/document.xml",))
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ExtractError(f"broken DOCX: {short_reason(exc)}") from exc
    fonts = FontResolver(document)
    sections = []
    for paragraph in _paragraphs(document.iter_inner_content()):
        text, font = convert_runs(fonts.runs(paragraph))
        if text.strip():
            sections.append(Section(text=text.strip(), converted_from=font))
    return sections


def _paragraphs(blocks: Iterator[Paragraph | Table]) -> Iterator[Paragraph]:
    """Every paragraph in ``blocks``, descending into tables in reading order."""
    from docx.text.paragraph import Paragraph

    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
        else:
            yield from _table_paragraphs(block)


def _table_paragraphs(table: Table) -> Iterator[Paragraph]:
    """The paragraphs of each distinct cell of ``table``, row by row."""
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            # A merged cell appears once per grid position it spans; read it once. The
            # set holds the XML elements themselves: their ids could be reused otherwise.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from _paragraphs(cell.iter_inner_content())

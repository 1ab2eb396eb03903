"""Presentations (.pptx, .odp): the text of each slide with its speaker notes, "slide N".

A slide's text is every text frame on it (titles, bodies, text boxes, tables, grouped
shapes) in the order the file keeps them, then its notes; each paragraph is one
Section, so a hit on a note still says which slide it belongs to. .pptx is read by
python-pptx (MIT, maintained, the reference Python reader); .odp by odfpy, whose
paragraph and legacy-font handling it shares with .odt. Legacy .ppt is in
:mod:`xlsearch.extract.ppt`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, is_encrypted_office, short_reason
from xlsearch.extract.legacy import convert_runs
from xlsearch.extract.odt import StyleFonts, _paragraph_nodes, _paragraph_runs, open_document
from xlsearch.types import Section

if TYPE_CHECKING:
    from pptx.shapes.base import BaseShape

_MAX_GROUP_DEPTH = 32
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_PRESENTATION_NS = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"


def slide_sections(number: int, paragraphs: Iterator[str] | list[str]) -> list[Section]:
    """One Section per non-empty paragraph, each at "slide ``number``"."""
    where = f"slide {number}"
    return [Section(text=text.strip(), where=where) for text in paragraphs if text.strip()]


def extract_pptx(data: bytes) -> list[Section]:
    """Sections of a PowerPoint 2007+ deck: each slide's text, then its notes."""
    if is_encrypted_office(data):
        raise ExtractError("PPTX is password-protected; save it without a password to index it")
    check_zip(data, "PPTX", required=("[Content_Types].xml",))
    import pptx

    try:
        deck = pptx.Presentation(io.BytesIO(data))
    except Exception as exc:
        raise ExtractError(f"broken PPTX: {short_reason(exc)}") from exc
    sections: list[Section] = []
    for number, slide in enumerate(deck.slides, start=1):
        paragraphs = [text for shape in slide.shapes for text in _shape_text(shape, 0)]
        if slide.has_notes_slide:
            frame = slide.notes_slide.notes_text_frame
            if frame is not None:
                paragraphs += [p.text for p in frame.paragraphs]
        sections.extend(slide_sections(number, paragraphs))
    return sections


def _shape_text(shape: BaseShape, depth: int) -> Iterator[str]:
    """The paragraphs of one shape: its text frame, a table's cells, a group's shapes."""
    item: Any = shape
    if depth < _MAX_GROUP_DEPTH and getattr(item, "shapes", None) is not None:  # a group
        for inner in item.shapes:
            yield from _shape_text(inner, depth + 1)
    if getattr(item, "has_text_frame", False):
        yield from (paragraph.text for paragraph in item.text_frame.paragraphs)
    if getattr(item, "has_table", False):
        for row in item.table.rows:
            for cell in row.cells:
                yield cell.text


def extract_odp(data: bytes) -> list[Section]:
    """Sections of an OpenDocument presentation: each page's text, then its notes."""
    document = open_document(data, "ODP")
    fonts = StyleFonts(document)
    sections: list[Section] = []
    pages = [n for n in document.presentation.childNodes if _qname(n) == (_DRAW_NS, "page")]
    for number, page in enumerate(pages, start=1):
        own = [c for c in page.childNodes if _qname(c) != (_PRESENTATION_NS, "notes")]
        notes = [c for c in page.childNodes if _qname(c) == (_PRESENTATION_NS, "notes")]
        for part in (own, notes):
            for node in part:
                for paragraph in _paragraph_nodes(node):
                    text, font = convert_runs(_paragraph_runs(paragraph, fonts))
                    if text.strip():
                        sections.append(
                            Section(text=text.strip(), converted_from=font, where=f"slide {number}")
                        )
    return sections


def _qname(node: Any) -> tuple[str, str] | None:
    return getattr(node, "qname", None)

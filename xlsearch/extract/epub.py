"""EPUB books: the visible text of each chapter, in reading (spine) order.

ebooklib unpacks the book; each XHTML chapter goes through the HTML extractor, so
a chapter yields one Section per block of text, with the book's stylesheets applied
to find text set in a legacy Nepali font. Chapters that cannot be decoded are
skipped; a book where none can is refused.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, short_reason
from xlsearch.extract.html import extract_html
from xlsearch.types import Section


def extract_epub(data: bytes) -> list[Section]:
    """Sections of an .epub file, chapter by chapter in spine order."""
    check_zip(data, "EPUB", required=("META-INF/container.xml",))
    book = _read_book(data)
    sections: list[Section] = []
    failure: ExtractError | None = None
    stylesheet = _stylesheets(book)
    for content in _chapters(book):
        try:
            sections.extend(extract_html(content, stylesheet))
        except ExtractError as exc:
            failure = exc
    if failure is not None and not sections:
        raise ExtractError(f"broken EPUB: {failure.message}")
    return sections


def _read_book(data: bytes) -> Any:
    """The ebooklib book in ``data`` (ebooklib is untyped, hence Any)."""
    from ebooklib import epub

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ebooklib warns about its own future defaults
            return epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:
        raise ExtractError(f"broken EPUB: {short_reason(exc)}") from exc


def _chapters(book: Any) -> list[bytes]:
    """The raw content of each document in the book's spine, in reading order."""
    import ebooklib

    chapters: list[bytes] = []
    for entry in book.spine:
        idref = entry[0] if isinstance(entry, tuple) else entry
        item = book.get_item_with_id(idref)
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
            chapters.append(bytes(item.get_content()))
    return chapters


def _stylesheets(book: Any) -> str:
    """The book's CSS files, joined (undecodable bytes replaced)."""
    import ebooklib

    sheets = [item.get_content() for item in book.get_items_of_type(ebooklib.ITEM_STYLE)]
    return "\n".join(bytes(sheet).decode("utf-8", "replace") for sheet in sheets)

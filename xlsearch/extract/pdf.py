"""PDF files: one Section per page that has text, with its 1-based page number.

pypdf reads the file leniently (``strict=False``) and its log warnings are silenced:
real-world PDFs are full of small defects that are not the user's problem. Files
that are not PDFs, are cut short, or are encrypted with a password raise
ExtractError with a reason a person can act on.
"""

from __future__ import annotations

import io
import logging
import warnings
from typing import TYPE_CHECKING

from xlsearch.errors import ExtractError
from xlsearch.extract.common import short_reason
from xlsearch.types import Section

if TYPE_CHECKING:
    from pypdf import PdfReader

_HEADER_WINDOW = 1024  # readers accept junk before "%PDF-" within the first KiB
_ENCRYPTED_REASON = "PDF is encrypted (it needs a password)"


def extract_pdf(data: bytes) -> list[Section]:
    """Sections of a PDF, one per page with text (``page`` is 1-based)."""
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise ExtractError("not a valid PDF (no PDF header)")
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(data)
        return _page_sections(reader)


def _open(data: bytes) -> PdfReader:
    """A reader over ``data``, decrypted with the empty password if needed."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except Exception as exc:
        raise ExtractError(_invalid_reason(data, exc)) from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # e.g. AES without a crypto library installed
            raise ExtractError(_ENCRYPTED_REASON) from exc
        if not opened:
            raise ExtractError(_ENCRYPTED_REASON)
    return reader


def _page_sections(reader: PdfReader) -> list[Section]:
    """One Section per page with text; a broken page is skipped unless every page is."""
    sections: list[Section] = []
    failure: Exception | None = None
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise ExtractError(f"not a valid PDF ({short_reason(exc)})") from exc
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text()
        except Exception as exc:
            failure = exc
            continue
        if text.strip():
            sections.append(Section(text=text.strip(), page=number))
    if failure is not None and not sections:
        raise ExtractError(f"could not read the PDF's pages ({short_reason(failure)})") from failure
    return sections


def _invalid_reason(data: bytes, exc: Exception) -> str:
    """Why pypdf could not open ``data``, in words."""
    if b"%%EOF" not in data:
        return "not a valid PDF (EOF marker not found; the file may be cut short)"
    return f"not a valid PDF ({short_reason(exc)})"

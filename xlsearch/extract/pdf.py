"""PDF files: one Section per page that has text, with its 1-based page number.

pypdf reads the file leniently (``strict=False``) and its log warnings are silenced:
real-world PDFs are full of small defects that are not the user's problem. Files
that are not PDFs, are cut short, or are encrypted with a password raise
ExtractError with a reason a person can act on.

Text drawn in a legacy Nepali font (``/BaseFont /ABCDEF+Preeti``) is converted to
Unicode: pypdf's visitor reports each text run's font while extracting, and the page
text is rebuilt from those runs when any of them is in a legacy font.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import short_reason
from xlsearch.extract.legacy import convert_runs, legacy_font
from xlsearch.types import Section

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

Runs = list[tuple[str, str | None]]

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
            text, font = _page_text(page)
        except Exception as exc:
            failure = exc
            continue
        if text.strip():
            sections.append(Section(text=text.strip(), page=number, converted_from=font))
    if failure is not None and not sections:
        raise ExtractError(f"could not read the PDF's pages ({short_reason(failure)})") from failure
    return sections


def _page_text(page: PageObject) -> tuple[str, str | None]:
    """The page's text, its legacy-font runs converted; and the legacy font, if any."""
    runs: Runs = []
    text = page.extract_text(visitor_text=_collect(runs))
    if not any(font for _, font in runs):
        return text, None
    return convert_runs(runs)


def _collect(runs: Runs) -> Callable[..., None]:
    """A pypdf text visitor appending (text, legacy font or None) to ``runs``."""

    def visit(text: str, _cm: Any, _tm: Any, font: Any, _size: Any) -> None:
        name = font.get("/BaseFont") if hasattr(font, "get") else None
        runs.append((text, legacy_font(str(name).lstrip("/")) if name else None))

    return visit


def _invalid_reason(data: bytes, exc: Exception) -> str:
    """Why pypdf could not open ``data``, in words."""
    if b"%%EOF" not in data:
        return "not a valid PDF (EOF marker not found; the file may be cut short)"
    return f"not a valid PDF ({short_reason(exc)})"

"""PDF files: one Section per page that has text, with its 1-based page number.

pypdf reads the file leniently (``strict=False``) and its log warnings are silenced:
real-world PDFs are full of small defects that are not the user's problem. Files
that are not PDFs, are cut short, or are encrypted with a password raise
ExtractError with a reason a person can act on.

Text drawn in a legacy Nepali font (``/BaseFont /ABCDEF+Preeti``) is converted to
Unicode: pypdf's visitor reports each text run's font while extracting, and the page
text is rebuilt from those runs when any of them is in a legacy font.

Pages are judged one by one (:func:`needs_ocr`): a page whose text layer holds real
text is read from it; a page with an image and next to no text (a scan, perhaps with a
scanner's stamp) or with broken glyphs (U+FFFD, ``(cid:12)``, private-use characters)
is left for OCR, and the file raises NeedsOcr carrying the pages that did read.
:func:`page_image` renders one page with pdfium for OCR.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from xlsearch.errors import ExtractError
from xlsearch.extract.common import short_reason
from xlsearch.extract.legacy import convert_runs, legacy_font
from xlsearch.extract.ocr import NeedsOcr, OcrOptions
from xlsearch.types import Section

if TYPE_CHECKING:
    from PIL import Image
    from pypdf import PageObject, PdfReader

Runs = list[tuple[str, str | None]]

_HEADER_WINDOW = 1024  # readers accept junk before "%PDF-" within the first KiB
_ENCRYPTED_REASON = "PDF is encrypted (it needs a password)"
MIN_CHARS = 40
"""A page with an image and fewer visible characters than this is a scan (a scanner's
stamp or page number is a few characters; a page of text is a thousand or more)."""
MAX_BROKEN = 0.1
"""A page with more than this share of broken glyphs is read by OCR instead."""
MIN_DPI = 50
"""A page too large to render at this resolution within the pixel cap is refused."""
_CID = re.compile(r"\(cid:\d+\)")


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
    """One Section per page with text; a broken page is skipped unless every page is.
    Raises NeedsOcr when some pages are scans or hold broken glyphs."""
    sections: list[Section] = []
    scans: list[int] = []
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
            scans.append(number)  # pdfium may still render what pypdf cannot parse
            continue
        if needs_ocr(text, _has_image(page)):
            scans.append(number)
        elif text.strip():
            sections.append(Section(text=text.strip(), page=number, converted_from=font))
    if scans:
        raise NeedsOcr(sections, scans)
    if failure is not None and not sections:
        raise ExtractError(f"could not read the PDF's pages ({short_reason(failure)})") from failure
    return sections


def needs_ocr(text: str, has_image: bool) -> bool:
    """Whether a page's text layer should give way to OCR: an image with next to no
    text over it, or text whose glyphs did not map to characters."""
    visible = [ch for ch in text if not ch.isspace()]
    if visible and broken_share(text) > MAX_BROKEN:
        return True
    return has_image and len(visible) < MIN_CHARS


def broken_share(text: str) -> float:
    """The share of visible characters that are broken glyphs: U+FFFD, private-use
    characters, control characters and ``(cid:N)`` placeholders (counted per letter)."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    cids = sum(len(m.group()) for m in _CID.finditer(text))
    odd = sum(ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ord(ch) < 32 for ch in visible)
    return (cids + odd) / len(visible)


def _has_image(page: PageObject) -> bool:
    """Whether the page draws an image (directly or in a form it uses)."""
    try:
        return _holds_image(page.get("/Resources"), 0)
    except Exception:  # a damaged resource dictionary: let OCR look
        return True


def _holds_image(resources: Any, depth: int) -> bool:
    if depth > 4 or resources is None:
        return False
    resources = resources.get_object()
    objects = resources.get("/XObject") if hasattr(resources, "get") else None
    if objects is None:
        return False
    for ref in objects.get_object().values():
        obj = ref.get_object()
        kind = obj.get("/Subtype")
        if kind == "/Image":
            return True
        if kind == "/Form" and _holds_image(obj.get("/Resources"), depth + 1):
            return True
    return False


def page_image(data: bytes, page: int, options: OcrOptions) -> Image.Image:
    """Page ``page`` (1-based) rendered in grey at ``options.dpi``, or less where that
    would pass the image module's pixel budget; refused below ``MIN_DPI``."""
    import pypdfium2 as pdfium

    from xlsearch.extract.image import OCR_PIXELS

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ExtractError(f"not a valid PDF ({short_reason(exc)})") from exc
    try:
        if not 1 <= page <= len(document):
            raise ExtractError(f"the PDF has no page {page}")
        sheet = document[page - 1]
        width, height = sheet.get_size()
        scale = options.dpi / 72
        budget = min(OCR_PIXELS, options.max_pixels)
        if width * height * scale * scale > budget:
            scale = (budget / max(width * height, 1.0)) ** 0.5
        if scale * 72 < MIN_DPI:
            raise ExtractError(
                f"page {page} is too large to render ({width / 72:.0f} x {height / 72:.0f} in)"
            )
        image: Image.Image = sheet.render(scale=scale, grayscale=True).to_pil().convert("L")
        image.info["dpi"] = (scale * 72, scale * 72)  # what Tesseract is told
        return image
    finally:
        document.close()


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

"""Extraction: turning one file on disk into Sections of text, or a reason it cannot be.

This package owns which file types xlsearch reads, the size limit, reading bytes
safely (no following into pipes or devices, no unbounded reads) and the promise
that a bad file only ever raises ExtractError with a short human reason. Each
format lives in its own module; their libraries are imported only when a file of
that format is read, so importing this package stays cheap for the CLI.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from xlsearch.errors import ExtractError
from xlsearch.extract import nested
from xlsearch.extract.archive import extract_zip
from xlsearch.extract.common import short_reason
from xlsearch.extract.delimited import extract_csv, extract_tsv
from xlsearch.extract.doc import extract_doc
from xlsearch.extract.docx import extract_docx
from xlsearch.extract.epub import extract_epub
from xlsearch.extract.html import extract_html
from xlsearch.extract.image import extract_image
from xlsearch.extract.legacy import detect_sections
from xlsearch.extract.mail import extract_eml, extract_mbox
from xlsearch.extract.ocr import NeedsOcr
from xlsearch.extract.odt import extract_odt
from xlsearch.extract.pdf import extract_pdf
from xlsearch.extract.plain import extract_plain
from xlsearch.extract.ppt import extract_ppt
from xlsearch.extract.rtf import extract_rtf
from xlsearch.extract.sheets import extract_ods, extract_xls, extract_xlsx
from xlsearch.extract.slides import extract_odp, extract_pptx
from xlsearch.types import Section

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "extract", "file_type", "is_supported"]

MAX_FILE_BYTES: int = 50 * 1024 * 1024
"""Files larger than this are refused with a reason instead of read."""

_TYPES: dict[str, str] = {
    ".txt": "txt",
    ".md": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".epub": "epub",
    # Images are read by OCR (extract_image names their frames; see extract.ocr).
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".png": "png",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".bmp": "bmp",
    ".webp": "webp",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xls": "xls",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "tsv",
    ".doc": "doc",
    ".rtf": "rtf",
    ".pptx": "pptx",
    ".ppt": "ppt",
    ".odp": "odp",
    ".eml": "eml",
    ".mbox": "mbox",
    ".zip": "zip",
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_TYPES)

_EXTRACTORS: dict[str, Callable[[bytes], list[Section]]] = {
    "txt": extract_plain,
    "md": extract_plain,
    "html": extract_html,
    "pdf": extract_pdf,
    "docx": extract_docx,
    "odt": extract_odt,
    "epub": extract_epub,
    "jpg": extract_image,
    "png": extract_image,
    "tiff": extract_image,
    "bmp": extract_image,
    "webp": extract_image,
    "xlsx": extract_xlsx,
    "xls": extract_xls,
    "ods": extract_ods,
    "csv": extract_csv,
    "tsv": extract_tsv,
    "doc": extract_doc,
    "rtf": extract_rtf,
    "pptx": extract_pptx,
    "ppt": extract_ppt,
    "odp": extract_odp,
    "eml": extract_eml,
    "mbox": extract_mbox,
    "zip": extract_zip,
}

# Non-blocking, so that a file swapped for a named pipe after the type check still
# cannot block the open; binary, for Windows.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_MIB = 1024 * 1024


def file_type(path: PurePath) -> str:
    """The short type name for ``path``'s suffix ("txt", "html", "pdf", ...), "" if unsupported."""
    return _TYPES.get(path.suffix.lower(), "")


def is_supported(path: PurePath) -> bool:
    """Whether xlsearch can read files with ``path``'s suffix (case-insensitive)."""
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def extract(
    path: Path, max_bytes: int = MAX_FILE_BYTES, detect_legacy: bool = True
) -> list[Section]:
    """The text of the file at ``path`` as Sections; [] for a file with no text.

    Text set in a legacy Nepali font (Preeti, ...) is converted to Unicode where the
    format names the font; with ``detect_legacy``, Sections no font marked are
    converted too where the detector finds them legacy-encoded (``converted_from``).
    Raises ExtractError, and nothing else, for a file that cannot be read: its
    message is the reason ("file is larger than 50 MB", "PDF is encrypted ...").
    """
    kind = file_type(path)
    if not kind:
        raise ExtractError(f"unsupported file type ({path.suffix or 'no extension'})")
    data = read_bytes(path, max_bytes)
    if not data:
        return []
    with nested.top_level():
        try:
            sections = extract_data(kind, data)
        except NeedsOcr as exc:  # the pages with text go through the legacy check too
            text = detect_sections(exc.sections) if detect_legacy else exc.sections
            raise NeedsOcr(text, exc.pages) from None
    return detect_sections(sections) if detect_legacy else sections


def extract_data(kind: str, data: bytes) -> list[Section]:
    """The Sections of ``data`` read as a file of type ``kind`` ("pdf", ...); ExtractError
    with a reason, and nothing else, when it cannot be read. Archives and mail read
    their members through here (see :mod:`xlsearch.extract.nested`)."""
    try:
        return _EXTRACTORS[kind](data)
    except ExtractError:  # NeedsOcr among them: the pages with text travel in it
        raise
    except RecursionError as exc:
        raise ExtractError(f"{kind.upper()} file is nested too deeply to read") from exc
    except MemoryError as exc:
        raise ExtractError("not enough memory to read this file") from exc
    except Exception as exc:  # a format library failed in a way we did not foresee
        raise ExtractError(f"could not read {kind.upper()} file: {short_reason(exc)}") from exc


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, refusing more than ``max_bytes``."""
    with _os_errors():
        _check_regular(path.stat(), max_bytes)
        with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as handle:
            _check_regular(os.fstat(handle.fileno()), max_bytes)
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew after it was measured
        raise ExtractError(_too_large(max_bytes))
    return data


def _check_regular(info: os.stat_result, max_bytes: int) -> None:
    """Refuse folders, pipes, devices and files over ``max_bytes``."""
    if stat.S_ISDIR(info.st_mode):
        raise ExtractError("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ExtractError("not a regular file (a pipe, socket or device)")
    if info.st_size > max_bytes:
        raise ExtractError(_too_large(max_bytes))


def _too_large(max_bytes: int) -> str:
    """The reason for refusing a file over ``max_bytes``, e.g. "file is larger than 50 MB"."""
    limit = f"{max_bytes / _MIB:g} MB" if max_bytes >= _MIB else f"{max_bytes:,} bytes"
    return f"file is larger than {limit}"


@contextmanager
def _os_errors() -> Iterator[None]:
    """Turn operating-system errors while reading into ExtractError reasons."""
    try:
        yield
    except PermissionError as exc:
        raise ExtractError("permission denied") from exc
    except FileNotFoundError as exc:
        raise ExtractError("file not found (or a link to a missing file)") from exc
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ExtractError("too many levels of symbolic links (a link loop)") from exc
        raise ExtractError((exc.strerror or short_reason(exc)).lower()) from exc

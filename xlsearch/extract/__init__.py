"""Extraction: turning one file on disk into Sections of text, or a reason it cannot be.

This package owns which file types xlsearch reads, the size limit, reading bytes
safely (no following into pipes or devices, no unbounded reads) and the promise
that a bad file only ever raises ExtractError with a short human reason. Each
format lives in its own module, imported with its libraries only when a file of
that format is read, so importing this package stays cheap for the CLI.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path, PurePath

from xlsearch.errors import ExtractError
from xlsearch.extract import nested
from xlsearch.extract.legacy import detect_sections
from xlsearch.extract.ocr import NeedsOcr
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

_READERS: dict[str, tuple[str, str]] = {
    "txt": ("plain", "extract_plain"),
    "md": ("plain", "extract_plain"),
    "html": ("html", "extract_html"),
    "pdf": ("pdf", "extract_pdf"),
    "docx": ("docx", "extract_docx"),
    "odt": ("odt", "extract_odt"),
    "epub": ("epub", "extract_epub"),
    "jpg": ("image", "extract_image"),
    "png": ("image", "extract_image"),
    "tiff": ("image", "extract_image"),
    "bmp": ("image", "extract_image"),
    "webp": ("image", "extract_image"),
    "xlsx": ("sheets", "extract_xlsx"),
    "xls": ("sheets", "extract_xls"),
    "ods": ("sheets", "extract_ods"),
    "csv": ("delimited", "extract_csv"),
    "tsv": ("delimited", "extract_tsv"),
    "doc": ("doc", "extract_doc"),
    "rtf": ("rtf", "extract_rtf"),
    "pptx": ("slides", "extract_pptx"),
    "ppt": ("ppt", "extract_ppt"),
    "odp": ("slides", "extract_odp"),
    "eml": ("mail", "extract_eml"),
    "mbox": ("mail", "extract_mbox"),
    "zip": ("archive", "extract_zip"),
}
"""Type -> (module of this package, function) that reads it."""


def _reader(module: str, name: str) -> Callable[[bytes], list[Section]]:
    """The reader ``name`` of ``module``, imported when the first file of its type is
    read: a run that reads no file (a renamed folder, copies) imports no format."""

    def read(data: bytes) -> list[Section]:
        found: Callable[[bytes], list[Section]] = getattr(
            import_module(f"xlsearch.extract.{module}"), name
        )
        return found(data)

    return read


_EXTRACTORS: dict[str, Callable[[bytes], list[Section]]] = {
    kind: _reader(*where) for kind, where in _READERS.items()
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
        from xlsearch.extract.common import short_reason

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
        from xlsearch.extract.common import short_reason

        raise ExtractError((exc.strerror or short_reason(exc)).lower()) from exc

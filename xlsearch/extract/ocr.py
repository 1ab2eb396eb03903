"""OCR: the Tesseract program, how it is called, and what identifies its result.

Tesseract runs as a program (``tesseract stdin stdout ... tsv``), one page per call,
one thread per call (``OMP_THREAD_LIMIT=1``: the indexer runs one call per core, which
measured faster than fewer calls with several threads each). Its TSV output gives the
words with their confidence; the text is rebuilt line by line from it and the page's
confidence is the mean over its words.

``settings_key`` names everything that changes a page's text (Tesseract's version, the
language models' hashes, the languages, page segmentation and engine modes, the
resolution): the OCR cache in the store is keyed by it, so changing any of them reads
pages again and nothing else does.

A file that holds pages only OCR can read raises :class:`NeedsOcr` from extraction;
the indexer reads those pages later (see :mod:`xlsearch.index.scans`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsearch.errors import ExtractError
from xlsearch.types import Section

INSTALL_HINT = (
    "install tesseract: sudo apt install tesseract-ocr tesseract-ocr-nep tesseract-ocr-eng"
)
"""What to do when OCR is wanted and Tesseract (or its Nepali model) is missing."""

PREFERRED_LANGUAGES = ("nep", "eng")
"""Languages read by default, where their models are installed."""


class NeedsOcr(ExtractError):
    """A file with pages that only OCR can read (a scan, a photo, a page of broken glyphs).

    ``sections`` holds the text of the pages that had real text; ``pages`` the 1-based
    numbers of the pages (image frames) to OCR.
    """

    def __init__(self, sections: list[Section], pages: list[int]) -> None:
        super().__init__(f"{len(pages)} page(s) need OCR")
        self.sections = sections
        self.pages = pages

    def __reduce__(self) -> tuple[type[NeedsOcr], tuple[list[Section], list[int]]]:
        return (NeedsOcr, (self.sections, self.pages))


@dataclass(frozen=True)
class OcrOptions:
    """How pages are read. ``dpi`` is the resolution PDF pages are rendered at;
    ``seconds`` bounds one page; ``max_pixels`` refuses larger images outright."""

    languages: str = "nep+eng"
    dpi: int = 200
    psm: int = 3
    oem: int = 1
    seconds: float = 120.0
    max_pixels: int = 120_000_000
    max_pages: int = 500
    program: str = field(default="tesseract", compare=False)


@dataclass(frozen=True)
class PageText:
    """One page read by OCR: its text and Tesseract's mean word confidence (0-100)."""

    text: str
    confidence: float | None
    seconds: float = 0.0


def tesseract_path(program: str = "tesseract") -> str | None:
    """Where the Tesseract program is, None when it is not installed."""
    return shutil.which(program)


@functools.cache
def tesseract_version(program: str = "tesseract") -> str:
    """Tesseract's version line ("tesseract 5.3.0"), "" when it cannot be run."""
    try:
        out = subprocess.run(
            [program, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    lines = (out.stdout or out.stderr).splitlines()
    return lines[0].strip() if lines else ""


def installed_languages(program: str = "tesseract") -> list[str]:
    """The language models Tesseract finds (respecting ``TESSDATA_PREFIX``)."""
    try:
        out = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    lines = (out.stdout + out.stderr).splitlines()
    return [line.strip() for line in lines[1:] if line.strip() and " " not in line.strip()]


def tessdata_dir(program: str = "tesseract") -> Path | None:
    """The folder Tesseract loads language models from."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        return Path(prefix)
    try:
        out = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    first = (out.stdout + out.stderr).splitlines()[:1]
    if not first or '"' not in first[0]:
        return None
    return Path(first[0].split('"')[1])


def default_languages(program: str = "tesseract") -> str:
    """``nep+eng`` restricted to what is installed ("" when neither is)."""
    have = set(installed_languages(program))
    return "+".join(lang for lang in PREFERRED_LANGUAGES if lang in have)


def missing_languages(languages: str, program: str = "tesseract") -> list[str]:
    """The languages of ``languages`` ("nep+eng") whose models are not installed."""
    have = set(installed_languages(program))
    return [lang for lang in languages.split("+") if lang and lang not in have]


def settings_key(options: OcrOptions) -> str:
    """A short hash of everything that changes what OCR reads from a page."""
    parts = [
        tesseract_version(options.program),
        options.languages,
        f"dpi={options.dpi}",
        f"psm={options.psm}",
        f"oem={options.oem}",
    ]
    folder = tessdata_dir(options.program)
    for lang in options.languages.split("+"):
        model = folder / f"{lang}.traineddata" if folder is not None else None
        parts.append(_file_hash(model) if model is not None and model.exists() else lang)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def _file_hash(path: Path) -> str:
    info = path.stat()
    return _hash_cached(str(path), info.st_size, info.st_mtime)


@functools.cache
def _hash_cached(path: str, size: int, mtime: float) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recognise(png: bytes, options: OcrOptions, dpi: int | None = None) -> PageText:
    """The text Tesseract reads from one page image (PNG or another format it decodes);
    ``dpi`` where it is known (a drawn PDF page), else Tesseract takes the image's own
    resolution or estimates it from the text."""
    import time

    command = [
        options.program,
        "stdin",
        "stdout",
        "-l",
        options.languages,
        "--oem",
        str(options.oem),
        "--psm",
        str(options.psm),
        *(["--dpi", str(dpi)] if dpi else []),
        "tsv",
    ]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, input=png, capture_output=True, timeout=options.seconds, env=env, check=False
        )
    except subprocess.TimeoutExpired:
        raise ExtractError(f"OCR of a page took longer than {options.seconds:g} s") from None
    except OSError as exc:
        reason = f"tesseract could not be run ({exc.strerror or exc}); {INSTALL_HINT}"
        raise ExtractError(reason) from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise ExtractError(f"tesseract failed on a page ({detail[0][:120]})")
    text, confidence = parse_tsv(done.stdout.decode("utf-8", "replace"))
    return PageText(text, confidence, time.monotonic() - started)


def parse_tsv(tsv: str) -> tuple[str, float | None]:
    """(text, mean word confidence) from Tesseract's TSV: words joined by spaces within
    a line, lines by newlines, paragraphs and blocks by a blank line."""
    lines: list[str] = []
    confidences: list[float] = []
    last: tuple[str, ...] | None = None
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        block, para, line = cols[2], cols[3], cols[4]
        if last is None or (block, para, line) != last:
            if last is not None and (block, para) != last[:2]:
                lines.append("")
            lines.append(cols[11].strip())
            last = (block, para, line)
        else:
            lines[-1] += " " + cols[11].strip()
        confidence = float(cols[10])
        if confidence >= 0:
            confidences.append(confidence)
    mean = sum(confidences) / len(confidences) if confidences else None
    return "\n".join(lines).strip(), mean


def read_page(path: Path, page: int, options: OcrOptions, max_bytes: int) -> PageText:
    """OCR page ``page`` (1-based) of the PDF or image at ``path``. A drawn PDF page that
    is blank reads as "" without calling Tesseract; a photo or a one-page scan in a
    format Tesseract reads goes to it as it is. Runs in the guarded reader (see
    ``guard.Reader.ocr``)."""
    from xlsearch.extract import file_type, read_bytes
    from xlsearch.extract.image import as_is, is_blank, page_image, to_png
    from xlsearch.extract.pdf import page_image as pdf_page_image

    data = _cached_bytes(path, max_bytes, read_bytes)
    if file_type(path) != "pdf" and page == 1 and as_is(data, options):
        return recognise(data, options)
    dpi = None
    try:
        if file_type(path) == "pdf":
            image = pdf_page_image(data, page, options)
            dpi = round(image.info.get("dpi", (options.dpi, options.dpi))[0])
        else:
            image = page_image(data, page, options)
    except ExtractError:
        raise
    except MemoryError:
        raise
    except Exception as exc:
        from xlsearch.extract.common import short_reason

        raise ExtractError(f"page {page} could not be drawn ({short_reason(exc)})") from exc
    if is_blank(image):
        return PageText("", None)
    return recognise(to_png(image), options, dpi)


_last_file: tuple[tuple[str, int, float], bytes] | None = None


def _cached_bytes(path: Path, max_bytes: int, read: Callable[[Path, int], bytes]) -> bytes:
    """The file's bytes, kept for the next page of the same file (pages come in order)."""
    global _last_file
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime)
    if _last_file is not None and _last_file[0] == key:
        return _last_file[1]
    data = read(path, max_bytes)
    _last_file = (key, data)
    return data

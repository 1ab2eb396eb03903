"""PowerPoint 97-2003 decks (.ppt): the text of each slide and its notes, "slide N".

catppt (Debian ``catdoc``) prints nothing for decks whose text lives in the slides'
own drawings, as LibreOffice writes them, and it cannot say which slide a line is
from; so the records are read here instead. The compound file is opened by olefile
(BSD, pure Python, the reader oletools and Pillow build on); its "PowerPoint Document"
stream is a tree of records, each an 8-byte header (version and instance, type,
length) and a body. Text sits in TextCharsAtom (UTF-16) and TextBytesAtom (Latin-1)
records, either inside each Slide container or, for placeholders in decks saved by
PowerPoint itself, in the document's SlideListWithText after each SlidePersistAtom.
Both are read and merged per slide; masters are skipped. Slides are numbered in the
order the stream holds them, which is the deck's order unless it was fast-saved.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

from xlsearch.errors import ExtractError
from xlsearch.extract.common import short_reason
from xlsearch.extract.doc import OLE
from xlsearch.extract.slides import slide_sections
from xlsearch.types import Section

_DOCUMENT, _SLIDE, _NOTES, _NOTES_ATOM = 0x03E8, 0x03EE, 0x03F0, 0x03F1
_SLIDE_LIST, _SLIDE_PERSIST = 0x0FF0, 0x03F3
_TEXT_CHARS, _TEXT_BYTES = 0x0FA0, 0x0FA8
_MAX_RECORDS = 1_000_000
_MAX_DEPTH = 64
Record = tuple[int, int, int, int, int]  # type, instance, body start, body end, depth


def extract_ppt(data: bytes) -> list[Section]:
    """Sections of a .ppt deck: per slide its text, then its notes."""
    if not data.startswith(OLE):
        raise ExtractError("broken PPT: not a PowerPoint 97-2003 file")
    stream = _document_stream(data)
    slides: list[list[str]] = []
    listed: list[list[str]] = []  # text of the slide list (placeholders), per slide
    notes: list[list[str]] = []
    for kind, instance, start, end, depth in _records(stream):
        if kind == _SLIDE and depth == 0:
            slides.append(list(_texts(stream, start, end)))
        elif kind == _NOTES and depth == 0 and _is_slide_notes(stream, start, end):
            notes.append(list(_texts(stream, start, end)))
        elif kind == _SLIDE_LIST and instance == 0:
            listed = _slide_list(stream, start, end)
    sections: list[Section] = []
    for number in range(1, max(len(slides), len(listed)) + 1):
        texts = _at(listed, number) + _at(slides, number)
        texts = list(dict.fromkeys(texts)) + _at(notes, number)
        sections.extend(slide_sections(number, [p for t in texts for p in t.split("\r")]))
    return sections


def _at(items: list[list[str]], number: int) -> list[str]:
    return items[number - 1] if number <= len(items) else []


def _document_stream(data: bytes) -> bytes:
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if ole.exists("EncryptedSummary") or ole.exists("encryptedsummary"):
                raise ExtractError("PPT is password-protected; save it without a password")
            if not ole.exists("PowerPoint Document"):
                raise ExtractError("broken PPT: it has no PowerPoint Document stream")
            return bytes(ole.openstream("PowerPoint Document").read())
    except ExtractError:
        raise
    except Exception as exc:
        raise ExtractError(f"broken PPT: {short_reason(exc)}") from exc


def _records(stream: bytes, start: int = 0, end: int | None = None) -> Iterator[Record]:
    """Every record in ``stream[start:end]``, containers before their contents."""
    stack = [(start, len(stream) if end is None else end, 0)]
    seen = 0
    while stack:
        at, stop, depth = stack.pop()
        while at + 8 <= stop and seen < _MAX_RECORDS:
            seen += 1
            head, kind, length = struct.unpack_from("<HHI", stream, at)
            body, after = at + 8, min(at + 8 + length, stop)
            yield kind, head >> 4, body, after, depth
            if head & 0xF == 0xF and depth < _MAX_DEPTH:  # a container: read it next
                stack.append((after, stop, depth))
                at, stop, depth = body, after, depth + 1
                continue
            at = after


def _texts(stream: bytes, start: int, end: int) -> Iterator[str]:
    for kind, _, body, after, _ in _records(stream, start, end):
        if kind == _TEXT_CHARS:
            yield stream[body:after].decode("utf-16-le", "replace")
        elif kind == _TEXT_BYTES:
            yield stream[body:after].decode("latin-1")


def _slide_list(stream: bytes, start: int, end: int) -> list[list[str]]:
    """Text per slide of a SlideListWithText: atoms after each SlidePersistAtom."""
    slides: list[list[str]] = []
    for kind, _, body, after, _ in _records(stream, start, end):
        if kind == _SLIDE_PERSIST:
            slides.append([])
        elif slides and kind == _TEXT_CHARS:
            slides[-1].append(stream[body:after].decode("utf-16-le", "replace"))
        elif slides and kind == _TEXT_BYTES:
            slides[-1].append(stream[body:after].decode("latin-1"))
    return slides


def _is_slide_notes(stream: bytes, start: int, end: int) -> bool:
    """Whether a Notes container belongs to a slide (not the notes master)."""
    for kind, _, body, after, _ in _records(stream, start, end):
        if kind == _NOTES_ATOM and after - body >= 4:
            slide_id: int = struct.unpack_from("<I", stream, body)[0]
            return 0 < slide_id < 0x80000000
    return False

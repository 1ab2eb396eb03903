"""Word 97-2003 documents (.doc), and the things that hide behind that suffix.

A .doc is read by antiword (GPL-2, a small C program: fast, no Python dependency),
falling back to catdoc where antiword refuses the file (it rejects documents with a
very short text, among others). Both are Debian packages, found at run time. Many
".doc" files are not Word files at all: RTF saved under that name, plain text, a
.docx renamed; each is recognised by its first bytes and read as what it is. A
program renamed .doc (``MZ``, ELF) or other binary data gets a clear reason.

antiword prints each paragraph on one line (``-w 0``) with blank lines between, so
paragraphs split as in a text file. Text typed in a legacy Nepali font (Preeti)
comes out as its ASCII codes; ``extract``'s detector finds and converts it.
"""

from __future__ import annotations

import shutil

from xlsearch.errors import ExtractError
from xlsearch.extract.decode import decode_text
from xlsearch.extract.plain import split_paragraphs
from xlsearch.extract.tools import missing, run_tool
from xlsearch.types import Section

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PROGRAMS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
_ARGS = {"antiword": ["-m", "UTF-8.txt", "-w", "0"], "catdoc": ["-d", "utf-8", "-w"]}
_WORD_MAGIC = b"\xec\xa5"  # wIdent at the start of the WordDocument stream's FIB


def extract_doc(data: bytes) -> list[Section]:
    """Sections of a .doc file, one per paragraph (no pages: they are laid out by Word)."""
    head = data[:8]
    if head.startswith(b"{\\rtf"):
        from xlsearch.extract.rtf import extract_rtf

        return extract_rtf(data)
    if head.startswith(b"PK\x03\x04"):
        from xlsearch.extract.docx import extract_docx

        return extract_docx(data)
    if head.startswith(_PROGRAMS):
        raise ExtractError("not a Word document: it is a program (an executable renamed .doc)")
    if not head.startswith(OLE):
        try:
            return split_paragraphs(decode_text(data))
        except ExtractError:
            raise ExtractError("not a Word document (unrecognised binary data)") from None
    return split_paragraphs(_word_text(data))


def _word_text(data: bytes) -> str:
    """The text of a Word 97-2003 file by antiword, else catdoc ("" when it has none)."""
    if _encrypted(data):
        raise ExtractError("DOC is password-protected; save it without a password to index it")
    tools = [t for t in ("antiword", "catdoc") if shutil.which(t)]
    if not tools:
        raise missing("antiword")
    reason = ""
    for tool in tools:
        status, out, err = run_tool(tool, _ARGS[tool], data, ".doc")
        if status == 0 and out.strip():
            return out
        if status != 0 or err:
            reason = reason or (err.splitlines()[0] if err else f"{tool} could not read it")
    if reason:
        raise ExtractError(f"broken DOC: {reason}")
    return ""


def _encrypted(data: bytes) -> bool:
    """Whether the FIB of the first Word stream found says the document is encrypted."""
    at = data.find(_WORD_MAGIC, 512)
    while at != -1 and at % 512:  # the FIB starts a stream, at a sector boundary
        at = data.find(_WORD_MAGIC, at + 1)
    return at != -1 and len(data) > at + 11 and bool(data[at + 11] & 0x01)

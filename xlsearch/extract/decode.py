"""Turning the bytes of a text file into a string, and refusing bytes that are not text.

Order of evidence: a byte-order mark, then a charset the file declares (HTML), then
strict UTF-8, then "mostly UTF-8" (decoded with replacement characters), then
charset-normalizer's guess for legacy 8-bit files. A file is refused as binary when
it has NUL bytes without a UTF-16/32 mark, or when too much of the decoded text is
control or replacement characters. Unicode normalisation is not done here.
"""

from __future__ import annotations

import codecs
import re

from xlsearch.errors import ExtractError

BINARY_REASON = "binary data, not text"

# The longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# C0 and C1 controls other than tab, newline, vertical tab, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_CONTROL_SHARE = 0.05
_BINARY_WINDOWS = 16
_BINARY_WINDOW_CHARS = 64 * 1024

# Valid UTF-8 characters must outnumber invalid bytes by this much for "mostly UTF-8".
_MOSTLY_UTF8_RATIO = 4

# Western legacy encodings win ties: charset-normalizer cannot tell cp1250 from cp1252
# on short Western text, and files in a person's folders are far more often cp1252.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")
_NO_BOM_UNICODE = ("utf_16", "utf_32")
_GUESS_BYTES = 256 * 1024


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode ``data`` to text, trusting a BOM first and then ``declared`` (a charset name).

    Raises ExtractError(BINARY_REASON) when the bytes are not text.
    """
    text = _decode_bom(data)
    if text is None:
        if b"\x00" in data:
            raise ExtractError(BINARY_REASON)
        text = _decode_declared(data, declared)
    if text is None:
        text = _decode_unmarked(data)
    if _looks_binary(text):
        raise ExtractError(BINARY_REASON)
    return text


def _decode_bom(data: bytes) -> str | None:
    """The text when ``data`` starts with a byte-order mark, else None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    return None


def _decode_declared(data: bytes, declared: str | None) -> str | None:
    """The text in the declared charset, or None when there is none we can trust."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    # UTF-8 is tried first anyway, with a fallback when the page lies about it; and a
    # UTF-16 declaration without a BOM is a lie once the bytes hold no NULs.
    if name.startswith(("utf-8", "utf-16", "utf-32")):
        return None
    # Browsers read "latin-1" and "ascii" pages as windows-1252; so do we.
    if name in ("iso8859-1", "latin-1", "ascii"):
        name = "cp1252"
    try:
        return data.decode(name, errors="replace")
    except LookupError:  # a bytes-to-bytes codec such as "zlib" or "base64"
        return None


def _decode_unmarked(data: bytes) -> str:
    """Decode bytes with no BOM and no declaration: UTF-8, mostly UTF-8, or a legacy guess."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    if _mostly_utf8(data, lenient):
        return lenient
    guess = _guess_legacy(data)
    return guess if guess is not None else lenient


def _mostly_utf8(data: bytes, lenient: str) -> bool:
    """Whether valid non-ASCII UTF-8 characters far outnumber the invalid bytes."""
    bad = lenient.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(lenient) - len(lenient.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    return good > 0 and good >= _MOSTLY_UTF8_RATIO * bad


def _guess_legacy(data: bytes) -> str | None:
    """charset-normalizer's best reading of ``data``, preferring cp1252 on a tie."""
    import charset_normalizer

    matches = [
        match
        for match in charset_normalizer.from_bytes(_guess_sample(data))
        if not match.encoding.startswith(_NO_BOM_UNICODE)
    ]
    if not matches:
        return None
    chosen = matches[0].encoding
    for match in matches:
        tied = match.chaos <= matches[0].chaos + 0.01
        tied = tied and match.coherence >= matches[0].coherence - 0.02
        if tied and match.encoding in _PREFERRED_LEGACY:
            chosen = match.encoding
            break
    return data.decode(chosen, errors="replace")


def _guess_sample(data: bytes) -> bytes:
    """The head of ``data`` for guessing its encoding, cut after a newline.

    charset-normalizer decodes its whole input once per candidate encoding, which
    takes seconds on a large file; the head decides as well. The cut falls after a
    newline byte, which is never the middle of a character in the legacy multibyte
    encodings (their trailing bytes are all 0x40 or above).
    """
    if len(data) <= _GUESS_BYTES:
        return data
    cut = data.rfind(b"\n", 0, _GUESS_BYTES)
    return data[: cut + 1] if cut > 0 else data[:_GUESS_BYTES]


def _looks_binary(text: str) -> bool:
    """Whether control and replacement characters make up too much of ``text``.

    A long text is judged by evenly spaced windows rather than in full: binary data
    shows itself everywhere, and scanning 50 MB would take most of a second.
    """
    sample = _binary_sample(text)
    if not sample:
        return False
    bad = len(_CONTROL.findall(sample))
    return bad > _MAX_CONTROL_SHARE * len(sample)


def _binary_sample(text: str) -> str:
    """``text`` itself when short, else _BINARY_WINDOWS evenly spaced windows of it."""
    size = _BINARY_WINDOWS * _BINARY_WINDOW_CHARS
    if len(text) <= size:
        return text
    step = (len(text) - _BINARY_WINDOW_CHARS) // (_BINARY_WINDOWS - 1)
    starts = range(0, step * _BINARY_WINDOWS, step)
    return "".join(text[start : start + _BINARY_WINDOW_CHARS] for start in starts)

"""Helpers the format modules share: short reasons from exceptions, and zip checks.

DOCX, ODT and EPUB are zip archives. Before a format library unpacks one, the
archive is checked here so that garbage gets a clear reason ("not a zip archive")
and a zip bomb is refused before it fills memory.
"""

from __future__ import annotations

import io
import re
import zipfile

from xlsearch.errors import ExtractError

MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""The most a document archive may unpack to; more is treated as a zip bomb."""

MAX_RATIO = 200
"""The most a large archive member may expand over its packed size; deflate tops out
near 1000, and real document XML (even long repetitive tables) stays well below 200."""
RATIO_FROM_BYTES = 16 * 1024 * 1024
"""Members smaller than this unpacked are not judged by their ratio."""

# The start of a bytes literal in an exception message: b'...' or b"...".
_BYTES_LITERAL = re.compile(r"""(?:^|(?<=[\s(\[=]))b['"]""")


def short_reason(exc: BaseException) -> str:
    """The first line of an exception's message, at most 120 chars, without raw bytes.

    Libraries quote the offending bytes (``b'\\x9c...'``); those mean nothing to a
    person, so the message is cut where the first bytes literal starts. The class
    name stands in when nothing readable is left.
    """
    lines = str(exc).strip().splitlines()
    message = lines[0] if lines else ""
    found = _BYTES_LITERAL.search(message)
    if found:
        message = message[: found.start()].rstrip(" :@0123456789")
    return message[:120] or type(exc).__name__


def check_zip(data: bytes, kind: str, required: tuple[str, ...] = ()) -> None:
    """Raise ExtractError("broken <kind>: ...") unless ``data`` is a sane zip archive.

    ``required`` names members the format cannot do without.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ExtractError(f"broken {kind}: not a zip archive") from exc
    except Exception as exc:
        raise ExtractError(f"broken {kind}: {short_reason(exc)}") from exc
    names = {member.filename for member in members}
    missing = [name for name in required if name not in names]
    if missing:
        raise ExtractError(f"broken {kind}: {missing[0]} is missing")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise ExtractError(f"broken {kind}: it unpacks to more than 512 MB")
    for member in members:
        if member.file_size >= RATIO_FROM_BYTES and (
            member.file_size > MAX_RATIO * max(member.compress_size, 1)
        ):
            raise ExtractError(
                f"broken {kind}: {member.filename} unpacks to {member.file_size // 2**20} MB "
                f"from {member.compress_size / 2**20:.1f} MB, a zip bomb"
            )


_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def is_encrypted_office(data: bytes) -> bool:
    """Whether ``data`` is a password-protected Office 2007+ file (.docx, .xlsx, .pptx).

    Office encrypts such a file into a compound-file container holding an
    ``EncryptedPackage`` stream, so it no longer starts as a zip archive.
    """
    return data.startswith(b"\xd0\xcf\x11\xe0") and _ENCRYPTED_PACKAGE in data[: 1 << 20]

"""Zip archives (.zip): every member of a type xlsearch reads, "archive.zip › member.docx".

Members are read by their own extractors through :mod:`xlsearch.extract.nested`, which
bounds depth, count and unpacked bytes for the whole file on disk. Each member is
also judged alone before it is unpacked: a member whose declared size exceeds the
room left, or which expands more than ``MAX_RATIO`` times, is a zip bomb and the
archive is refused; and reading stops at the declared size plus one byte, so a
member whose header lies about its size still cannot unpack more. Folders, hidden
members (``__MACOSX/``, dot files) and encrypted members are passed over.
"""

from __future__ import annotations

import io
import zipfile

from xlsearch.errors import ExtractError
from xlsearch.extract import nested
from xlsearch.extract.common import short_reason
from xlsearch.types import Section

MAX_RATIO = 200
"""The most a member of 1 MB or more may expand over its packed size (see common.py)."""
_RATIO_FROM = 1024 * 1024


def extract_zip(data: bytes) -> list[Section]:
    """Sections of every readable member, each placed under the member's path."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ExtractError("broken ZIP: not a zip archive") from exc
    except Exception as exc:
        raise ExtractError(f"broken ZIP: {short_reason(exc)}") from exc
    sections: list[Section] = []
    with archive, nested.top_level():
        for info in archive.infolist():
            if _passed_over(info) or not nested.readable(info.filename):
                continue
            room = nested.room()
            if room <= 0:
                break
            _check_bomb(info, room)
            sections.extend(nested.member_sections(info.filename, _read(archive, info, room)))
    return sections


def _passed_over(info: zipfile.ZipInfo) -> bool:
    name = info.filename
    hidden = any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))
    return info.is_dir() or hidden or bool(info.flag_bits & 0x1)


def _check_bomb(info: zipfile.ZipInfo, room: int) -> None:
    if info.file_size > nested.MAX_UNPACKED_BYTES or (
        info.file_size >= _RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1)
    ):
        raise ExtractError(
            f"broken ZIP: {info.filename} unpacks to {info.file_size // 2**20} MB "
            f"from {info.compress_size / 2**20:.1f} MB, a zip bomb"
        )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, room: int) -> bytes:
    """The member's bytes, at most ``room`` (b"" when it is larger or unreadable)."""
    if info.file_size > room:
        return b""
    try:
        with archive.open(info) as member:
            data = member.read(min(info.file_size, room) + 1)
    except Exception:  # a broken member: its siblings are still read
        return b""
    return data if len(data) <= info.file_size else b""

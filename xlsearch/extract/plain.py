"""Plain text and Markdown: decoded text split into paragraphs with their line numbers.

A paragraph is a run of lines between blank (whitespace-only) lines. Each Section
carries the 1-based line where its first non-blank character sits, so a hit can
say "line 42". The work is linear in the file size: one regex pass finds the
paragraph breaks and newlines are counted only between consecutive paragraphs.
"""

from __future__ import annotations

import re

from xlsearch.extract.decode import decode_text
from xlsearch.types import Section

# A newline followed by one or more whitespace-only lines.
_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")


def extract_plain(data: bytes) -> list[Section]:
    """Sections of a .txt or .md file, one per paragraph, each with its starting line."""
    return split_paragraphs(decode_text(data))


def split_paragraphs(text: str) -> list[Section]:
    """Split ``text`` on blank lines into Sections with 1-based ``line`` numbers."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sections: list[Section] = []
    line, counted_to, start = 1, 0, 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        line, counted_to = _add_paragraph(text, start, match.start(), line, counted_to, sections)
        start = match.end()
    _add_paragraph(text, start, len(text), line, counted_to, sections)
    return sections


def _add_paragraph(
    text: str, start: int, end: int, line: int, counted_to: int, sections: list[Section]
) -> tuple[int, int]:
    """Append ``text[start:end]`` as a Section if it holds text; return the newline count state.

    ``line`` is the line number at offset ``counted_to``; newlines are counted only
    from there, which keeps the whole split linear.
    """
    raw = text[start:end]
    stripped = raw.lstrip()
    if not stripped:
        return line, counted_to
    first = start + len(raw) - len(stripped)
    line += text.count("\n", counted_to, first)
    sections.append(Section(text=stripped.rstrip(), line=line))
    return line, first

"""Comma- and tab-separated tables (.csv, .tsv): rows with their header, "row N".

The bytes are decoded as any text file is (:mod:`xlsearch.extract.decode`: BOM, UTF-8,
legacy guesses), then split by the standard library's csv reader. A .csv's delimiter
is sniffed from its head among comma, semicolon (European Excel), tab and bar; a
.tsv is tab-separated. Row numbers are the file's record numbers, header included.
"""

from __future__ import annotations

import csv
import io

from xlsearch.errors import ExtractError
from xlsearch.extract.decode import decode_text
from xlsearch.extract.rows import MAX_CELL_CHARS, row_sections
from xlsearch.types import Section

_SNIFF_CHARS = 64 * 1024
_DELIMITERS = ",;\t|"


def extract_csv(data: bytes) -> list[Section]:
    """Sections of a .csv file, one per non-empty record."""
    text = decode_text(data)
    return _records(text, _sniff(text[:_SNIFF_CHARS]), "CSV")


def extract_tsv(data: bytes) -> list[Section]:
    """Sections of a .tsv file, one per non-empty record."""
    return _records(decode_text(data), "\t", "TSV")


def _sniff(head: str) -> str:
    """The delimiter the head of the file uses, "," when it cannot tell."""
    try:
        return csv.Sniffer().sniff(head, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _records(text: str, delimiter: str, kind: str) -> list[Section]:
    # A cell may be as long as the file; rows.py keeps only MAX_CELL_CHARS of it.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1, MAX_CELL_CHARS))
    try:
        return row_sections(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), "")
    except csv.Error as exc:
        raise ExtractError(f"broken {kind}: {exc}") from exc

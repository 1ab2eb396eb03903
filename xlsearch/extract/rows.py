"""Rows of a table (a spreadsheet sheet, a CSV file) as Sections a person can search.

Each row becomes one Section that names its cells by the table's header, so a hit on
"धादिङ" reads "जिल्ला: धादिङ, बिरामी: 12" rather than a bare "धादिङ 12". The header
is the first row with text in it, when every filled cell of that row is text; a table
that starts with numbers has none, and its rows read as their values. Everything is
bounded: rows, columns and characters per cell, so a sheet of a million rows or a
cell of a million characters costs no more than the limits.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from xlsearch.types import Section

MAX_ROWS = 100_000
"""The most rows read from one file (over all its sheets); the rest is not indexed."""
MAX_COLUMNS = 256
"""The most cells read from one row."""
MAX_CELL_CHARS = 4_000
"""The most characters kept from one cell."""

Cell = object


def cell_text(value: Cell) -> str:
    """A cell as text: integral floats without ".0", dates in ISO form, whitespace collapsed."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return " ".join(str(value)[:MAX_CELL_CHARS].split())


def row_sections(
    rows: Iterable[Sequence[Cell]], place: str, first_row: int = 1, budget: list[int] | None = None
) -> list[Section]:
    """One Section per non-empty row of ``rows``, labelled ``f"{place}row {n}"``.

    ``first_row`` is the 1-based number of the first row given; ``budget`` is a
    one-item list of rows still allowed, shared between the sheets of one file.
    """
    budget = budget if budget is not None else [MAX_ROWS]
    header: list[str] | None = None
    sections: list[Section] = []
    for number, row in enumerate(rows, start=first_row):
        if budget[0] <= 0:
            break
        budget[0] -= 1
        cells = [cell_text(value) for value in row[:MAX_COLUMNS]]
        if not any(cells):
            continue
        if header is None and not sections:
            if all(isinstance(v, str) for v in row[:MAX_COLUMNS] if cell_text(v)):
                header = cells
                sections.append(Section(text=_join(cells), where=f"{place}row {number}"))
                continue
            header = []
        sections.append(Section(text=_labelled(header or [], cells), where=f"{place}row {number}"))
    return sections


def _join(cells: list[str]) -> str:
    return ", ".join(cell for cell in cells if cell)


def _labelled(header: list[str], cells: list[str]) -> str:
    """ "name: value" for each filled cell whose column has a name, the bare value otherwise."""
    parts = []
    for column, cell in enumerate(cells):
        if not cell:
            continue
        name = header[column] if column < len(header) else ""
        parts.append(f"{name}: {cell}" if name and name != cell else cell)
    return ", ".join(parts)

"""Office files written for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path


def write_ods(path: Path, sheet: str, rows: list[list[str]]) -> Path:
    """An OpenDocument spreadsheet at ``path``: one sheet named ``sheet``, ``rows`` of
    string cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    book = OpenDocumentSpreadsheet()
    table = Table(name=sheet)
    for values in rows:
        row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    book.spreadsheet.addElement(table)
    book.save(str(path))
    return path

"""Spreadsheets (.xlsx, .xls, .ods): each sheet's rows as Sections, "sheet NAME, row N".

python-calamine reads all three formats in Rust (Apache-2.0/MIT, maintained, several
times faster than openpyxl and no Python object per styled cell). Cells come back as
values, formulas as their last computed result. Rows are named by their header (see
:mod:`xlsearch.extract.rows`) and bounded in number, so a huge sheet costs at most
the row limit; hidden sheets are read too (a person searching their own files wants
them). A password-protected workbook gets that reason, not a library's error.
"""

from __future__ import annotations

import io
import re
import zipfile

from xlsearch.errors import ExtractError
from xlsearch.extract.common import check_zip, is_encrypted_office, short_reason
from xlsearch.extract.rows import MAX_ROWS, row_sections
from xlsearch.types import Section

MAX_GRID_CELLS = 20_000_000
"""The most cells a sheet's span (first to last cell) may cover, empty ones included."""
# A cell's reference (any attribute order, any namespace prefix); a row's number, for
# cells written without a reference.
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]{0,200}?\br="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]{0,200}?\br="([0-9]{1,7})"')

# BOF record (0x0809, 16 bytes) of BIFF8 (0x0600) workbook globals (0x0005).
_BIFF8_GLOBALS = b"\x09\x08\x10\x00\x00\x06\x05\x00"
_OLE = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of .xls (and of encrypted .xlsx)
)


def extract_xlsx(data: bytes) -> list[Section]:
    """Sections of an Excel 2007+ workbook."""
    if is_encrypted_office(data):
        raise ExtractError("XLSX is password-protected; save it without a password to index it")
    check_zip(data, "XLSX", required=("[Content_Types].xml",))
    _check_extent(data)
    return _workbook(data, "XLSX")


def _check_extent(data: bytes) -> None:
    """Refuse a workbook with a sheet whose cells span more than MAX_GRID_CELLS.

    calamine lays a sheet out as a dense grid from its first to its last cell, so one
    cell in A1 and one in XFD1048576 would ask for hundreds of GB and abort the
    process. The cell references are scanned first, streaming, to measure the span.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                rows, columns = _span(archive, info)
                if rows * columns > MAX_GRID_CELLS:
                    raise ExtractError(
                        f"XLSX has a sheet spanning {rows:,} rows by {columns:,} columns, "
                        "too sparse to read"
                    )


def _span(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """(rows, columns) between the first and last cell references of one sheet part."""
    low_row = low_col = 1 << 30
    high_row = high_col = 0
    tail = b""
    with archive.open(info) as part:
        while block := part.read(1 << 20):
            text = tail + block
            for letters, digits in _CELL_REF.findall(text):
                column = _column_number(letters)
                low_col, high_col = min(low_col, column), max(high_col, column)
                low_row, high_row = min(low_row, int(digits)), max(high_row, int(digits))
            for digits in _ROW_REF.findall(text):
                low_row, high_row = min(low_row, int(digits)), max(high_row, int(digits))
            tail = text[-256:]
    if not high_row:
        return 0, 0
    return high_row - low_row + 1, max(high_col - low_col + 1, 1)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def extract_xls(data: bytes) -> list[Section]:
    """Sections of an Excel 97-2003 workbook."""
    if not data.startswith(_OLE):
        raise ExtractError("broken XLS: not an Excel 97-2003 file")
    if _xls_encrypted(data):
        raise ExtractError("XLS is password-protected; save it without a password to index it")
    return _workbook(data, "XLS")


def _xls_encrypted(data: bytes) -> bool:
    """Whether the workbook's first BOF record is followed by FILEPASS (0x002F), the
    record Excel writes right after it when the workbook has a password."""
    at = data.find(_BIFF8_GLOBALS)
    return at != -1 and data[at + 20 : at + 22] == b"\x2f\x00"


def extract_ods(data: bytes) -> list[Section]:
    """Sections of an OpenDocument spreadsheet."""
    check_zip(data, "ODS", required=("content.xml",))
    return _workbook(data, "ODS")


def _workbook(data: bytes, kind: str) -> list[Section]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise ExtractError(
            f"{kind} is password-protected; save it without a password to index it"
        ) from exc
    except Exception as exc:
        raise ExtractError(f"broken {kind}: {short_reason(exc)}") from exc
    budget = [MAX_ROWS]
    sections: list[Section] = []
    with book:
        for index, name in enumerate(book.sheet_names):
            if budget[0] <= 0:
                break
            try:
                sheet = book.get_sheet_by_index(index)
                rows = sheet.to_python(skip_empty_area=True, nrows=budget[0])
            except python_calamine.PasswordError as exc:
                raise ExtractError(f"{kind} is password-protected") from exc
            except Exception as exc:
                raise ExtractError(f"broken {kind}: sheet {name}: {short_reason(exc)}") from exc
            first = (sheet.start or (0, 0))[0] + 1
            sections.extend(row_sections(rows, f"sheet {name}, ", first, budget))
    return sections

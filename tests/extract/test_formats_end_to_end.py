"""Office formats end to end: indexed through the guarded reader, found, placed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions


def _folder(root: Path) -> Path:
    import xlsxwriter

    root.mkdir(parents=True)
    book = xlsxwriter.Workbook(str(root / "clinic.xlsx"))
    sheet = book.add_worksheet("Patients")
    sheet.write_row(0, 0, ["जिल्ला", "बिरामी"])
    sheet.write_row(1, 0, ["धादिङ", 12])
    sheet.write_row(2, 0, ["सिन्धुपाल्चोक", 30])
    book.close()
    member = b"{\\rtf1\\ansi archivedword\\par}"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes/minutes.rtf", member)
    (root / "archive.zip").write_bytes(out.getvalue())
    return root


def test_sheet_rows_and_archive_members_are_found_with_their_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, xlsearch_home: Path
) -> None:
    use_hash_embedder(monkeypatch)
    folder = _folder(tmp_path / "office")
    engine = Engine(home=xlsearch_home)
    report = engine.index([folder])
    assert report.added == 2 and not report.issues
    (row,) = [
        h for h in engine.search("सिन्धुपाल्चोक", SearchOptions(mode="lexical")) if "xlsx" in h.path
    ]
    assert row.location == "sheet Patients, rows 1–3"  # the three short rows make one chunk
    assert row.file_type == "xlsx"
    (member,) = engine.search("archivedword", SearchOptions(mode="lexical"))
    assert member.location == "notes/minutes.rtf"
    assert Path(member.path).name == "archive.zip"
    engine.close()

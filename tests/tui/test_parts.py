"""Pure parts of the TUI: terminal widths, filters, the opener, result formatting."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len

from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.search.head import SavedHead
from xlsearch.tui.cells import (
    count_spacing_marks,
    fit_cells,
    restore_rich_widths,
    terminal_cell_len,
)
from xlsearch.tui.filters import SearchFilters
from xlsearch.tui.opener import editor_command, open_command
from xlsearch.tui.screens.eval import head_choices
from xlsearch.tui.screens.index import ocr_line, progress_line
from xlsearch.tui.widgets.result_list import badge, folder_label, snippet_text
from xlsearch.types import Hit, IndexProgress, Status

CAPITAL = "नेपालको राजधानी काठमाडौं हो"


def test_terminal_width_counts_spacing_vowel_signs() -> None:
    # Counted by hand: 13 letters, 3 spaces and 9 spacing vowel signs (Mc).
    assert terminal_cell_len(CAPITAL) == 25
    assert terminal_cell_len("abc") == 3
    assert terminal_cell_len("你好") == 4


def test_rich_agrees_with_the_terminal_only_while_patched() -> None:
    restore_rich_widths()
    assert cell_len(CAPITAL) == 16  # Rich's own count, the cause of cropped rows
    count_spacing_marks()
    assert cell_len(CAPITAL) == terminal_cell_len(CAPITAL) == 25
    assert cell_len("हि") == 2 and cell_len("ने") == 1  # ि is Mc, े is Mn


def test_fit_cells_keeps_whole_words() -> None:
    cut = fit_cells(CAPITAL, 20)
    assert cut == "नेपालको राजधानी…"
    assert terminal_cell_len(cut) <= 20
    assert fit_cells(CAPITAL, 25) == CAPITAL


def test_filters_cycle_and_describe() -> None:
    f = SearchFilters()
    assert [f.next_language().lang, f.next_language().next_language().lang] == ["ne", "en"]
    assert f.next_language().next_language().next_language().lang is None
    assert f.next_mode().mode == "dense" and f.next_mode().next_mode().mode == "lexical"
    assert f.next_file_type().file_type == "txt"
    assert f.next_mode().describe() == "mode meaning · language all · type all"


def test_editor_gets_the_line_and_a_list_of_arguments() -> None:
    command = editor_command("/docs/my notes.txt", 12, {"EDITOR": "vim -u NONE"})
    assert command is not None
    assert command.argv == ["vim", "-u", "NONE", "+12", "/docs/my notes.txt"]
    assert editor_command("/a.txt", 3, {}) is None


def test_nothing_to_open_with(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert open_command("/a.pdf", "pdf", None, {"PATH": ""}, "linux") is None
    assert open_command("/a.txt", "txt", 2, {"EDITOR": "no-such-editor", "PATH": ""}) is None


def test_a_pdf_opens_at_the_hits_page_where_a_viewer_takes_one(tmp_path: Path) -> None:
    viewer = tmp_path / "evince"
    viewer.write_text("#!/bin/sh\n")
    viewer.chmod(0o755)
    env = {"PATH": str(tmp_path)}
    command = open_command("/docs/scan notice.pdf", "pdf", None, env, "linux", page=7)
    assert command is not None
    assert command.argv == [str(viewer), "--page-index=7", "/docs/scan notice.pdf"]
    assert not command.in_terminal
    # No page (a PDF hit without one) or no such viewer: the system opener as before.
    assert open_command("/a.pdf", "pdf", None, {"PATH": ""}, "linux", page=None) is None


def _hit(snippet: str, spans: list[tuple[int, int]], lang: str = "ne") -> Hit:
    return Hit(
        chunk_id=1,
        path="/home/u/docs/law/a.txt",
        score=0.5,
        lang=lang,
        text=snippet,
        snippet=snippet,
        highlights=spans,
    )


def test_result_formatting() -> None:
    assert [badge("ne"), badge("en"), badge("hi"), badge("fr")] == ["ने", "EN", "हि", "FR"]
    assert folder_label("/home/u/docs/law/a.txt") == "…/docs/law"
    assert folder_label(str(Path("/law/a.txt"))) == "/law"
    text = snippet_text(_hit(CAPITAL, [(8, 15), (16, 24)]), 20)
    assert text.plain == "नेपालको राजधानी…"
    assert [(s.start, s.end) for s in text.spans] == [(8, 15)]  # the cut word's span goes


def test_progress_line() -> None:
    line = progress_line(IndexProgress(3, 10, 41, 12.5, 42.0, "/x/notes.txt"))
    assert line == "3/10 files · 41 chunks · 12.5 chunks/s · ETA 0:42 · notes.txt"


def test_ocr_progress_counts_pages_with_the_time_per_page() -> None:
    p = IndexProgress(12, 100, 0, 0.4, 229.0, "/x/scan.pdf", "ocr", seconds_per_page=2.6)
    assert progress_line(p) == "OCR: 12/100 pages · 88 left · 2.6 s/page · ETA 3:49 · scan.pdf"


def test_ocr_line_says_what_waits() -> None:
    status = Status("/h", "m", 384, 0, 0, ocr="off: install tesseract")
    assert ocr_line(status) == "OCR: off: install tesseract"
    status.ocr_waiting = {"/a.pdf": 3, "/b.jpg": 1}
    assert ocr_line(status) == "OCR: off: install tesseract · 4 pages wait in 2 files"


def test_head_choices_are_unticked_e5_systems_labelled_with_the_arm() -> None:
    heads = [SavedHead("tico", E5_MODEL_ID, "cross"), SavedHead("mini", "minilm", "mono")]
    assert head_choices(heads) == [
        ("multilingual + head tico · cross arm", "multilingual+head:tico", False),
        ("hybrid + head tico · cross arm", "hybrid+head:tico", False),
    ]
    assert head_choices([SavedHead("bare", E5_MODEL_ID, "")])[0][0] == "multilingual + head bare"
    assert head_choices([]) == []

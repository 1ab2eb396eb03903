"""A folder that is not there now (a drive not plugged in) is listed as such on the
folders screen: its documents are kept, and the person sees why its files do not open."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.support.fakes import use_hash_embedder
from tests.tui.test_index_screen import open_folders
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.app import XlsearchApp


def test_the_folders_screen_says_which_folder_is_not_found_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    usb = tmp_path / "usb" / "reports"
    desk = tmp_path / "desk"
    for folder, text in ((usb, "Ward report on water sources."), (desk, "Clinic rota.")):
        folder.mkdir(parents=True)
        (folder / "note.txt").write_text(text, encoding="utf-8")
    engine = Engine()
    engine.index([usb, desk])
    shutil.rmtree(tmp_path / "usb")

    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(100, 24)) as pilot:
            screen = await open_folders(pilot, app)
            roots = screen.query_one("#roots", DataTable)
            rows = {str(roots.get_row_at(i)[0]): roots.get_row_at(i) for i in range(2)}
            assert rows[str(usb)][1:4] == ["1", "1", "not found now"]  # kept, and why
            assert rows[str(desk)][3] != "not found now"

    asyncio.run(body())
    engine.close()

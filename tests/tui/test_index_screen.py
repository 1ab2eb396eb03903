"""The folders screen driven through Pilot: add a folder, watch progress, see failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, DirectoryTree, Input, Static

from tests.tui.helpers import BROKEN, DOCUMENTS, settle, write_corpus
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.screens import index as index_screen
from xlsearch.tui.screens.index import IndexScreen, progress_line
from xlsearch.tui.screens.search import SearchScreen
from xlsearch.types import IndexProgress


async def _watch_indexing(pilot: Pilot[None], app: XlsearchApp, screen: IndexScreen) -> list[str]:
    """Progress lines seen while the job runs."""
    seen: list[str] = []
    for _ in range(2400):
        await pilot.pause(0.05)
        line = str(screen.query_one("#progress-text", Static).render())
        if not seen or seen[-1] != line:
            seen.append(line)
        if screen.last_report is not None and not screen.indexing:
            break
    await settle(pilot, app)
    return seen


async def open_folders(pilot: Pilot[None], app: XlsearchApp) -> IndexScreen:
    """Switch to the folders screen and wait for its status to load."""
    await pilot.press("f3")
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, IndexScreen)
    return screen


def test_add_a_folder_watch_progress_and_see_failures(
    tmp_path: Path, xlsearch_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_corpus(tmp_path / "docs")
    (folder / "plan.dwg").write_bytes(b"a drawing xlsearch does not read")
    # Every progress line the screen shows, however fast the next one replaces it.
    shown: list[str] = []

    def recording(p: IndexProgress) -> str:
        shown.append(progress_line(p))
        return shown[-1]

    monkeypatch.setattr(index_screen, "progress_line", recording)

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            screen = await open_folders(pilot, app)
            assert screen.query_one("#roots", DataTable).row_count == 0
            screen.query_one("#path", Input).value = str(folder)
            await pilot.press("enter")
            await _watch_indexing(pilot, app, screen)
            assert any("files ·" in line and "chunks/s" in line for line in shown)
            assert screen.last_report is not None
            assert screen.last_report.added == len(DOCUMENTS)
            roots = screen.query_one("#roots", DataTable)
            assert roots.row_count == 1
            assert roots.get_row_at(0)[:3] == [
                str(folder),
                str(len(DOCUMENTS)),
                str(screen.last_report.chunks),
            ]
            issues = screen.query_one("#issues", DataTable)
            rows = [issues.get_row_at(i) for i in range(issues.row_count)]
            broken = [r for r in rows if str(r[1]).endswith(BROKEN)]
            assert broken and broken[0][0] == "failed" and str(broken[0][2]).strip()
            not_read = str(screen.query_one("#not-read", Static).render())
            assert "Not read: 1 .dwg" in not_read
            # Search works on what was just indexed.
            await pilot.press("f2")
            await settle(pilot, app)
            assert isinstance(app.screen, SearchScreen)
        engine.close()

    asyncio.run(body())


def test_remove_a_folder_and_browse(
    tmp_path: Path, xlsearch_home: Path, corpus: Path, indexed_home: Path
) -> None:
    async def body() -> None:
        engine = Engine(home=indexed_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_folders(pilot, app)
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert screen.query_one("#picker", DirectoryTree).has_focus
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert not screen.query_one("#picker", DirectoryTree).display
        engine.close()

    asyncio.run(body())
    # Forgetting needs an index of its own, so the shared one stays whole.
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to((xlsearch_home / "models").resolve())
    engine = Engine(home=home)
    engine.index([corpus])

    async def remove() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_folders(pilot, app)
            roots = screen.query_one("#roots", DataTable)
            assert roots.row_count == 1
            roots.focus()
            await pilot.press("delete")
            await settle(pilot, app)
            assert roots.row_count == 0
            assert screen.status is not None and screen.status.documents == 0

    asyncio.run(remove())
    engine.close()

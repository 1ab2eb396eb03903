"""The folder watcher driven through Pilot: files written while the app is open are found.

The hash embedder stands in for the model: these tests are about when the index
changes, not about what meaning search makes of it. Each test returning at all shows
the watcher stopped on exit: ``asyncio.run`` waits for every worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.support.fakes import use_hash_embedder
from tests.tui.helpers import settle, type_query
from tests.tui.test_index_screen import open_folders
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.store.lock import writer_lock
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.messages import IndexFinished, IndexSkipped, WatchStarted
from xlsearch.tui.screens.search import SearchScreen
from xlsearch.tui.watcher import BUSY_NOTE, changes_line
from xlsearch.tui.widgets.result_list import ResultList
from xlsearch.types import IndexReport

WAIT_S = 15.0
SIZE = (100, 30)


@pytest.fixture()
def notes(tmp_path: Path, xlsearch_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An indexed folder of one note (hash embedder), in this test's own home."""
    use_hash_embedder(monkeypatch)
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "springs.txt").write_text("Springs in the hills are drying up.\n")
    engine = Engine(home=xlsearch_home)
    engine.index([folder])
    engine.close()
    return folder


async def until(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Wait (up to WAIT_S) until ``condition()`` holds."""
    for _ in range(int(WAIT_S / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError(f"{what} within {WAIT_S} s")


async def search(pilot: Pilot[None], app: XlsearchApp, query: str, mode: str) -> None:
    """``query`` in the box, in engine ``mode``, switched with the mode key as a person would."""
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    while screen.filters.mode != mode:
        await pilot.press("ctrl+n")
    await type_query(pilot, app, query)


async def watching(pilot: Pilot[None], app: XlsearchApp, folder: Path) -> None:
    """Until the app follows ``folder``; then a moment for the watches to be in place."""
    await until(pilot, lambda: app.watching == [folder], f"watching {folder}")
    await pilot.pause(1.0)


def names(app: XlsearchApp) -> list[str]:
    return [Path(h.path).name for h in app.screen.query_one("#results", ResultList).hits]


def found(app: XlsearchApp) -> set[str]:
    return set(names(app))


def status(app: XlsearchApp) -> str:
    return str(app.screen.query_one("#status", Static).render())


def test_files_written_moved_changed_and_deleted_while_open_are_followed(
    notes: Path, xlsearch_home: Path
) -> None:
    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            # Meaning search first, so the app holds the vector graph from before.
            await search(pilot, app, "dengue", "dense")
            assert names(app) == ["springs.txt"]
            await search(pilot, app, "dengue", "lexical")
            assert found(app) == set()
            await watching(pilot, app, notes)
            (notes / "dengue.txt").write_text("Dengue spreads where water stands.\n")
            await until(pilot, lambda: found(app) == {"dengue.txt"}, "the new file found")
            assert "1 file updated (1 new)" in status(app)
            await search(pilot, app, "dengue", "dense")
            assert names(app) == ["dengue.txt", "springs.txt"]  # its vector is searched too
            await search(pilot, app, "dengue", "lexical")
            (notes / "dengue.txt").rename(notes / "moved.txt")
            await until(pilot, lambda: found(app) == {"moved.txt"}, "the moved file found")
            (notes / "springs.txt").write_text("Springs dry up, and dengue spreads.\n")
            await until(pilot, lambda: len(found(app)) == 2, "the changed file found")
            assert "1 file updated (1 changed)" in status(app)
            (notes / "moved.txt").unlink()
            await until(pilot, lambda: found(app) == {"springs.txt"}, "the deleted file gone")
            assert not app._notifications  # no toast per batch
        engine.close()

    asyncio.run(body())


def test_files_added_and_deleted_while_closed_are_caught_up_on_opening(
    notes: Path, xlsearch_home: Path
) -> None:
    (notes / "wells.txt").write_text("Wells in the hills are drying up too.\n")
    indexing = Engine(home=xlsearch_home)
    indexing.index([notes])
    indexing.close()
    reports: list[IndexReport] = []

    def record(message: Message) -> None:
        if isinstance(message, IndexFinished) and message.watched:
            reports.append(message.report)

    async def session(expected: set[str]) -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE, message_hook=record) as pilot:
            await search(pilot, app, "hills", "lexical")
            await until(pilot, lambda: found(app) == expected, f"{sorted(expected)} found")
        engine.close()

    asyncio.run(session({"springs.txt", "wells.txt"}))
    (notes / "wells.txt").unlink()  # while the app is closed
    (notes / "dengue.txt").write_text("Dengue reached the hills this year.\n")
    reports.clear()
    asyncio.run(session({"springs.txt", "dengue.txt"}))
    assert [changes_line(r) for r in reports] == ["2 files updated (1 new, 1 removed)"]


def test_an_unchanged_folder_is_caught_up_without_loading_a_model_and_only_once(
    notes: Path, xlsearch_home: Path
) -> None:
    letters = notes.parent / "letters"
    letters.mkdir()
    (letters / "a.txt").write_text("A letter about the harvest.\n")
    reports: list[IndexReport] = []

    def record(message: Message) -> None:
        if isinstance(message, IndexFinished) and message.watched:
            reports.append(message.report)

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE, message_hook=record) as pilot:
            await until(pilot, lambda: app.watching == [notes], f"watching {notes}")
            assert [(r.unchanged, changes_line(r)) for r in reports] == [(1, "")]
            # The search screen loads the query model itself; indexing loads neither.
            assert engine.models.document is None
            screen = await open_folders(pilot, app)
            screen.query_one("#path", Input).value = str(letters)
            await pilot.press("enter")
            await until(pilot, lambda: app.watching == [letters, notes], "both watched")
            assert len(reports) == 1  # the job brought the new folder up to date itself
        engine.close()

    asyncio.run(body())


def test_a_busy_index_leaves_the_batch_for_the_next_one(notes: Path, xlsearch_home: Path) -> None:
    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await search(pilot, app, "dengue", "lexical")
            await watching(pilot, app, notes)
            with writer_lock(xlsearch_home):  # as a `xlsearch index` in a shell would
                (notes / "first.txt").write_text("Dengue spreads where water stands.\n")
                await until(pilot, lambda: status(app) == BUSY_NOTE, "the busy note")
            assert found(app) == set() and not app._notifications
            (notes / "second.txt").write_text("Dengue cases rose after the rains.\n")
            await until(pilot, lambda: found(app) == {"first.txt", "second.txt"}, "both found")
            assert "2 files updated (2 new)" in status(app)
        engine.close()

    asyncio.run(body())


def test_a_busy_index_on_opening_leaves_catching_up_for_the_next_change(
    notes: Path, xlsearch_home: Path
) -> None:
    (notes / "first.txt").write_text("Dengue spreads where water stands.\n")  # while closed
    skipped: list[IndexSkipped] = []

    def record(message: Message) -> None:
        if isinstance(message, IndexSkipped):
            skipped.append(message)

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        with ExitStack() as shell:
            shell.enter_context(writer_lock(xlsearch_home))  # a `xlsearch index` running
            async with app.run_test(size=SIZE, message_hook=record) as pilot:
                await watching(pilot, app, notes)
                assert [m.reason for m in skipped] == [BUSY_NOTE]
                await search(pilot, app, "dengue", "lexical")
                assert found(app) == set() and not app._notifications
                shell.close()  # that run ended
                (notes / "second.txt").write_text("Dengue cases rose after the rains.\n")
                await until(pilot, lambda: found(app) == {"first.txt", "second.txt"}, "both")
        engine.close()

    asyncio.run(body())


def test_a_folder_indexed_in_the_app_is_watched_and_a_removed_one_is_not(
    tmp_path: Path, xlsearch_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "a.txt").write_text("A letter about the harvest.\n")

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert app.watching == []
            screen = await open_folders(pilot, app)
            screen.query_one("#path", Input).value = str(folder)
            await pilot.press("enter")
            await until(pilot, lambda: app.watching == [folder], "the new folder watched")
            roots = screen.query_one("#roots")
            roots.focus()
            await pilot.press("delete")
            await until(pilot, lambda: app.watching == [], "the removed folder left")
        engine.close()

    asyncio.run(body())


def test_watching_can_be_turned_off(notes: Path, xlsearch_home: Path) -> None:
    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings(watch_folders=False))
        async with app.run_test(size=SIZE) as pilot:
            await search(pilot, app, "dengue", "lexical")
            (notes / "dengue.txt").write_text("Dengue spreads where water stands.\n")
            await pilot.pause(2.0)
            assert found(app) == set() and app.watching == []
            assert not [w for w in app.workers if w.group == "watch"]
        engine.close()

    asyncio.run(body())


def test_a_read_only_index_is_not_watched(notes: Path, xlsearch_home: Path) -> None:
    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        engine.store.read_only = True  # as on a read-only disk: batches would only fail
        app = XlsearchApp(engine, Settings())
        started: list[WatchStarted] = []

        def record(message: Message) -> None:
            if isinstance(message, WatchStarted):
                started.append(message)

        async with app.run_test(size=SIZE, message_hook=record) as pilot:
            await settle(pilot, app)
            await until(pilot, lambda: bool(started), "the watcher's answer")
            assert started[0].roots == [] and app.watching == []
            assert not [w for w in app.workers if w.group == "watch"]
            assert not app._notifications
        engine.close()

    asyncio.run(body())


def test_changes_line() -> None:
    assert changes_line(IndexReport(unchanged=4)) == ""
    assert changes_line(IndexReport(added=1)) == "1 file updated (1 new)"
    report = IndexReport(added=1, updated=2, removed=1, unchanged=9)
    assert changes_line(report) == "4 files updated (1 new, 2 changed, 1 removed)"

"""The search screen driven through Pilot over a small real index."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from tests.tui.helpers import settle, type_query
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.filters import SearchFilters, SearchRequest
from xlsearch.tui.messages import SearchFinished
from xlsearch.tui.screens.help import HelpScreen
from xlsearch.tui.screens.search import SearchScreen
from xlsearch.tui.widgets.preview import Preview
from xlsearch.tui.widgets.result_list import ResultList

SIZE = (100, 30)


def _results(app: XlsearchApp) -> ResultList:
    return app.screen.query_one("#results", ResultList)


async def _search(pilot: Pilot[None], app: XlsearchApp, query: str) -> ResultList:
    await type_query(pilot, app, query)
    return _results(app)


def test_english_and_nepali_queries_find_their_documents(engine: Engine) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            results = await _search(pilot, app, "largest river")
            assert Path(results.hits[0].path).name == "koshi_river.txt"
            assert "koshi_river.txt" in results.options[0].prompt.plain  # type: ignore[union-attr]
            results = await _search(pilot, app, "नेपालको राजधानी कुन हो")
            assert Path(results.hits[0].path).name == "kathmandu.txt"
            first = results.options[0].prompt.plain  # type: ignore[union-attr]
            assert "ने" in first and "राजधानी" in first
            assert results.hits[0].matched_by in first.replace("keyword+meaning", "both")

    asyncio.run(body())


def test_moving_through_results_updates_the_preview(engine: Engine) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            results = await _search(pilot, app, "Nepal")
            assert len(results.hits) >= 2
            preview = app.screen.query_one("#preview", Preview)
            assert results.hits[0].path in preview.body.plain
            await pilot.press("down")  # from the search box into the list
            assert results.has_focus
            await pilot.press("down")
            await settle(pilot, app)
            assert results.highlighted == 1
            assert results.hits[1].path in preview.body.plain
            assert results.hits[1].text.split()[0] in preview.body.plain

    asyncio.run(body())


def test_filters_from_the_keyboard(engine: Engine) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await _search(pilot, app, "Nepal river rain")
            await pilot.press("ctrl+l")  # all -> Nepali
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            assert screen.filters.lang == "ne"
            assert {h.lang for h in _results(app).hits} == {"ne"}
            assert "Nepali" in str(screen.query_one("#filters", Static).render())
            await pilot.press("ctrl+l", "ctrl+n", "ctrl+n")  # English; meaning, keyword
            await settle(pilot, app)
            assert screen.filters == SearchFilters(mode="lexical", lang="en")
            hits = _results(app).hits
            assert hits and all(h.lang == "en" and h.matched_by == "keyword" for h in hits)
            await pilot.press("ctrl+t", "ctrl+t")  # all -> txt -> md
            await settle(pilot, app)
            assert screen.filters.file_type == "md"
            assert not _results(app).hits
            assert "Nothing found" in screen.message_text

    asyncio.run(body())


def test_folder_filter_through_the_prompt(engine: Engine, corpus: Path) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await _search(pilot, app, "Nepal")
            await pilot.press("ctrl+f")
            await pilot.pause()
            app.screen.query_one("#folder", Input).value = str(corpus / "elsewhere")
            await pilot.press("enter")
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            assert screen.filters.folder == str(corpus / "elsewhere")
            assert not _results(app).hits
            await pilot.press("ctrl+f")
            await pilot.pause()
            app.screen.query_one("#folder", Input).value = str(corpus)
            await pilot.press("enter")
            await settle(pilot, app)
            assert _results(app).hits

    asyncio.run(body())


def test_stale_results_never_overwrite_newer_ones(engine: Engine) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            results = await _search(pilot, app, "largest river")
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            shown = list(results.hits)
            old = SearchRequest(screen.latest_seq - 1, "dal bhat", SearchFilters())
            stale_hits = engine.search("दाल भात")
            screen.post_message(SearchFinished(old, stale_hits, 0.01))
            await pilot.pause()
            assert results.hits == shown != stale_hits

    asyncio.run(body())


def test_empty_index_says_how_to_add_a_folder(tmp_path: Path) -> None:
    async def body() -> None:
        engine = Engine(home=tmp_path / "empty-home")
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            assert "index is empty" in screen.message_text
            assert "f3" in screen.message_text.lower()
        engine.close()

    asyncio.run(body())


def test_open_without_any_opener_notifies(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("PATH", "")

    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await _search(pilot, app, "monsoon rain")
            await pilot.press("ctrl+o")
            await pilot.pause()
            titles = [n.title for n in app._notifications]
            assert "Cannot open file" in titles
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert app.clipboard == _results(app).hits[0].path

    asyncio.run(body())


def test_help_and_remapped_keys(engine: Engine) -> None:
    async def body() -> None:
        settings = Settings(keys={"cycle-language": "ctrl+g"})
        app = XlsearchApp(engine, settings)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await pilot.press("ctrl+g")
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, SearchScreen)
            assert screen.filters.lang == "ne"
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = str(app.screen.query_one("#help-body", Static).render())
            assert "Language" in shown and "^g" in shown and "Re-index" in shown
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, SearchScreen)

    asyncio.run(body())


def test_status_line_says_how_a_romanized_query_was_read(engine: Engine) -> None:
    async def body() -> None:
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            results = await _search(pilot, app, "nepalko rajdhani kun ho")
            assert Path(results.hits[0].path).name == "kathmandu.txt"
            status = str(app.screen.query_one("#status", Static).render())
            assert "searched as" in status and "राजधानी" in status
            await _search(pilot, app, "largest river")
            assert "searched as" not in str(app.screen.query_one("#status", Static).render())

    asyncio.run(body())

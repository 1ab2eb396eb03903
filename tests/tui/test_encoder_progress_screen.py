"""The folders screen shows the passage encoder being prepared (once per machine), step
by step, before the vectors: the engine's steps come through the indexing worker's
progress messages. The build itself is stood in for (the real one is tested in
tests/embed/test_encoder_progress.py); everything from the engine on is real."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input

import xlsearch.embed.loaded as loaded_module
from tests.support.fakes import use_hash_embedder
from tests.tui.helpers import settle, until, write_corpus
from xlsearch.config import Settings
from xlsearch.embed.base import TORCH, Step
from xlsearch.engine import Engine
from xlsearch.progress import ENCODER_PHASE
from xlsearch.tui.app import XlsearchApp
from xlsearch.tui.screens import index as index_screen
from xlsearch.tui.screens.index import IndexScreen
from xlsearch.types import IndexProgress

STEPS = [
    "encoding 220 probe passages with torch",
    "converting the model to OpenVINO (int8-weights)",
    "compressing its weights to int8",
    "checking quality against torch (openvino-int8-weights)",
]


def preparing(name: str, home: Path, settings: object, step: Step | None = None) -> str:
    """A first decision: the chooser's steps, told as they start, then the outcome."""
    if step is not None:
        for done, what in enumerate(STEPS):
            step(what, done, len(STEPS))
        step(f"done: passages go through {TORCH}", len(STEPS), len(STEPS))
    return TORCH


def test_the_folders_screen_shows_each_step_of_preparing_the_encoder(
    tmp_path: Path, xlsearch_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)
    monkeypatch.setattr(loaded_module, "document_encoder", preparing)
    folder = write_corpus(tmp_path / "docs")
    # Every progress line the screen shows, however fast the next one replaces it.
    shown: list[str] = []
    line_of = index_screen.progress_line

    def recording(p: IndexProgress) -> str:
        shown.append(line_of(p))
        return shown[-1]

    monkeypatch.setattr(index_screen, "progress_line", recording)

    async def body() -> None:
        engine = Engine(home=xlsearch_home)
        app = XlsearchApp(engine, Settings())
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot, app)
            await pilot.press("f3")  # the folders screen
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, IndexScreen)
            screen.query_one("#path", Input).value = str(folder)
            await pilot.press("enter")
            await until(pilot, lambda: screen.last_report is not None, "indexing done", 120)
            await settle(pilot, app)
            assert screen.last_report is not None and screen.last_report.embedded > 0
        engine.close()

    asyncio.run(body())
    preparation = [line for line in shown if line.startswith(ENCODER_PHASE)]
    assert preparation == [
        *(
            f"{ENCODER_PHASE}: {what}… (step {i + 1} of {len(STEPS)})"
            for i, what in enumerate(STEPS)
        ),
        f"{ENCODER_PHASE}: done: passages go through {TORCH}",
    ]
    first_vectors = next(i for i, line in enumerate(shown) if line.startswith("meaning vectors"))
    assert shown.index(preparation[-1]) < first_vectors

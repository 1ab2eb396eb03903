"""One real index of a small Nepali/English corpus, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.helpers import write_corpus
from xlsearch.engine import Engine
from xlsearch.tui.cells import count_spacing_marks, restore_rich_widths


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("tui-corpus"))


@pytest.fixture(scope="session")
def indexed_home(
    tmp_path_factory: pytest.TempPathFactory, corpus: Path, shared_models: Path
) -> Path:
    """An XLSEARCH_HOME holding the corpus, indexed with the real bundled model."""
    home = tmp_path_factory.mktemp("tui-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        engine = Engine(home=home)
        engine.index([corpus])
        engine.close()
    return home


@pytest.fixture()
def engine(indexed_home: Path) -> Iterator[Engine]:
    """A fresh engine over the shared index (searching only)."""
    engine = Engine(home=indexed_home)
    yield engine
    engine.close()


@pytest.fixture(autouse=True)
def terminal_widths() -> Iterator[None]:
    """Count Devanagari spacing marks as the app does, and undo it afterwards."""
    count_spacing_marks()
    yield
    restore_rich_widths()

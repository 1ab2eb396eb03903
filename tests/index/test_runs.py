"""Indexing runs over the bilingual test corpus (hash embedder: the mechanics, not the
model): incremental runs redo only what changed, load no model when nothing is read,
re-measure the language subspace only when vectors change, and forget a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bilingual import DOCS, top_path, write_corpus
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine
from xlsearch.rank import balance
from xlsearch.search.options import SearchOptions
from xlsearch.store.db import Store

pytestmark = pytest.mark.model


def _indexed_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Engine, Path]:
    """The test corpus indexed with the hash embedder: indexing mechanics, not model
    behaviour."""
    use_hash_embedder(monkeypatch)
    corpus = write_corpus(tmp_path / "corpus")
    engine = Engine(home=tmp_path / "home")
    engine.index([corpus])
    return engine, corpus


def test_incremental_runs_redo_only_what_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    again = engine.index([corpus])
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(DOCS))
    (corpus / "farm/apples.txt").write_text("Oranges grow in Dhankuta and Syangja.\n")
    (corpus / "safety/earthquake.txt").unlink()
    third = engine.index([corpus])
    assert (third.added, third.updated, third.removed) == (0, 1, 1)
    assert top_path(engine, "oranges", mode="lexical") == "apples.txt"
    assert engine.search("भूकम्प", SearchOptions(mode="lexical")) == []
    names = {Path(h.path).name for h in engine.search("earthquake safety", SearchOptions(k=10))}
    assert "earthquake.txt" not in names


def test_a_run_with_no_file_to_read_loads_no_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)  # indexing mechanics, not model behaviour
    corpus = write_corpus(tmp_path / "corpus")
    Engine(home=tmp_path / "home").index([corpus])
    (corpus / "safety/earthquake.txt").unlink()
    engine = Engine(home=tmp_path / "home")  # a fresh one, as when the app opens
    report = engine.index([corpus])
    assert (report.removed, report.unchanged) == (1, len(DOCS) - 1)
    assert engine.models.query is None and engine.models.document is None


def test_the_language_subspace_is_remeasured_only_when_vectors_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    measured: list[str] = []
    real = balance.measure

    def counted(store: Store, model: str) -> balance.LanguageSubspace | None:
        measured.append(model)
        return real(store, model)

    monkeypatch.setattr(balance, "measure", counted)
    engine.index([corpus])  # nothing changed: reading every vector again buys nothing
    assert measured == []
    (corpus / "safety/earthquake.txt").unlink()
    engine.index([corpus])
    assert measured == [engine.model]


def test_forget_removes_a_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, corpus = _indexed_corpus(tmp_path, monkeypatch)
    assert engine.forget(corpus / "law") == 1
    assert engine.search("citizenship", SearchOptions(mode="lexical")) == []
    names = {
        Path(h.path).name for h in engine.search("citizenship certificate", SearchOptions(k=10))
    }
    assert names == {"dengue.txt", "earthquake.txt", "apples.txt"}

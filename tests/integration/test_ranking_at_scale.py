"""Ranking policies that only act on big indexes, on generated vectors and words: the
balanced meaning pool grows until its top is exact, and keyword search leaves out
terms too common to tell passages apart."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xlsearch.engine import Engine
from xlsearch.search import calibrate, ranking
from xlsearch.search.query import analyse
from xlsearch.search.ranking import Ranker
from xlsearch.store.db import Filters, NewDocument
from xlsearch.types import Chunk

DIM = 16
PER_DOC = 50


def _index(home: Path, texts: list[str], langs: list[str], vectors: np.ndarray) -> Engine:
    """An engine over ``texts`` written straight to its store (no model needed)."""
    engine = Engine(home=home)
    store = engine.store
    with store.transaction():
        for start in range(0, len(texts), PER_DOC):
            part = range(start, min(start + PER_DOC, len(texts)))
            store.write_document(
                NewDocument(
                    f"/corpus/doc{start}.txt",
                    "/corpus",
                    1,
                    1.0,
                    f"h{start}",
                    "txt",
                    [Chunk(texts[i], langs[i], i - start) for i in part],
                    [texts[i] for i in part],
                    vectors[part.start : part.stop],
                ),
                engine.model,
            )
        store.set_meta("model", engine.model)
        store.set_meta("dimension", str(DIM))
        store.bump_vectors_version()
    return engine


def _language_vectors(n: int, seed: int) -> tuple[np.ndarray, list[str]]:
    """Unit vectors, half English and half Nepali, each language with its own offset
    of varying strength (so passages' lengths outside the language part differ)."""
    rng = np.random.default_rng(seed)
    langs = ["en" if i % 2 else "ne" for i in range(n)]
    vectors = rng.standard_normal((n, DIM))
    strength = rng.uniform(0.5, 3.0, n)
    vectors[:, 0] += np.where(np.array(langs) == "en", strength, 0)
    vectors[:, 1] += np.where(np.array(langs) == "ne", strength, 0)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors.astype(np.float32), langs


def test_balanced_meaning_search_grows_its_pool_until_the_top_is_exact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 3000
    vectors, langs = _language_vectors(n, seed=1)
    engine = _index(tmp_path, [f"passage {i}" for i in range(n)], langs, vectors)
    ranker = Ranker(engine.store, engine._vectors, engine.settings)
    ids, matrix = engine.store.vectors(engine.model)
    subspace = calibrate.current(engine.store, engine.model)
    assert subspace is not None
    queries = np.random.default_rng(2).standard_normal((30, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def recall(pool: int, most: int) -> float:
        monkeypatch.setattr(ranking, "BALANCE_POOL", pool)
        monkeypatch.setattr(ranking, "MAX_POOL", most)
        found = []
        for q in queries:
            exact = set(ids[np.argsort(-subspace.cosines(q, matrix))[: ranking.SURE_TOP]])
            top = {c for c, _ in ranker.dense(q, ranking.SURE_TOP, Filters())}
            found.append(len(exact & top) / ranking.SURE_TOP)
        return float(np.mean(found))

    fixed = recall(25, 25)  # a pool that may not grow
    grown = recall(25, n)
    assert grown >= 0.99
    assert fixed < grown


def test_keyword_search_leaves_out_terms_most_passages_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 400
    texts = [f"common filler{i}" + (" rare" if i in (7, 300) else "") for i in range(n)]
    vectors, _ = _language_vectors(n, seed=3)
    engine = _index(tmp_path, texts, ["en"] * n, vectors)
    ranker = Ranker(engine.store, engine._vectors, engine.settings)
    query = analyse("rare common")
    assert query is not None
    # Below the floor nothing is left out: every passage matches "common".
    assert ranker.matched_terms(query.keyword_terms) == ["rare", "common"]
    assert len(ranker.lexical(query, 1000, Filters())) == n
    monkeypatch.setattr(ranking, "COMMON_FLOOR", 50)
    assert ranker.matched_terms(query.keyword_terms) == ["rare"]
    hits = ranker.lexical(query, 1000, Filters())
    assert sorted(engine.store.chunk_texts([c for c, _ in hits]).values()) == [
        "common filler300 rare",
        "common filler7 rare",
    ]
    # A query of common terms only still finds them.
    only_common = analyse("common")
    assert only_common is not None
    assert len(ranker.lexical(only_common, 1000, Filters())) == n

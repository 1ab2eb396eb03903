"""The ranker against a real store, on generated vectors and words: the balanced
meaning pool grows until its top is exact, keyword search leaves out terms too common
to tell passages apart in big indexes, and a hybrid query costs at most three store
round trips. The policy's decisions themselves are unit-tested on hand-made candidates
(tests/rank/test_policy.py)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from xlsearch.engine import Engine
from xlsearch.rank import balance
from xlsearch.rank.policy import POLICY
from xlsearch.rank.ranker import Ranker
from xlsearch.rank.ranking import matched_terms
from xlsearch.search.query import analyse
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


def test_balanced_meaning_search_grows_its_pool_until_the_top_is_exact(tmp_path: Path) -> None:
    n = 3000
    vectors, langs = _language_vectors(n, seed=1)
    engine = _index(tmp_path, [f"passage {i}" for i in range(n)], langs, vectors)
    ids, matrix = engine.store.vectors(engine.model)
    subspace = balance.current(engine.store, engine.model)
    assert subspace is not None
    languages = engine.store.chunk_languages([int(i) for i in ids])
    every_lang = [languages[int(i)] for i in ids]
    queries = np.random.default_rng(2).standard_normal((30, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def recall(pool: int, most: int) -> float:
        policy = replace(POLICY, balance_pool=pool, max_pool=most)
        ranker = Ranker(engine.store, engine._vectors, policy)
        sure = policy.sure_top
        found = []
        for q in queries:
            cosines = subspace.cosines(q, matrix)
            scores = cosines + balance.crowd_lifts(cosines, every_lang, subspace.counts)
            exact = set(ids[np.argsort(-scores)[:sure]])
            top = {c for c, _ in ranker.dense(q, sure, Filters())}
            found.append(len(exact & top) / sure)
        return float(np.mean(found))

    fixed = recall(25, 25)  # a pool that may not grow
    grown = recall(25, n)
    assert grown >= 0.99
    assert fixed < grown


def test_keyword_search_leaves_out_terms_most_passages_hold(tmp_path: Path) -> None:
    n = 400
    texts = [f"common filler{i}" + (" rare" if i in (7, 300) else "") for i in range(n)]
    vectors, _ = _language_vectors(n, seed=3)
    engine = _index(tmp_path, texts, ["en"] * n, vectors)
    ranker = Ranker(engine.store, engine._vectors)
    query = analyse("rare common")
    assert query is not None
    facts = ranker.facts(query.keyword_terms, Filters())
    assert (facts.chunks, dict(facts.documents)) == (n, {"rare": 2, "common": n})
    # Below the floor nothing is left out: every passage matches "common".
    assert matched_terms(POLICY, query.keyword_terms, facts) == ["rare", "common"]
    assert len(ranker.lexical(query, 1000, Filters(), facts)) == n
    ranker = Ranker(engine.store, engine._vectors, replace(POLICY, common_floor=50))
    assert matched_terms(ranker.policy, query.keyword_terms, facts) == ["rare"]
    hits = ranker.lexical(query, 1000, Filters(), facts)
    assert sorted(engine.store.chunk_texts([c for c, _ in hits]).values()) == [
        "common filler300 rare",
        "common filler7 rare",
    ]
    # A query of common terms only still finds them.
    only_common = analyse("common")
    assert only_common is not None
    facts = ranker.facts(only_common.keyword_terms, Filters())
    assert len(ranker.lexical(only_common, 1000, Filters(), facts)) == n


class _Counting:
    """A connection that counts its ``execute`` calls (store round trips)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.calls = 0

    def execute(self, *args: Any) -> sqlite3.Cursor:
        self.calls += 1
        return self.conn.execute(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


@pytest.mark.parametrize("romanized", [False, True])
@pytest.mark.parametrize("lang", [None, "ne"])
def test_a_hybrid_query_makes_at_most_three_store_round_trips(
    tmp_path: Path, lang: str | None, romanized: bool
) -> None:
    n = 400
    words = ["alpha", "beta", "gamma", "पानी", "मुहान", "नदी"]
    texts = [f"{words[i % 6]} {words[(i * 7) % 6]} filler{i}" for i in range(n)]
    vectors, langs = _language_vectors(n, seed=5)
    engine = _index(tmp_path, texts, langs, vectors)
    ranker = Ranker(engine.store, engine._vectors)
    query = analyse("alpha पानी gamma", None)
    assert query is not None
    rows = 2 if romanized else 1  # a romanized query searches two readings' vectors
    vector = np.random.default_rng(6).standard_normal((rows, DIM)).astype(np.float32)
    filters = Filters(lang=lang)
    first = ranker.rank(query, lambda: vector, "hybrid", 50, filters)
    counting = _Counting(engine.store.conn)
    engine.store.conn = counting  # type: ignore[assignment]
    again = ranker.rank(query, lambda: vector, "hybrid", 50, filters)
    assert again == first and len(first.lexical) > 0 and len(first.dense) == 50
    assert counting.calls <= 3

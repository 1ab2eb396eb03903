"""Ranking policies, on generated vectors and words: the balanced meaning pool grows
until its top is exact, keyword search leaves out terms too common to tell passages
apart in big indexes, and fusion lends other-script passages less keyword evidence the
more of the query the best own-script keyword match holds."""

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
    languages = engine.store.chunk_languages([int(i) for i in ids])
    every_lang = [languages[int(i)] for i in ids]
    queries = np.random.default_rng(2).standard_normal((30, DIM)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)

    def recall(pool: int, most: int) -> float:
        monkeypatch.setattr(ranking, "BALANCE_POOL", pool)
        monkeypatch.setattr(ranking, "MAX_POOL", most)
        found = []
        for q in queries:
            cosines = subspace.cosines(q, matrix)
            scores = cosines + calibrate.crowd_lifts(cosines, every_lang, subspace.counts)
            exact = set(ids[np.argsort(-scores)[: ranking.SURE_TOP]])
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


def _coverage_corpus(tmp_path: Path, twin: bool = False) -> tuple[Engine, Ranker]:
    """Two English passages, a Nepali one (a translation of the first when ``twin``:
    the same vector) and 40 English fillers, so keyword weights are not all alike."""
    texts = ["alpha beta gamma", "alpha delta", "पानीको मुहान", *(f"filler {i}" for i in range(40))]
    langs = ["en", "en", "ne", *(["en"] * 40)]
    vectors, _ = _language_vectors(len(texts), seed=4)
    if twin:
        vectors[2] = vectors[0]
    engine = _index(tmp_path, texts, langs, vectors)
    return engine, Ranker(engine.store, engine._vectors, engine.settings)


def test_coverage_is_the_share_of_the_querys_idf_the_best_keyword_match_holds(
    tmp_path: Path,
) -> None:
    engine, ranker = _coverage_corpus(tmp_path)
    chunks = engine.store.count("SELECT count(*) FROM chunks")

    def coverage(typed: str) -> float:
        query = analyse(typed, None)
        assert query is not None
        return ranker.coverage(query, ranker.lexical(query, 10, Filters()))

    assert coverage("alpha beta gamma") == pytest.approx(1.0)
    # "gamma" is held by one chunk, "zeta" by none: the best match holds gamma's share.
    held, missing = ranking.idf(1, chunks), ranking.idf(0, chunks)
    assert coverage("gamma zeta") == pytest.approx(held / (held + missing))
    assert coverage("omega") == 0.0


def test_other_script_passages_get_less_lent_evidence_when_keywords_explain_the_query(
    tmp_path: Path,
) -> None:
    engine, ranker = _coverage_corpus(tmp_path)
    engine.settings.keyword_weight = 0.5
    nepali, english = 2, 0  # chunk ids are 0-based in writing order
    ids = [int(i) for i in engine.store.vectors(engine.model)[0]]
    nepali, english = ids[nepali], ids[english]
    dense = [(nepali, 0.9), (english, 0.8), (ids[3], 0.5)]  # Nepali first by meaning

    def first(typed: str) -> int:
        query = analyse(typed, None)
        assert query is not None
        lexical = ranker.lexical(query, 10, Filters())
        assert lexical[0][0] == english
        return ranker.fuse(query, lexical, dense)[0][0]

    # Every word of the query is in the English passage: it is the answer.
    assert first("alpha beta gamma") == english
    # The English passage holds two words of five, and no passage the other three: the
    # Nepali one may be the answer.
    assert first("alpha beta zeta eta theta") == nepali
    assert ranking.unseen_share(1.0) == pytest.approx(1 - ranking.EXPLAINED_TRUST)
    assert ranking.unseen_share(0.0) == 1.0


@pytest.mark.parametrize("twin", [True, False])
def test_a_translation_of_a_top_keyword_match_borrows_its_keyword_evidence(
    tmp_path: Path, twin: bool
) -> None:
    engine, ranker = _coverage_corpus(tmp_path, twin=twin)
    ids = [int(i) for i in engine.store.vectors(engine.model)[0]]
    english, nepali = ids[0], ids[2]
    query = analyse("alpha beta gamma", None)
    assert query is not None
    lexical = ranker.lexical(query, 10, Filters())
    assert lexical[0][0] == english
    borrowed = ranker.twins(lexical, {nepali})
    assert borrowed == ({nepali: pytest.approx(1.0)} if twin else {})
    dense = [(ids[3], 0.9), (english, 0.8), (nepali, 0.8)]
    fused = dict(ranker.fuse(query, lexical, dense))
    # The twin stands level with the passage it translates; a stranger is far below.
    assert (fused[nepali] == pytest.approx(fused[english])) is twin


def test_other_script_passages_are_lent_what_own_script_passages_of_their_meaning_hold(
    tmp_path: Path,
) -> None:
    engine, ranker = _coverage_corpus(tmp_path)
    ids = [int(i) for i in engine.store.vectors(engine.model)[0]]
    nepali, filler = ids[2], ids[3]
    query = analyse("alpha beta gamma", None)
    assert query is not None
    lexical = ranker.lexical(query, 10, Filters())
    keyword = dict(lexical)
    (best, top), (second, runner_up) = lexical[:2]
    beta = runner_up / top  # the second match's keyword evidence
    # Own-script meaning equal to keyword evidence: b = m on the line through them.
    dense = sorted([(best, 1.0), (second, beta), (nepali, 0.5), (filler, 0.0)], key=lambda p: -p[1])
    assert keyword.get(filler) is None and 0 < beta < 1
    line = ranker.lending(query, lexical, dense, {nepali})
    assert line.slope == pytest.approx(1.0) and line.intercept == pytest.approx(0.0, abs=1e-9)
    fused = dict(ranker.fuse(query, lexical, dense))
    weight = engine.settings.keyword_weight
    assert fused[nepali] == pytest.approx(0.5 + weight * ranking.LENT_SCALE * 0.5)
    # With under three own-script passages to read it from, the unexplained share lends.
    few = [(best, 1.0), (nepali, 0.5), (filler, 0.0)]
    covered = ranker.coverage(query, lexical)
    fallback = ranker.lending(query, lexical, few, {nepali, filler})
    assert fallback(1.0) == pytest.approx(ranking.unseen_share(covered))

"""Answering queries over one index: reading the query, its vectors, ranking, hits.

The searcher reads; it never writes the index. Query vectors are kept by text for the
life of the process (the evaluation embeds its questions in batches beforehand, and a
session's repeated questions cost nothing), and a query head is loaded once per name.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from xlsearch.config import Settings
from xlsearch.embed.loaded import Models
from xlsearch.rank.policy import POLICY, RankingPolicy
from xlsearch.rank.ranker import Ranked, Ranker
from xlsearch.rank.ranking import policy_for
from xlsearch.search.lexicon import BUNDLED
from xlsearch.search.options import SearchOptions
from xlsearch.search.query import Query, analyse
from xlsearch.search.romanize import Lexicon
from xlsearch.search.snippet import make_snippet
from xlsearch.store.ann import VectorIndex
from xlsearch.store.db import ChunkRow, Store
from xlsearch.types import Hit

if TYPE_CHECKING:  # a query head is loaded only when a search names one
    from xlsearch.search.head import Head

QUERY_BATCH = 64


@dataclass(frozen=True)
class Results:
    """Hits and the analysed query they answer (None for a blank query)."""

    hits: list[Hit]
    query: Query | None


class Searcher:
    """Searches ``store`` and the HNSW graph ``vectors()`` returns, with ``models``."""

    def __init__(
        self,
        store: Store,
        models: Models,
        settings: Settings,
        vectors: Callable[[], VectorIndex],
        vector_cache: Path | None = None,
    ) -> None:
        self.store = store
        self.models = models
        self.settings = settings
        self.vectors = vectors
        self.vector_cache = vector_cache
        self._query_vectors: dict[str, np.ndarray] = {}
        self._head: tuple[str, Head] | None = None
        self.lexicon: Lexicon | None = BUNDLED
        """Devanagari words beyond the index, for romanized queries (see lexicon)."""
        self.policy: RankingPolicy = POLICY
        """The ranking policy; the settings' ranking fields are laid over it per search
        (benchmarks measure others with ``dataclasses.replace(POLICY, ...)``)."""

    def find(self, text: str, options: SearchOptions) -> Results:
        """The ``options.k`` best chunks for ``text``, and how the query was read."""
        query = self.analyse(text, options.romanized)
        if query is None:
            return Results([], None)
        policy = policy_for(self.settings, self.policy)
        depth = max(options.k, policy.candidates)
        head = self.settings.head if options.head is None else options.head
        ranker = Ranker(self.store, self.vectors(), policy)
        ranked = ranker.rank(
            query, lambda: self.query_vector(query, head), options.mode, depth, options.filters
        )
        return Results(self._hits(query, ranked, options.k, options.snippets), query)

    def analyse(self, text: str, romanized: bool | None = None) -> Query | None:
        """The query read against this index (romanized Nepali too, unless turned off)."""
        s = self.settings
        reading = s.romanized_queries if romanized is None else romanized
        vocabulary = self.store if reading else None
        return analyse(
            text, vocabulary, typed_vector=s.romanized_typed_vector, lexicon=self.lexicon
        )

    def embed_queries(self, texts: Sequence[str]) -> float:
        """Embed, in batches and once, what searching ``texts`` will ask of the model, so
        later searches (any mode, filter or system) reuse it. Returns seconds spent in
        the encoder (0 when every vector came from the shared vector cache)."""
        wanted: list[str] = []
        for text in texts:
            query = self.analyse(text)
            if query is not None:
                wanted += query.dense_texts
        missing = [t for t in dict.fromkeys(wanted) if t not in self._query_vectors]
        seconds = 0.0
        for start in range(0, len(missing), QUERY_BATCH):
            seconds += self._encode_queries(missing[start : start + QUERY_BATCH])
        return seconds

    def _encode_queries(self, texts: list[str]) -> float:
        """Vectors of ``texts`` into the query cache; the shared vector cache first, when
        there is one (the model loads only for what it lacks)."""
        started = time.perf_counter()
        if self.vector_cache is None:
            vectors = self.models.load_query().encode_queries(texts)
            seconds = time.perf_counter() - started
        else:
            from xlsearch.store.embed_cache import VectorCache, encode_through

            cache = VectorCache(self.store.conn, self.vector_cache)
            try:
                found = encode_through(
                    cache,
                    self.models.model,
                    self.models.prefixes()[0],
                    lambda batch: self.models.load_query().encode_queries(batch),
                    texts,
                )
            finally:
                cache.close()
            vectors, seconds = found.vectors, found.seconds
        self._query_vectors.update(zip(texts, np.asarray(vectors, dtype=np.float32), strict=True))
        return seconds

    def prime_query_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Query vectors made elsewhere, by query text (benchmarks with generated vectors,
        callers that embed in their own batches); searches then use them as they are."""
        for text, vector in vectors.items():
            query = self.analyse(text)
            if query is not None:
                for key in query.dense_texts:
                    self._query_vectors[key] = np.asarray(vector, dtype=np.float32)

    def query_vector(self, query: Query, head_name: str = "") -> np.ndarray:
        """One row per text meaning search embeds (the typed text, or each reading), from
        ``embed_queries`` when it ran, else embedded now."""
        texts = query.dense_texts
        missing = [t for t in dict.fromkeys(texts) if t not in self._query_vectors]
        if missing:
            self._encode_queries(missing)
        vectors = np.stack([self._query_vectors[t] for t in texts])
        head = self._query_head(head_name)
        return vectors if head is None else head.apply(vectors)

    def _query_head(self, name: str) -> Head | None:
        """The head called ``name`` (loaded once per name); None for no name."""
        if not name:
            return None
        if self._head is None or self._head[0] != name:
            from xlsearch.search.head import load_head

            self._head = (name, load_head(self.models.home, name, self.models.model))
        return self._head[1]

    def _hits(self, query: Query, ranked: Ranked, k: int, snippets: bool) -> list[Hit]:
        top = ranked.ranked[:k]
        rows = self.store.chunks([i for i, _ in top])
        lexical_rank = {cid: r for r, (cid, _) in enumerate(ranked.lexical, start=1)}
        dense_rank = {cid: r for r, (cid, _) in enumerate(ranked.dense, start=1)}
        wanted = set(query.terms) if snippets else None
        hits = []
        for chunk_id, score in top:
            row = rows.get(chunk_id)
            if row is not None:
                hits.append(
                    _hit(row, score, wanted, lexical_rank.get(chunk_id), dense_rank.get(chunk_id))
                )
        return hits

    def context(self, hit: Hit, before: int = 1, after: int = 1) -> list[ChunkRow]:
        """The hit's chunk with its neighbours, for a preview."""
        row = self.store.chunks([hit.chunk_id]).get(hit.chunk_id)
        return [] if row is None else self.store.neighbours(row, before, after)


def _hit(
    row: ChunkRow,
    score: float,
    wanted: set[str] | None,
    lexical_rank: int | None,
    dense_rank: int | None,
) -> Hit:
    """A Hit for ``row``; with no ``wanted`` terms (snippets off), no snippet."""
    snippet, spans = make_snippet(row.text, wanted) if wanted is not None else ("", [])
    return Hit(
        chunk_id=row.id,
        path=row.path,
        score=score,
        lang=row.lang,
        text=row.text,
        snippet=snippet,
        page=row.page,
        line=row.line,
        file_type=row.type,
        lexical_rank=lexical_rank,
        dense_rank=dense_rank,
        highlights=spans,
        converted_from=row.converted_from,
        where=row.where,
        ocr=row.ocr,
    )

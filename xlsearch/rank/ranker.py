"""The ranker: what one query's ranking needs from the store and the vector index.

``Ranker`` fetches it in at most three store round trips into a
:class:`~xlsearch.rank.ranking.Candidates` record and leaves every decision about
order to the pure functions of :mod:`xlsearch.rank.ranking`. It reads the store and the
vector index but never embeds anything: the engine hands it the query vector, so the
same ranking serves the app, the CLI and the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from xlsearch.rank import balance
from xlsearch.rank.policy import POLICY, RankingPolicy
from xlsearch.rank.ranking import (
    Candidates,
    IndexFacts,
    Scored,
    best_of,
    fuse,
    matched_terms,
    order,
    twin_evidence,
    unseen_chunks,
)
from xlsearch.search.lexical import any_of
from xlsearch.search.query import Query
from xlsearch.store.ann import VectorIndex
from xlsearch.store.db import Filters, Store


@dataclass(frozen=True)
class Ranked:
    """The final order and each retriever's own list (for "matched by" and ranks)."""

    ranked: Scored
    lexical: Scored
    dense: Scored


@dataclass
class Ranker:
    """Ranks chunks of one store for analysed queries, under one policy: it fetches
    what a query needs in at most three store round trips (``IndexFacts``, keyword
    search, then the candidates' languages and keyword facts) and leaves every
    decision to the pure functions of :mod:`xlsearch.rank.ranking`."""

    store: Store
    vectors: VectorIndex
    policy: RankingPolicy = POLICY

    def rank(
        self,
        query: Query,
        vector: Callable[[], np.ndarray],
        mode: str,
        depth: int,
        filters: Filters,
    ) -> Ranked:
        """Rank for ``mode`` ("hybrid", "dense" or "lexical"); ``vector`` is called only
        when meaning search runs, so keyword mode never loads a model. It returns one
        vector, or one row per text of ``query.dense_texts``."""
        terms = query.keyword_terms if mode != "dense" else []
        facts = self.facts(terms, filters)
        lexical = self.lexical(query, depth, filters, facts) if mode != "dense" else []
        if mode == "lexical":
            return Ranked(lexical, lexical, [])
        candidates = self.candidates(query, lexical, vector(), depth, filters, facts, mode)
        if mode == "dense":
            return Ranked(candidates.dense, [], candidates.dense)
        return Ranked(fuse(self.policy, candidates), lexical, candidates.dense)

    def dense(self, vector: np.ndarray, depth: int, filters: Filters) -> Scored:
        """Meaning search alone for one vector (what ``rank`` does in dense mode)."""
        facts = self.facts([], filters)
        query = Query("", frozenset())
        return self.candidates(query, [], vector, depth, filters, facts, "dense").dense

    def facts(self, terms: list[str], filters: Filters) -> IndexFacts:
        """Round trip 1: the vectors version, chunk count, the terms' document counts
        and the chunks the filters allow."""
        version, chunks, held, allowed = self.store.query_facts(terms, filters)
        return IndexFacts(version, chunks, held, None if allowed is None else frozenset(allowed))

    def lexical(self, query: Query, depth: int, filters: Filters, facts: IndexFacts) -> Scored:
        """Round trip 2: BM25 over stemmed terms; nothing when the query has no
        searchable word."""
        expression = any_of(matched_terms(self.policy, query.keyword_terms, facts))
        return [] if expression is None else self.store.lexical(expression, depth, filters)

    def candidates(
        self,
        query: Query,
        lexical: Scored,
        vectors: np.ndarray,
        depth: int,
        filters: Filters,
        facts: IndexFacts,
        mode: str = "hybrid",
    ) -> Candidates:
        """Meaning search for each reading's vector (a romanized query searched as typed
        and as read in Devanagari; a chunk keeps its best score over the readings, which
        share one model and so one scale), then round trip 3: the languages and keyword
        facts of every candidate."""
        policy = self.policy
        self.vectors.sync(self.store, save=False, version=facts.version)
        allowed = None if facts.allowed is None else set(facts.allowed)
        subspace = None
        if policy.balance_languages and filters.lang is None:
            subspace = balance.current(self.store, self.vectors.model, facts.version)
        rows = vectors.reshape(-1, vectors.shape[-1])
        pools = [self.pool(row, depth, allowed, subspace) for row in rows]
        ids = [chunk for pool in pools for chunk in pool[0]]
        fusing = mode == "hybrid"
        if subspace is None and not fusing:
            languages: dict[int, str] = {}
            unembedded: set[int] = set()
            held: set[str] = set()
        else:
            keyword_ids = [chunk for chunk, _ in lexical] if fusing else []
            best = lexical[0][0] if fusing and lexical else None
            languages, unembedded, held = self.store.chunk_facts(
                ids, keyword_ids, self.vectors.model, best
            )
        readings = [order(policy, pool, languages, subspace, depth) for pool in pools]
        dense = readings[0] if len(readings) == 1 else best_of(readings, depth)
        found = Candidates(
            query, lexical, dense, facts, languages, frozenset(unembedded), frozenset(held)
        )
        unseen = unseen_chunks(policy, found) if fusing else set()
        if unseen:
            found = replace(found, borrowed=self.twins(lexical, unseen, facts.version))
        return found

    def pool(
        self,
        vector: np.ndarray,
        depth: int,
        allowed: set[int] | None,
        subspace: balance.LanguageSubspace | None,
    ) -> tuple[list[int], np.ndarray]:
        """The chunks meaning search looks at for one vector and their cosines: the
        nearest ``depth`` without balancing; with it, by the cosine without the
        language subspace.

        The graph is walked with the balanced query, so the pool comes ordered by the
        numerator of the balanced cosine; re-scoring divides by each passage's own
        length, which can lift a passage from beyond the pool. The pool grows until no
        passage outside it could reach the top ``sure_top`` by balanced cosine. The
        crowds are then measured on the pool and lifted there (see ``order``): a lift
        is the same for every passage of a language, so it never reorders one
        language's passages, and bounding it too would grow the pool at most queries
        (at 100,000 chunks it took hybrid p95 from 37.5 to 50.9 ms).
        """
        policy = self.policy
        if subspace is None:
            found = self.vectors.search(vector, depth, allowed)
            return [chunk for chunk, _ in found], np.array([score for _, score in found])
        share = policy.removed_share
        query = subspace.graph_query(vector, share)
        sure = min(depth, policy.sure_top)
        size = max(depth, policy.balance_pool)
        while True:
            found = self.vectors.search(query, size, allowed)
            ids = [chunk for chunk, _ in found]
            scores = subspace.cosines(vector, self.vectors.items(ids), share)
            if len(found) < size or size >= policy.max_pool:
                break  # the whole index, or as far as a query may go
            if np.sort(scores)[-sure] >= subspace.ceiling(found[-1][1], share):
                break
            size *= 4
        return ids, scores

    def twins(self, lexical: Scored, unseen: set[int], version: int) -> dict[int, float]:
        """The keyword evidence each unseen chunk borrows from a top keyword match it
        translates (vectors from the graph in memory; no store round trip)."""
        sources = self.vectors.indexed([chunk for chunk, _ in lexical[: self.policy.twin_sources]])
        targets = self.vectors.indexed(sorted(unseen))
        if not sources or not targets:
            return {}
        subspace = balance.current(self.store, self.vectors.model, version)
        left = self.vectors.items(sources)
        right = self.vectors.items(targets)
        if subspace is not None:
            share = self.policy.removed_share
            left, right = subspace.project(left, share), subspace.project(right, share)
        return twin_evidence(self.policy, lexical, sources, left, targets, right)

"""Ranking policy: how keyword and meaning candidates become one ranked list.

This module owns every decision about order: how deep each retriever looks, when
meaning scores are balanced across languages, and how the two lists are fused. It
reads the store and the vector index but never embeds anything: the engine hands it
the query vector, so the same policy serves the app, the CLI and the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from xlsearch.config import Settings
from xlsearch.search.calibrate import standardise
from xlsearch.search.fusion import rrf, script_fair_rrf
from xlsearch.search.query import Query
from xlsearch.store.db import Filters, Store
from xlsearch.text import LANGUAGE_SCRIPT
from xlsearch.vectors import VectorIndex

BALANCE_POOL = 1000
"""Meaning search's candidates when it balances languages (see ``balance_languages``)."""
MIN_LANGUAGE_HITS = 20
"""A language with fewer candidates joins the other small ones when balancing."""

Scored = list[tuple[int, float]]


@dataclass(frozen=True)
class Ranked:
    """The final order and each retriever's own list (for "matched by" and ranks)."""

    ranked: Scored
    lexical: Scored
    dense: Scored


@dataclass
class Ranker:
    """Ranks chunks of one store for analysed queries, under one set of settings."""

    store: Store
    vectors: VectorIndex
    settings: Settings

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
        lexical = self.lexical(query, depth, filters) if mode != "dense" else []
        dense = self.dense_readings(vector(), depth, filters) if mode != "lexical" else []
        if mode == "hybrid":
            ranked = self.fuse(query, [i for i, _ in lexical], [i for i, _ in dense])
        else:
            ranked = lexical or dense
        return Ranked(ranked, lexical, dense)

    def lexical(self, query: Query, depth: int, filters: Filters) -> Scored:
        """BM25 over stemmed terms; nothing when the query has no searchable word."""
        expression = query.expression
        return [] if expression is None else self.store.lexical(expression, depth, filters)

    def dense_readings(self, vectors: np.ndarray, depth: int, filters: Filters) -> Scored:
        """Meaning search for each reading's vector, fused by RRF when there are several
        (a romanized query searched as typed and as read in Devanagari)."""
        rows = vectors.reshape(-1, vectors.shape[-1])
        if len(rows) == 1:
            return self.dense(rows[0], depth, filters)
        lists = [[chunk for chunk, _ in self.dense(row, depth, filters)] for row in rows]
        return rrf(lists, self.settings.rrf_k)[:depth]

    def dense(self, vector: np.ndarray, depth: int, filters: Filters) -> Scored:
        """Nearest chunks by cosine, balanced across languages where that applies."""
        self.vectors.sync(self.store, save=False)
        allowed = self.store.allowed_chunks(filters) if filters.active else None
        if not self.settings.balance_languages or filters.lang is not None:
            return self.vectors.search(vector, depth, allowed)
        # One wide search, then each language's best: a language's own best matches are
        # among the best of all, however far below the other language's they score.
        pool = self.vectors.search(vector, max(depth, BALANCE_POOL), allowed)
        languages = self.store.chunk_languages([chunk for chunk, _ in pool])
        by_language: dict[str, Scored] = {}
        for chunk, score in pool:
            by_language.setdefault(languages.get(chunk, "other"), []).append((chunk, score))
        big = [g[:depth] for g in by_language.values() if len(g) >= MIN_LANGUAGE_HITS]
        if len(big) < 2:
            return pool[:depth]
        small = [hit for g in by_language.values() if len(g) < MIN_LANGUAGE_HITS for hit in g]
        return standardise(big, depth, rest=small)

    def fuse(self, query: Query, lexical: list[int], dense: list[int]) -> Scored:
        """RRF of the two rankings, fair to chunks in a script the query does not use
        (see ``script_fair_fusion``); with none such it is plain RRF."""
        unseen: set[int] = set()
        # No script (digits only): keywords can match any script.
        if self.settings.script_fair_fusion and query.scripts:
            unseen = {
                chunk
                for chunk, lang in self.store.chunk_languages(dense).items()
                if lang in LANGUAGE_SCRIPT and LANGUAGE_SCRIPT[lang] not in query.scripts
            }
        return script_fair_rrf(lexical, dense, unseen, self.settings.rrf_k)

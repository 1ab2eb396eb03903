"""Ranking policy: how keyword and meaning candidates become one ranked list.

This module owns every decision about order: how deep each retriever looks, when
meaning scores are balanced across languages, and how the two lists are fused. It
reads the store and the vector index but never embeds anything: the engine hands it
the query vector, so the same policy serves the app, the CLI and the evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import regex

from xlsearch.config import Settings
from xlsearch.search import calibrate
from xlsearch.search.fusion import Line, expected_evidence, over_best, weighted_fusion
from xlsearch.search.lexical import any_of, query_terms
from xlsearch.search.query import Query
from xlsearch.store.db import Filters, Store
from xlsearch.text import LANGUAGE_SCRIPT
from xlsearch.vectors import VectorIndex

BALANCE_POOL = 300
"""Meaning search's candidates when it balances languages (see ``balance_languages``):
the graph is walked with the balanced query, so the passages re-scoring puts first are
near the top of the pool already; fetching and re-scoring a pool costs time at every
query, and it grows only when re-scoring could still change the top (see ``dense``)."""
COMMON_SHARE = 0.1
COMMON_FLOOR = 5000
"""A query term held by more than ``COMMON_SHARE`` of the chunks and more than
``COMMON_FLOOR`` of them is too common to match on (see ``Ranker.matched_terms``);
the floor leaves every index under 50,000 chunks as it was."""
SURE_TOP = 20
"""Meaning search's top this many are exact (up to the graph's own recall)."""
MAX_POOL = 4800
"""The pool stops growing here."""
EXPLAINED_TRUST = 1.0
"""How far a complete keyword match in the query's own script lowers the keyword evidence
a passage in another script is lent when too few own-script passages are at hand to
read the evidence off them (see ``unseen_share``): at 1.0 it is lent the share of the
query its own-script keywords leave unexplained."""
LINE_PASSAGES = 50
LENT_SCALE = 1.3
"""A passage in another script is lent ``LENT_SCALE`` × the keyword evidence that the
query's best ``LINE_PASSAGES`` own-script passages by meaning have at its meaning score
(a least-squares line, see ``fusion.expected_evidence``); the scale is above 1 since
balancing leaves other-language meaning scores somewhat below own-language ones. On
the one-answer pools of ``benchmarks/language_balance.py`` (development data), hybrid
own / other-language MRR@10 at scales 1.0, 1.2, 1.3 (50 passages): built-in 0.921 /
0.552, 0.920 / 0.586, 0.917 / 0.599; XQuAD-R en/hi 0.894 / 0.640, 0.888 / 0.653, 0.885
/ 0.665; the coverage share it replaced gave 0.910 / 0.596 and 0.891 / 0.640. With 30
passages the built-in figures are 0.921 / 0.561, 0.917 / 0.597, 0.911 / 0.607, with
100, 0.923 / 0.519, 0.922 / 0.548, 0.921 / 0.561."""
TWIN_SOURCES = 10
TWIN_COSINE = 0.65
"""A passage in another script whose balanced cosine with one of the top keyword matches
reaches this says the same thing in another language (see ``Ranker.twins``). It is above
every pair of the built-in set's passages that are not translations (highest 0.614 over
43,890 English-Nepali pairs), and half of its 210 translations reach it (median 0.669);
at 0.6 and 0.55, where more translations do, own-language answers lose 0.001 and 0.003
MRR@10 more to false twins on the one-answer pool."""
_SCRIPT_LETTERS = {
    "Devanagari": regex.compile(r"\p{Devanagari}"),
    "Latin": regex.compile(r"\p{Latin}"),
}

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
        ranked = self.fuse(query, lexical, dense) if mode == "hybrid" else lexical or dense
        return Ranked(ranked, lexical, dense)

    @cached_property
    def chunks(self) -> int:
        """How many chunks the index holds (counted once per ranker, that is per search)."""
        return self.store.count("SELECT count(*) FROM chunks")

    def lexical(self, query: Query, depth: int, filters: Filters) -> Scored:
        """BM25 over stemmed terms; nothing when the query has no searchable word."""
        expression = any_of(self.matched_terms(query.keyword_terms))
        return [] if expression is None else self.store.lexical(expression, depth, filters)

    def matched_terms(self, terms: list[str]) -> list[str]:
        """``terms`` without those held by over ``COMMON_SHARE`` of a big index's
        chunks, when a rarer term is left to match.

        FTS5 scores every passage that holds any query term, so one such term costs
        more than all the others (at 100,000 chunks keyword search time follows the
        query terms' total postings, Spearman 0.98) while its BM25 weight, idf at most
        log 9, barely moves the order among the passages the rarer terms find.
        """
        if len(terms) < 2:
            return terms
        limit = max(COMMON_SHARE * self.chunks, COMMON_FLOOR)
        if self.chunks <= limit:  # no term can be held by more chunks than there are
            return terms
        held = self.store.term_documents(terms)
        rarer = [term for term in terms if held.get(term, 0) <= limit]
        return rarer or terms

    def dense_readings(self, vectors: np.ndarray, depth: int, filters: Filters) -> Scored:
        """Meaning search for each reading's vector (a romanized query searched as typed
        and as read in Devanagari); a chunk keeps its best score over the readings, which
        share one model and so one scale."""
        rows = vectors.reshape(-1, vectors.shape[-1])
        if len(rows) == 1:
            return self.dense(rows[0], depth, filters)
        best: dict[int, float] = {}
        for row in rows:
            for chunk, score in self.dense(row, depth, filters):
                best[chunk] = max(score, best.get(chunk, score))
        return sorted(best.items(), key=lambda pair: -pair[1])[:depth]

    def dense(self, vector: np.ndarray, depth: int, filters: Filters) -> Scored:
        """Nearest chunks by cosine, balanced across languages where that applies."""
        self.vectors.sync(self.store, save=False)
        allowed = self.store.allowed_chunks(filters) if filters.active else None
        subspace = None
        if self.settings.balance_languages and filters.lang is None:
            subspace = calibrate.current(self.store, self.vectors.model)
        if subspace is None:
            return self.vectors.search(vector, depth, allowed)
        return self.balanced(vector, subspace, depth, allowed)

    def balanced(
        self,
        vector: np.ndarray,
        subspace: calibrate.LanguageSubspace,
        depth: int,
        allowed: set[int] | None,
    ) -> Scored:
        """Nearest chunks by the cosine without the language subspace, each language's
        crowd lifted toward the highest (see calibrate).

        The graph is walked with the balanced query, so the pool comes ordered by the
        numerator of the balanced cosine; re-scoring divides by each passage's own
        length, which can lift a passage from beyond the pool. The pool grows until no
        passage outside it could reach the top ``SURE_TOP`` by balanced cosine. The
        crowds are then measured on the pool and lifted there: a lift is the same for
        every passage of a language, so it never reorders one language's passages, and
        bounding it too would grow the pool at most queries (at 100,000 chunks it took
        hybrid p95 from 37.5 to 50.9 ms).
        """
        query = subspace.graph_query(vector)
        sure = min(depth, SURE_TOP)
        pool = max(depth, BALANCE_POOL)
        while True:
            found = self.vectors.search(query, pool, allowed)
            ids = [chunk for chunk, _ in found]
            scores = subspace.cosines(vector, self.vectors.items(ids))
            if len(found) < pool or pool >= MAX_POOL:
                break  # the whole index, or as far as a query may go
            if np.sort(scores)[-sure] >= subspace.ceiling(found[-1][1]):
                break
            pool *= 4
        languages = self.store.chunk_languages(ids)
        tags = [languages.get(chunk, "") for chunk in ids]
        scores = scores + calibrate.crowd_lifts(scores, tags, subspace.counts)
        order = np.argsort(-scores, kind="stable")[:depth]
        return [(ids[i], float(scores[i])) for i in order]

    def fuse(self, query: Query, lexical: Scored, dense: Scored) -> Scored:
        """Meaning plus weighted keyword evidence (``keyword_weight``), fair to chunks in
        a script other than the query's main one (see ``script_fair_fusion``)."""
        unseen: set[int] = set()
        # A romanized query's keywords reach the script it was read in.
        script = main_script(query.searched_as or query.text)
        # No script (digits only): keywords can match any script.
        if self.settings.script_fair_fusion and script is not None:
            languages = self.store.chunk_languages([chunk for chunk, _ in dense])
            unseen = {
                chunk
                for chunk, lang in languages.items()
                if lang in LANGUAGE_SCRIPT and LANGUAGE_SCRIPT[lang] != script
            }
        unembedded = self.store.without_vectors([c for c, _ in lexical], self.vectors.model)
        lend = self.lending(query, lexical, dense, unseen) if unseen else Line(0.0, 0.0)
        borrowed = self.twins(lexical, unseen) if unseen else {}
        return weighted_fusion(
            lexical, dense, self.settings.keyword_weight, unseen, lend, unembedded, borrowed
        )

    def lending(self, query: Query, lexical: Scored, dense: Scored, unseen: set[int]) -> Line:
        """The keyword evidence lent to ``unseen`` passages by their meaning score: what
        own-script passages of that meaning have (``LENT_SCALE``, ``LINE_PASSAGES``),
        else, with under three own-script passages to read it from, the share of the
        query the best keyword match leaves unexplained (``unseen_share``)."""
        seen = [chunk for chunk, _ in dense if chunk not in unseen][:LINE_PASSAGES]
        line = expected_evidence(lexical, dense, seen, LENT_SCALE)
        return line or Line(0.0, unseen_share(self.coverage(query, lexical)))

    def twins(self, lexical: Scored, unseen: set[int]) -> dict[int, float]:
        """Unseen chunk -> the keyword evidence (BM25 over the best) of the best of the
        top ``TWIN_SOURCES`` keyword matches it says the same as: a balanced cosine of
        ``TWIN_COSINE`` or more between them marks a translation."""
        self.vectors.sync(self.store, save=False)
        sources = self.vectors.indexed([chunk for chunk, _ in lexical[:TWIN_SOURCES]])
        targets = self.vectors.indexed(sorted(unseen))
        if not sources or not targets:
            return {}
        subspace = calibrate.current(self.store, self.vectors.model)
        left = self.vectors.items(sources)
        right = self.vectors.items(targets)
        if subspace is not None:
            left, right = subspace.project(left), subspace.project(right)
        keyword = over_best(lexical)
        similar = np.asarray(right, dtype=np.float64) @ np.asarray(left, dtype=np.float64).T
        evidence = np.array([keyword[chunk] for chunk in sources])
        lent = np.where(similar >= TWIN_COSINE, evidence[None, :], 0.0).max(axis=1)
        return {c: float(v) for c, v in zip(targets, lent, strict=True) if v > 0}

    def coverage(self, query: Query, lexical: Scored) -> float:
        """The share of the query's keyword weight (BM25's idf) that the best keyword
        match holds, for the reading it covers best: the typed words, or the Devanagari
        a romanized query was read as. 0 when nothing matched."""
        if not lexical:
            return 0.0
        best = 0.0
        readings = [query_terms(query.text), list(query.expansions)]
        for terms in (self.matched_terms(terms) for terms in readings if terms):
            held = self.store.term_documents(terms)
            weight = {t: idf(held.get(t, 0), self.chunks) for t in terms}
            found = self.store.held_terms(lexical[0][0], [t for t in terms if held.get(t)])
            best = max(best, sum(weight[t] for t in found) / sum(weight.values()))
        return best


def unseen_share(coverage: float) -> float:
    """The share of its meaning score a passage in a script the query does not use gets
    as keyword evidence when too few own-script passages are at hand to read it off
    (see ``Ranker.lending``): all of it when the query's own-script keywords found
    nothing, less the more of the query the best keyword match holds.

    A keyword match holding every rare word of the question is strong evidence that the
    answer is in the query's own language, and lending other-script passages evidence
    they do not have then buries it; when the best match holds one common word, the
    answer may well be in the other language.
    """
    return 1.0 - EXPLAINED_TRUST * coverage


def idf(held: int, chunks: int) -> float:
    """BM25's inverse document frequency of a term ``held`` by that many of ``chunks``."""
    return math.log(1 + (chunks - held + 0.5) / (held + 0.5))


def main_script(text: str) -> str | None:
    """The script most of ``text``'s letters are in ("Devanagari" or "Latin"), None
    for no letters or a tie. A Nepali headline with one acronym ("NHS") is Devanagari:
    its keywords match Nepali passages, however the acronym fares."""
    counts = {name: len(pattern.findall(text)) for name, pattern in _SCRIPT_LETTERS.items()}
    best = max(counts.values())
    winners = [name for name, n in counts.items() if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else None

"""Ranking policy: how keyword and meaning candidates become one ranked list.

This module owns every decision about order: how deep each retriever looks, when
meaning scores are balanced across languages, and how the two lists are fused. The
constants are data (:class:`~xlsearch.rank.policy.RankingPolicy`); every decision is
a pure function of the policy and one ``Candidates`` record (``fuse``,
``keyword_weight``, ``lending``...), so it is unit-tested and replayed
(``benchmarks/fusion_replay.py``) without a store. :class:`~xlsearch.rank.ranker.Ranker`
fetches that record from the store and the vector index.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import regex

from xlsearch.config import Settings
from xlsearch.rank import balance
from xlsearch.rank.fusion import Line, expected_evidence, over_best, weighted_fusion
from xlsearch.rank.policy import POLICY, RankingPolicy
from xlsearch.search.lexical import query_terms
from xlsearch.search.query import Query
from xlsearch.text import LANGUAGE_SCRIPT

_SCRIPT_LETTERS = {
    "Devanagari": regex.compile(r"\p{Devanagari}"),
    "Latin": regex.compile(r"\p{Latin}"),
}

Scored = list[tuple[int, float]]


@dataclass(frozen=True)
class IndexFacts:
    """What the index says about a query before searching (one store round trip)."""

    version: int
    """The store's vectors version (the graph and the subspace are current at it)."""
    chunks: int
    documents: Mapping[str, int] = field(default_factory=dict)
    """Keyword term -> chunks holding it, for the query's keyword terms."""
    allowed: frozenset[int] | None = None
    """The chunks the filters allow, None without filters."""


@dataclass(frozen=True)
class Candidates:
    """Everything fusion decides on, fetched once per query: both lists and what the
    index says about their chunks. The policy functions below read only this."""

    query: Query
    lexical: Scored
    dense: Scored
    facts: IndexFacts
    languages: Mapping[int, str] = field(default_factory=dict)
    """Chunk -> language tag, for the chunks of ``dense``."""
    unembedded: frozenset[int] = frozenset()
    """The keyword matches without a vector yet (indexing fills them in later)."""
    best_terms: frozenset[str] = frozenset()
    """The lower-cased stored terms of the best keyword match."""
    borrowed: Mapping[int, float] = field(default_factory=dict)
    """Unseen chunk -> the keyword evidence of the top keyword match it translates
    (see ``twin_evidence``)."""


def policy_for(settings: Settings, base: RankingPolicy = POLICY) -> RankingPolicy:
    """``base`` with the fields the user's settings choose."""
    return replace(
        base,
        keyword_weight=settings.keyword_weight,
        candidates=settings.candidates,
        balance_languages=settings.balance_languages,
        script_fair_fusion=settings.script_fair_fusion,
    )


# -- the policy: pure functions of a query's candidates ---------------------------------
def matched_terms(policy: RankingPolicy, terms: list[str], facts: IndexFacts) -> list[str]:
    """``terms`` without those held by over ``common_share`` of a big index's chunks,
    when a rarer term is left to match.

    FTS5 scores every passage that holds any query term, so one such term costs more
    than all the others (at 100,000 chunks keyword search time follows the query
    terms' total postings, Spearman 0.98) while its BM25 weight, idf at most log 9,
    barely moves the order among the passages the rarer terms find.
    """
    if len(terms) < 2:
        return terms
    limit = max(policy.common_share * facts.chunks, policy.common_floor)
    if facts.chunks <= limit:  # no term can be held by more chunks than there are
        return terms
    rarer = [term for term in terms if facts.documents.get(term, 0) <= limit]
    return rarer or terms


def order(
    policy: RankingPolicy,
    pool: tuple[list[int], np.ndarray],
    languages: Mapping[int, str],
    subspace: balance.LanguageSubspace | None,
    depth: int,
) -> Scored:
    """A meaning pool, best first: as found without balancing, else each language's
    crowd lifted toward the highest (see ``balance.crowd_lifts``)."""
    ids, scores = pool
    if subspace is None:
        return list(zip(ids, (float(s) for s in scores), strict=True))
    tags = [languages.get(chunk, "") for chunk in ids]
    lifted = scores + balance.crowd_lifts(
        scores, tags, subspace.counts, policy.crowd_rank, policy.crowd_weight
    )
    chosen = np.argsort(-lifted, kind="stable")[:depth]
    return [(ids[i], float(lifted[i])) for i in chosen]


def best_of(readings: list[Scored], depth: int) -> Scored:
    """Each chunk's best score over the readings' lists, best first."""
    best: dict[int, float] = {}
    for found in readings:
        for chunk, score in found:
            best[chunk] = max(score, best.get(chunk, score))
    return sorted(best.items(), key=lambda pair: -pair[1])[:depth]


def unseen_chunks(policy: RankingPolicy, candidates: Candidates) -> set[int]:
    """The meaning candidates in a script the query's keywords cannot reach (empty
    when ``script_fair_fusion`` is off or the query has no main script)."""
    query = candidates.query
    # A romanized query's keywords reach the script it was read in.
    script = main_script(query.searched_as or query.text)
    # No script (digits only): keywords can match any script.
    if not policy.script_fair_fusion or script is None:
        return set()
    return {
        chunk
        for chunk, _ in candidates.dense
        if (lang := candidates.languages.get(chunk)) in LANGUAGE_SCRIPT
        and LANGUAGE_SCRIPT[lang] != script
    }


def fuse(policy: RankingPolicy, candidates: Candidates) -> Scored:
    """Meaning plus weighted keyword evidence (``keyword_weight``), fair to chunks in
    a script other than the query's main one (see ``unseen_chunks``)."""
    unseen = unseen_chunks(policy, candidates)
    lend = lending(policy, candidates, unseen) if unseen else Line(0.0, 0.0)
    return weighted_fusion(
        candidates.lexical,
        candidates.dense,
        keyword_weight(policy, candidates),
        unseen,
        lend,
        candidates.unembedded,
        candidates.borrowed,
    )


def keyword_weight(policy: RankingPolicy, candidates: Candidates) -> float:
    """How much keyword evidence counts against meaning for this query:
    ``keyword_weight`` plus ``standout_gain`` × how far BM25's best stands from its
    second (``standout``) × the share of the query's idf it holds (``coverage``, when
    ``standout_coverage``), at most ``max_keyword_weight``.

    A best keyword match far ahead of the next is one passage holding the query's rare
    words together, which meaning search often places among near misses; when BM25's
    scores run level (a long query whose words many passages share, or one common
    word) its best is no better evidence than its tenth, and meaning should order them.
    A lone match stands out fully whatever it holds: one shared word of four is still
    weak evidence, hence the coverage.
    """
    lexical = candidates.lexical
    evidence = standout(lexical)
    if policy.standout_coverage and evidence > 0:
        evidence *= coverage(policy, candidates)
    weight = policy.keyword_weight + policy.standout_gain * evidence
    return min(weight, max(policy.max_keyword_weight, policy.keyword_weight))


def standout(lexical: Scored) -> float:
    """(best − second) / best of the BM25 scores: 0 when they tie, 1 for a lone match,
    0 for no match at all."""
    if not lexical:
        return 0.0
    scores = sorted((score for _, score in lexical), reverse=True)
    if len(scores) < 2 or scores[0] <= 0:
        return 1.0 if scores[0] > 0 else 0.0
    return (scores[0] - scores[1]) / scores[0]


def lending(policy: RankingPolicy, candidates: Candidates, unseen: Collection[int]) -> Line:
    """The keyword evidence lent to ``unseen`` passages by their meaning score: what
    own-script passages of that meaning have (``lent_scale``, ``line_passages``),
    else, with under three own-script passages to read it from, the share of the
    query the best keyword match leaves unexplained (``unseen_share``)."""
    dense = candidates.dense
    seen = [chunk for chunk, _ in dense if chunk not in unseen][: policy.line_passages]
    line = expected_evidence(candidates.lexical, dense, seen, policy.lent_scale)
    return line or Line(0.0, unseen_share(policy, coverage(policy, candidates)))


def twin_evidence(
    policy: RankingPolicy,
    lexical: Scored,
    sources: list[int],
    left: np.ndarray,
    targets: list[int],
    right: np.ndarray,
) -> dict[int, float]:
    """Target chunk -> the keyword evidence (BM25 over the best) of the best source
    (a top keyword match) it says the same as: a balanced cosine of ``twin_cosine``
    or more between their vectors (``left`` rows for sources, ``right`` for targets)
    marks a translation."""
    keyword = over_best(lexical)
    similar = np.asarray(right, dtype=np.float64) @ np.asarray(left, dtype=np.float64).T
    evidence = np.array([keyword[chunk] for chunk in sources])
    lent = np.where(similar >= policy.twin_cosine, evidence[None, :], 0.0).max(axis=1)
    return {c: float(v) for c, v in zip(targets, lent, strict=True) if v > 0}


def coverage(policy: RankingPolicy, candidates: Candidates) -> float:
    """The share of the query's keyword weight (BM25's idf) that the best keyword
    match holds, for the reading it covers best: the typed words, or the Devanagari a
    romanized query was read as. 0 when nothing matched."""
    if not candidates.lexical:
        return 0.0
    query, facts = candidates.query, candidates.facts
    best = 0.0
    readings = [query_terms(query.text), list(query.expansions)]
    for terms in (matched_terms(policy, terms, facts) for terms in readings if terms):
        weight = {t: idf(facts.documents.get(t, 0), facts.chunks) for t in terms}
        found = [t for t in terms if facts.documents.get(t) and t.lower() in candidates.best_terms]
        best = max(best, sum(weight[t] for t in found) / sum(weight.values()))
    return best


def unseen_share(policy: RankingPolicy, coverage: float) -> float:
    """The share of its meaning score a passage in a script the query does not use gets
    as keyword evidence when too few own-script passages are at hand to read it off
    (see ``lending``): all of it when the query's own-script keywords found nothing,
    less the more of the query the best keyword match holds.

    A keyword match holding every rare word of the question is strong evidence that the
    answer is in the query's own language, and lending other-script passages evidence
    they do not have then buries it; when the best match holds one common word, the
    answer may well be in the other language.
    """
    return 1.0 - policy.explained_trust * coverage


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

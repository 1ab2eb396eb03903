"""The ranking policy as data: every tuned constant of ranking, fusion and language
balancing in one frozen record.

The ranker and the benchmarks read the constants from here; a benchmark that measures
another value passes ``dataclasses.replace(POLICY, field=value)`` instead of patching a
module. Each field says what it does and which results file chose it; the figures are
in that file (and in ``docs/ranking.md``), not repeated here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankingPolicy:
    """How keyword and meaning candidates become one ranked list."""

    keyword_weight: float = 0.2
    """Hybrid: meaning + weight × keyword evidence, both on 0..1 per query (see
    ``fusion.weighted_fusion``); this is the weight where BM25's scores run level, and
    the user's ``keyword_weight`` setting replaces it. Chosen on the tune halves of the
    headline sets, ``benchmarks/results/fusion.md``."""

    standout_gain: float = 1.0
    max_keyword_weight: float = 0.6
    """The keyword weight follows BM25's standout (best − second over best): it is
    ``keyword_weight`` + ``standout_gain`` × standout (× coverage, below), at most
    ``max_keyword_weight`` (``ranking.keyword_weight``). Chosen in
    ``benchmarks/results/fusion.md``."""

    standout_coverage: bool = True
    """Scale the standout by the share of the query's idf the best match holds
    (``ranking.coverage``), so a lone match of one word of several is no strong
    evidence. ``benchmarks/results/fusion.md``."""

    candidates: int = 100
    """How many hits each retriever hands to fusion (the user's ``candidates``)."""

    balance_languages: bool = True
    """Meaning search without the index's language subspace (see ``balance``);
    the user's ``balance_languages`` setting."""

    script_fair_fusion: bool = True
    """Lend passages in another script than the query's keyword evidence (see
    ``fusion.expected_evidence``); the user's ``script_fair_fusion`` setting."""

    balance_pool: int = 300
    """Meaning search's first pool when it balances languages: the graph is walked with
    the balanced query, so the passages re-scoring puts first are near the top already;
    it grows only when re-scoring could still change the top (``sure_top``).
    ``benchmarks/results/scale_100k.txt``."""

    sure_top: int = 20
    """Balanced meaning search's top this many are exact (up to the graph's recall):
    the pool grows until no passage outside it could reach them.
    ``benchmarks/results/scale_100k.txt``."""

    max_pool: int = 4800
    """The balanced pool stops growing here. ``benchmarks/results/scale_100k.txt``."""

    common_share: float = 0.1
    common_floor: int = 5000
    """A query term held by more than ``common_share`` of the chunks and more than
    ``common_floor`` of them is too common to match on while a rarer term is left
    (``ranking.matched_terms``); the floor leaves every index under 50,000 chunks as
    it was. ``benchmarks/results/scale_100k.txt``."""

    explained_trust: float = 1.0
    """How far a complete own-script keyword match lowers the evidence lent to other-
    script passages when too few own-script passages are at hand to read the line off
    (``ranking.unseen_share``). ``benchmarks/results/language_balance.txt``."""

    line_passages: int = 50
    """The line of keyword evidence against meaning is fitted on the query's best this
    many own-script passages by meaning. ``benchmarks/results/language_balance.txt``."""

    lent_scale: float = 1.3
    """Other-script passages are lent this × the line's evidence at their meaning
    score (above 1: balancing leaves other-language meaning somewhat below own-language
    meaning). ``benchmarks/results/language_balance.txt``."""

    twin_sources: int = 10
    twin_cosine: float = 0.65
    """An other-script passage whose balanced cosine with one of the top
    ``twin_sources`` keyword matches reaches ``twin_cosine`` is its translation and
    borrows its keyword evidence (``ranking.twin_evidence``); measured on the built-in
    set's translation pairs, see ``benchmarks/results/language_balance.txt``."""

    removed_share: float = 0.65
    """How much of each vector's language component balancing removes (see
    ``balance.LanguageSubspace``). ``benchmarks/results/language_balance.txt``."""

    crowd_rank: int = 5
    crowd_weight: float = 0.5
    """A language's crowd stands at its ``crowd_rank``-th best balanced cosine; each
    language is lifted by ``crowd_weight`` of the gap to the highest crowd
    (``balance.crowd_lifts``). ``benchmarks/results/language_balance.txt`` and
    ``language_balance_xquad.txt``."""


POLICY = RankingPolicy()
"""The shipped policy."""

"""Retrieval metrics over qrels and runs, computed the way trec_eval computes them.

Shapes follow ranx and BEIR: ``qrels`` maps query id -> doc id -> relevance grade and
``run`` maps query id -> doc id -> score (higher is better). A query's documents are
ranked by score descending with ties broken by doc id descending, which is trec_eval's
order (checked against ``ir_measures``/pytrec_eval in the tests). A document is relevant
when its grade is above 0.

Averages follow one rule: a query in qrels with at least one relevant document counts
in the mean, scoring 0 when the run has nothing for it; a query with no relevant
document is skipped, since no ranking can do well or badly on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

from xlsearch.errors import XlsearchError

Qrels = Mapping[str, Mapping[str, float]]
Run = Mapping[str, Mapping[str, float]]
QueryMetric = Callable[[Mapping[str, float], Mapping[str, float]], float]

DEFAULT_METRICS = ("map", "mrr@10", "ndcg@10", "recall@10", "recall@100", "p@1")


def rank_documents(scores: Mapping[str, float]) -> list[str]:
    """Doc ids by score descending, ties by doc id descending (trec_eval's order)."""
    return [
        doc for doc, _ in sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)
    ]


def _relevant(qrel: Mapping[str, float]) -> set[str]:
    return {doc for doc, grade in qrel.items() if grade > 0}


def average_precision(qrel: Mapping[str, float], scores: Mapping[str, float]) -> float:
    """AP = (1/R) * sum over ranks i holding a relevant doc of precision@i.

    R is the number of relevant docs in ``qrel``, retrieved or not; 0.0 when R is 0.
    """
    relevant = _relevant(qrel)
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, doc in enumerate(rank_documents(scores), start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def reciprocal_rank(qrel: Mapping[str, float], scores: Mapping[str, float], k: int = 10) -> float:
    """RR@k = 1 / rank of the first relevant doc when that rank is <= k, else 0."""
    relevant = _relevant(qrel)
    for rank, doc in enumerate(rank_documents(scores)[:k], start=1):
        if doc in relevant:
            return 1.0 / rank
    return 0.0


def ndcg(qrel: Mapping[str, float], scores: Mapping[str, float], k: int = 10) -> float:
    """nDCG@k = DCG@k / IDCG@k, trec_eval's ``ndcg_cut`` form.

    DCG@k = sum over ranks i <= k of gain_i / log2(i + 1), where gain is the doc's grade
    itself (linear, not 2^grade - 1; grades <= 0 give nothing). IDCG@k is the DCG@k of
    the judged grades sorted descending. Binary qrels make every gain 1.
    """
    ideal = sorted((grade for grade in qrel.values() if grade > 0), reverse=True)[:k]
    idcg = sum(grade / math.log2(rank + 1) for rank, grade in enumerate(ideal, start=1))
    if idcg == 0:
        return 0.0
    ranked = rank_documents(scores)[:k]
    dcg = sum(
        max(qrel.get(doc, 0.0), 0.0) / math.log2(rank + 1)
        for rank, doc in enumerate(ranked, start=1)
    )
    return dcg / idcg


def recall(qrel: Mapping[str, float], scores: Mapping[str, float], k: int = 100) -> float:
    """Recall@k = |relevant docs in the top k| / R, with R the relevant docs in ``qrel``."""
    relevant = _relevant(qrel)
    if not relevant:
        return 0.0
    found = sum(1 for doc in rank_documents(scores)[:k] if doc in relevant)
    return found / len(relevant)


def precision(qrel: Mapping[str, float], scores: Mapping[str, float], k: int = 1) -> float:
    """P@k = |relevant docs in the top k| / k (k stays the divisor when fewer are returned)."""
    relevant = _relevant(qrel)
    found = sum(1 for doc in rank_documents(scores)[:k] if doc in relevant)
    return found / k


def metric_function(name: str) -> QueryMetric:
    """The per-query function for a metric name: ``map``, ``mrr@k``, ``ndcg@k``,
    ``recall@k`` or ``p@k``."""
    if name == "map":
        return average_precision
    family, _, cutoff = name.partition("@")
    makers: dict[str, Callable[[Mapping[str, float], Mapping[str, float], int], float]] = {
        "mrr": reciprocal_rank,
        "ndcg": ndcg,
        "recall": recall,
        "p": precision,
    }
    if family not in makers or not cutoff.isdigit() or int(cutoff) < 1:
        raise XlsearchError(
            f"Unknown metric {name!r}; use map, mrr@k, ndcg@k, recall@k or p@k.",
            title="Unknown metric",
        )
    maker, k = makers[family], int(cutoff)
    return lambda qrel, scores: maker(qrel, scores, k)


def judged_queries(qrels: Qrels) -> list[str]:
    """Query ids that have at least one relevant document: the ones every mean is over."""
    return [qid for qid, qrel in qrels.items() if _relevant(qrel)]


def per_query(qrels: Qrels, run: Run, metric: str) -> dict[str, float]:
    """One metric for every judged query (0.0 where the run has nothing for it)."""
    function = metric_function(metric)
    return {qid: function(qrels[qid], run.get(qid, {})) for qid in judged_queries(qrels)}


def evaluate(qrels: Qrels, run: Run, metrics: Iterable[str] = DEFAULT_METRICS) -> dict[str, float]:
    """The mean of each metric over the judged queries; 0.0 for all when none is judged."""
    means: dict[str, float] = {}
    for name in metrics:
        values = per_query(qrels, run, name)
        means[name] = sum(values.values()) / len(values) if values else 0.0
    return means


def _best_rank_per_language(
    relevant: Iterable[str], ranking: Sequence[str], doc_lang: Mapping[str, str], missing: int
) -> dict[str, int]:
    position = {doc: rank for rank, doc in enumerate(ranking, start=1)}
    best: dict[str, int] = {}
    for doc in relevant:
        lang = doc_lang.get(doc)
        if lang is not None:
            best[lang] = min(best.get(lang, missing), position.get(doc, missing))
    return best


def language_bias_per_query(
    qrels: Qrels, run: Run, doc_lang: Mapping[str, str], cutoff: int | None = None
) -> dict[str, float]:
    """Rank spread across languages for each query judged in two or more languages.

    For a query whose relevant docs (grade > 0, language known from ``doc_lang``) span
    at least two languages, take per language the 1-based rank of that language's
    highest-ranked relevant doc in the run (trec_eval order). A language none of whose
    relevant docs is retrieved gets rank ``len(ranking) + 1``; with ``cutoff`` the ranking
    is first cut to its top ``cutoff`` docs, so the missing rank is at most cutoff + 1.
    The query's bias is max rank - min rank over its languages: 0 means every language's
    best answer sits at the same depth. A query absent from the run scores 0 (every
    language is equally missing). Queries judged in one language are left out.
    """
    spreads: dict[str, float] = {}
    for qid, qrel in qrels.items():
        relevant = [doc for doc in _relevant(qrel) if doc in doc_lang]
        if len({doc_lang[doc] for doc in relevant}) < 2:
            continue
        ranking = rank_documents(run.get(qid, {}))
        if cutoff is not None:
            ranking = ranking[:cutoff]
        best = _best_rank_per_language(relevant, ranking, doc_lang, len(ranking) + 1)
        spreads[qid] = float(max(best.values()) - min(best.values()))
    return spreads


def language_bias(
    qrels: Qrels, run: Run, doc_lang: Mapping[str, str], cutoff: int | None = None
) -> float:
    """Language bias after Huang et al. (SIGIR 2023): the mean of
    :func:`language_bias_per_query` over the queries judged in two or more languages
    (lower is better, 0 is no bias); 0.0 when no query is judged in two languages."""
    spreads = language_bias_per_query(qrels, run, doc_lang, cutoff)
    return sum(spreads.values()) / len(spreads) if spreads else 0.0

"""Metrics: hand-computed values on tiny runs, and agreement with ir_measures (trec_eval)."""

from __future__ import annotations

import math
import random

import ir_measures
import pytest
from ir_measures import AP, RR, R, nDCG

from xlsearch.errors import XlsearchError
from xlsearch.eval.metrics import (
    DEFAULT_METRICS,
    average_precision,
    evaluate,
    language_bias,
    language_bias_per_query,
    ndcg,
    per_query,
    precision,
    rank_documents,
    recall,
    reciprocal_rank,
)

# One query: a is relevant (grade 1), b judged non-relevant, c relevant (grade 2).
QREL = {"a": 1, "b": 0, "c": 2}
# Ranking by score: a (rank 1), b (2), c (3), d (4, unjudged).
SCORES = {"a": 0.9, "b": 0.8, "c": 0.7, "d": 0.6}


def test_average_precision_by_hand() -> None:
    # Relevant at ranks 1 and 3: AP = (1/1 + 2/3) / 2 = 0.8333...
    assert average_precision(QREL, SCORES) == pytest.approx((1 + 2 / 3) / 2)


def test_average_precision_counts_unretrieved_relevant_docs() -> None:
    # Only c (rank 1 of 1) is retrieved; a is relevant but missing: AP = (1/1) / 2.
    assert average_precision(QREL, {"c": 1.0}) == pytest.approx(0.5)


def test_reciprocal_rank_by_hand_and_cutoff() -> None:
    assert reciprocal_rank(QREL, SCORES) == 1.0
    # Without a, the first relevant doc is c at rank 3 (b, c, d): RR = 1/3, and 0 beyond k=2.
    without_a = {k: v for k, v in SCORES.items() if k != "a"}
    assert reciprocal_rank(QREL, without_a, k=10) == pytest.approx(1 / 2)
    assert reciprocal_rank({"d": 1}, SCORES, k=4) == pytest.approx(1 / 4)
    assert reciprocal_rank({"d": 1}, SCORES, k=3) == 0.0


def test_ndcg_graded_by_hand() -> None:
    # DCG = 1/log2(2) + 0/log2(3) + 2/log2(4) = 1 + 0 + 1 = 2.
    # IDCG = 2/log2(2) + 1/log2(3) = 2 + 0.6309... = 2.6309...
    expected = 2 / (2 + 1 / math.log2(3))
    assert ndcg(QREL, SCORES, k=10) == pytest.approx(expected)
    # At k=1 only a (grade 1) counts against the ideal c (grade 2): 1/2.
    assert ndcg(QREL, SCORES, k=1) == pytest.approx(0.5)


def test_recall_and_precision_by_hand() -> None:
    # Top 2 = a, b: one of the two relevant docs -> recall 1/2, precision 1/2.
    assert recall(QREL, SCORES, k=2) == pytest.approx(0.5)
    assert recall(QREL, SCORES, k=3) == pytest.approx(1.0)
    assert precision(QREL, SCORES, k=1) == 1.0
    assert precision(QREL, SCORES, k=2) == pytest.approx(0.5)
    # k stays the divisor when the run is shorter than k: 1 relevant / 5.
    assert precision(QREL, {"a": 1.0}, k=5) == pytest.approx(0.2)


def test_ties_break_by_doc_id_descending() -> None:
    # Equal scores rank z, y, x: the relevant y is second.
    tied = {"x": 1.0, "y": 1.0, "z": 1.0}
    assert rank_documents(tied) == ["z", "y", "x"]
    assert reciprocal_rank({"y": 1}, tied) == pytest.approx(0.5)
    assert precision({"y": 1}, tied, k=1) == 0.0


def test_evaluate_counts_missing_queries_as_zero_and_skips_unjudged() -> None:
    qrels = {"q1": QREL, "q2": {"e": 1}, "q3": {"f": 0}}
    run = {"q1": SCORES}
    means = evaluate(qrels, run)
    assert list(means) == list(DEFAULT_METRICS)
    # q1 AP 0.8333, q2 absent from the run scores 0, q3 has no relevant doc and is skipped.
    assert means["map"] == pytest.approx((1 + 2 / 3) / 2 / 2)
    assert means["p@1"] == pytest.approx(0.5)
    assert per_query(qrels, run, "mrr@10") == {"q1": 1.0, "q2": 0.0}


def test_evaluate_with_no_judged_query_is_zero() -> None:
    assert evaluate({"q": {"a": 0}}, {"q": {"a": 1.0}}, ["map"]) == {"map": 0.0}


@pytest.mark.parametrize("name", ["mrr", "ndcg@x", "bleu@10", "p@0", ""])
def test_unknown_metric_names_are_refused(name: str) -> None:
    with pytest.raises(XlsearchError):
        evaluate({"q": {"a": 1}}, {}, [name])


def _random_case(seed: int) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """Qrels and a run with many score ties, some queries missing or empty in the run."""
    rng = random.Random(seed)
    docs = [f"d{i:03d}" for i in range(160)]
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    for q in range(40):
        qid = f"q{q}"
        judged = rng.sample(docs, rng.randint(1, 12))
        qrels[qid] = {doc: rng.choice([0, 1, 1, 2, 3]) for doc in judged}
        if q % 9 == 0:
            continue  # absent from the run
        retrieved = rng.sample(docs, rng.randint(1, 150))
        # Integer scores on a small range make ties common.
        run[qid] = {doc: float(rng.randint(0, 6)) for doc in retrieved}
    return qrels, run


# ir_measures routes RR@10 to its msmarco provider, which breaks ties its own way, and
# pytrec_eval applies no cutoff to RR; so mrr@10 is checked against pytrec_eval's full RR
# (the same as RR@10 whenever the first relevant rank is <= 10, i.e. RR >= 0.1).
MEASURES = {"map": AP, "ndcg@10": nDCG @ 10, "recall@10": R @ 10, "recall@100": R @ 100}


def _reference(
    qrels: dict[str, dict[str, int]], run: dict[str, dict[str, float]]
) -> dict[str, dict[str, float]]:
    """pytrec_eval's per-query values, with zeros for the queries it drops (not in the run)."""
    wanted = [*MEASURES.values(), RR, ir_measures.P @ 1]
    found: dict[str, dict[str, float]] = {str(m): {} for m in wanted}
    for metric in ir_measures.pytrec_eval.iter_calc(wanted, qrels, run):
        found[str(metric.measure)][metric.query_id] = float(metric.value)
    judged = [q for q, qrel in qrels.items() if any(g > 0 for g in qrel.values())]
    reference = {
        name: {q: found[str(m)].get(q, 0.0) for q in judged} for name, m in MEASURES.items()
    }
    full_rr = {q: found[str(RR)].get(q, 0.0) for q in judged}
    reference["mrr@10"] = {q: rr if rr >= 0.1 - 1e-12 else 0.0 for q, rr in full_rr.items()}
    reference["p@1"] = {q: found[str(ir_measures.P @ 1)].get(q, 0.0) for q in judged}
    return reference


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_metric_matches_ir_measures(seed: int) -> None:
    qrels, run = _random_case(seed)
    reference = _reference(qrels, run)
    for name in DEFAULT_METRICS:
        ours = per_query(qrels, run, name)
        assert ours.keys() == reference[name].keys()
        for qid, value in ours.items():
            assert value == pytest.approx(reference[name][qid], abs=1e-9), (name, qid)
        expected_mean = sum(reference[name].values()) / len(reference[name])
        assert evaluate(qrels, run, [name])[name] == pytest.approx(expected_mean)


DOC_LANG = {"e1": "en", "e2": "en", "n1": "ne", "n2": "ne"}
BIAS_QRELS = {
    "q1": {"e1": 1, "n2": 1},
    "q2": {"e2": 1, "n1": 1},
    "q3": {"e1": 1},  # one language only: left out
    "q4": {"e1": 1, "n1": 1},
}
BIAS_RUN = {
    "q1": {"e1": 0.9, "e2": 0.8, "n1": 0.7, "n2": 0.6},
    "q2": {"n1": 0.9, "e2": 0.5},
    "q3": {"e1": 0.9},
    "q4": {"e1": 0.9},
}


def test_language_bias_by_hand() -> None:
    # q1: best en rank 1 (e1), best ne rank 4 (n2) -> 3.
    # q2: best ne rank 1 (n1), best en rank 2 (e2) -> 1.
    # q4: en rank 1; ne missing -> len(run) + 1 = 2 -> 1.
    assert language_bias_per_query(BIAS_QRELS, BIAS_RUN, DOC_LANG) == {
        "q1": 3.0,
        "q2": 1.0,
        "q4": 1.0,
    }
    assert language_bias(BIAS_QRELS, BIAS_RUN, DOC_LANG) == pytest.approx(5 / 3)


def test_language_bias_with_cutoff() -> None:
    # Cut to 2: q1's n2 (rank 4) is missing -> rank 3 -> 3 - 1 = 2; q2 and q4 stay 1.
    assert language_bias(BIAS_QRELS, BIAS_RUN, DOC_LANG, cutoff=2) == pytest.approx(4 / 3)


def test_language_bias_query_absent_from_run_is_zero() -> None:
    qrels = {**BIAS_QRELS, "q5": {"e1": 1, "n1": 1}}
    assert language_bias_per_query(qrels, BIAS_RUN, DOC_LANG)["q5"] == 0.0
    assert language_bias(qrels, BIAS_RUN, DOC_LANG) == pytest.approx(5 / 4)


def test_language_bias_without_bilingual_queries_is_zero() -> None:
    assert language_bias({"q3": {"e1": 1}}, BIAS_RUN, DOC_LANG) == 0.0

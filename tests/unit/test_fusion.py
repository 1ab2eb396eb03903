"""Reciprocal rank fusion, against hand-computed scores."""

from __future__ import annotations

import pytest

from xlsearch.search.fusion import rrf, script_fair_rrf


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = dict(rrf([[1, 2, 3], [3, 1]], k=60))
    # 1: 1/61 + 1/62; 2: 1/62; 3: 1/63 + 1/61
    assert fused[1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[2] == pytest.approx(1 / 62)
    assert fused[3] == pytest.approx(1 / 63 + 1 / 61)


def test_rrf_orders_by_score_and_keeps_first_seen_on_ties() -> None:
    assert [i for i, _ in rrf([[1, 2, 3], [3, 1]], k=60)] == [1, 3, 2]
    assert [i for i, _ in rrf([[7], [8]], k=60)] == [7, 8]


def test_rrf_of_nothing_is_empty() -> None:
    assert rrf([[], []]) == []


def test_script_fair_rrf_equals_rrf_when_nothing_is_unseen() -> None:
    lexical, dense = [1, 2, 3], [3, 4, 1]
    assert script_fair_rrf(lexical, dense, set(), k=60) == rrf([lexical, dense], k=60)


def test_script_fair_rrf_keeps_other_script_answers_up() -> None:
    # A Nepali query: its keywords found Nepali passages 10 and 11; 20 is the English
    # answer, first by meaning, which keywords could never match. Plain RRF drops it
    # below both keyword matches.
    lexical, dense = [10, 11], [20, 10, 11]
    assert [i for i, _ in rrf([lexical, dense], k=60)] == [10, 11, 20]
    fused = script_fair_rrf(lexical, dense, {20}, k=60)
    assert [i for i, _ in fused] == [20, 10, 11]
    assert dict(fused)[20] == pytest.approx(2 / 61)


def test_script_fair_rrf_keeps_a_better_real_keyword_rank() -> None:
    # A shared number let keywords rank the unseen item first: that rank stands.
    fused = dict(script_fair_rrf([5], [6, 5], {5}, k=60))
    assert fused[5] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[6] == pytest.approx(1 / 61)

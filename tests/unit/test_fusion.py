"""Reciprocal rank fusion, against hand-computed scores."""

from __future__ import annotations

import pytest

from xlsearch.search.fusion import rrf


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

"""Per-language standardisation of meaning scores, against hand-computed z-scores."""

from __future__ import annotations

import pytest

from xlsearch.search.calibrate import MIN_GROUP, standardise


def _group(first: int, scores: list[float]) -> list[tuple[int, float]]:
    return [(first + i, s) for i, s in enumerate(scores)]


def test_each_language_is_measured_against_its_own_matches() -> None:
    # English scores sit higher overall; Nepali item 100 stands out further from its own
    # language's typical score than English item 0 does, so it comes first.
    english = _group(0, [0.86, 0.85] + [0.84] * (MIN_GROUP - 2))
    nepali = _group(100, [0.82] + [0.78] * (MIN_GROUP - 1))
    merged = standardise([english, nepali], depth=5)
    assert merged[0][0] == 100
    assert merged[1][0] == 0
    scores = [s for _, s in english][:5]  # measured over the best `depth` of each
    mean = sum(scores) / len(scores)
    spread = (sum((s - mean) ** 2 for s in scores) / len(scores)) ** 0.5
    assert dict(merged)[0] == pytest.approx((0.86 - mean) / spread)
    assert len(merged) == 5


def test_a_small_group_uses_the_pooled_scale() -> None:
    big = _group(0, [0.9 - 0.01 * i for i in range(MIN_GROUP)])
    small = [(500, 0.95)]
    merged = dict(standardise([big, small], depth=100))
    pooled = [s for _, s in big] + [0.95]
    mean = sum(pooled) / len(pooled)
    spread = (sum((s - mean) ** 2 for s in pooled) / len(pooled)) ** 0.5
    assert merged[500] == pytest.approx((0.95 - mean) / spread)


def test_nothing_in_nothing_out() -> None:
    assert standardise([[], []], depth=10) == []


def test_every_language_is_measured_over_as_many_of_its_best() -> None:
    # English has 40 hits, Nepali 12: both are measured over their best 12, so the long
    # weak English tail does not flatter the English head.
    english = _group(0, [0.9] * 6 + [0.8] * 6 + [0.1] * 28)
    nepali = _group(100, [0.7] * 6 + [0.6] * 6)
    merged = dict(standardise([english, nepali], depth=100))
    assert merged[0] == pytest.approx(1.0)
    assert merged[100] == pytest.approx(1.0)
    assert len(merged) == 52


def test_rare_languages_are_scored_on_the_pooled_scale() -> None:
    english = _group(0, [0.9] * 5 + [0.7] * 5)
    nepali = _group(100, [0.9] * 5 + [0.7] * 5)
    merged = dict(standardise([english, nepali], depth=100, rest=[(500, 0.8)]))
    assert merged[500] == pytest.approx(0.0)
    assert merged[0] == pytest.approx(1.0)

"""Weighted score fusion and the query's main script, against hand-computed scores."""

from __future__ import annotations

import pytest

from xlsearch.rank.fusion import Line, expected_evidence, min_max, over_best, weighted_fusion
from xlsearch.rank.ranking import main_script


def test_scales_are_hand_computed() -> None:
    assert min_max([(1, 0.9), (2, 0.8), (3, 0.5)]) == pytest.approx({1: 1.0, 2: 0.75, 3: 0.0})
    assert min_max([(1, 0.7), (2, 0.7)]) == {1: 1.0, 2: 1.0}
    assert over_best([(1, 8.0), (2, 2.0)]) == pytest.approx({1: 1.0, 2: 0.25})
    assert min_max([]) == over_best([]) == {}


def test_meaning_plus_weighted_keywords() -> None:
    # Meaning: 1 (0.9) > 2 (0.8) > 3 (0.5) -> m = 1, 0.75, 0. Keywords: 3 (8.0), 4 (2.0)
    # -> b = 1, 0.25. With weight 0.3: 1: 1.0; 2: 0.75; 3: 0 + 0.3; 4: 0.3 * 0.25.
    fused = weighted_fusion([(3, 8.0), (4, 2.0)], [(1, 0.9), (2, 0.8), (3, 0.5)], 0.3)
    assert [i for i, _ in fused] == [1, 2, 3, 4]
    assert dict(fused) == pytest.approx({1: 1.0, 2: 0.75, 3: 0.3, 4: 0.075})


def test_a_weak_keyword_match_does_not_outvote_a_clear_meaning_lead() -> None:
    # Under RRF (k=60) the keyword-only match 2, second by meaning, would beat 1:
    # 1/61 + 1/62 for 2 against 1/61 for 1. Here 1's meaning lead holds.
    fused = weighted_fusion([(2, 3.0)], [(1, 0.90), (2, 0.80), (3, 0.70)], 0.3)
    assert [i for i, _ in fused] == [1, 2, 3]
    # A close meaning race is decided by the keywords.
    fused = weighted_fusion([(2, 3.0)], [(1, 0.90), (2, 0.89), (3, 0.70)], 0.3)
    assert [i for i, _ in fused] == [2, 1, 3]


def test_unseen_items_get_a_share_of_their_meaning_as_keyword_evidence() -> None:
    # A Latin query; 20 is a Nepali passage, first by meaning (m = 1), which keywords
    # cannot match. Without fairness the keyword match 10 (m = 0.5, b = 1) wins.
    lexical, dense = [(10, 5.0)], [(20, 0.9), (10, 0.8), (11, 0.7)]
    assert [i for i, _ in weighted_fusion(lexical, dense, 0.6)] == [10, 20, 11]
    fused = dict(weighted_fusion(lexical, dense, 0.6, unseen={20}, lend=Line(0, 0.7)))
    assert fused[20] == pytest.approx(1.0 + 0.6 * 0.7)
    assert fused[10] == pytest.approx(0.5 + 0.6)
    assert fused[20] > fused[10]


def test_a_line_lends_clipped_and_scaled_evidence() -> None:
    assert Line(0, 0.7)(0.5) == pytest.approx(0.35)
    assert Line(0.2, 0.5, scale=1.5)(0.4) == pytest.approx(1.5 * 0.4)
    assert Line(0.8, 0.5)(1.0) == 1.0  # never more than the best keyword match...
    assert Line(0.8, 0.5, scale=1.3)(1.0) == pytest.approx(1.3)  # ...before scaling
    assert Line(-0.5, 0.2)(0.5) == 0.0


def test_expected_evidence_is_the_least_squares_line_over_seen_passages() -> None:
    # Meaning 1.0, 0.8, 0.6, 0.4 -> m = 1, 2/3, 1/3, 0; passages 1..3 are seen, 4 is not.
    dense = [(1, 1.0), (2, 0.8), (3, 0.6), (4, 0.4)]
    # b: 1 -> 1.0 (the best), 3 -> 0.5, 2 matched nothing -> 0.
    lexical = [(1, 10.0), (3, 5.0)]
    line = expected_evidence(lexical, dense, {1, 2, 3}, scale=2.0)
    assert line is not None
    # Points (1, 1), (2/3, 0), (1/3, 0.5): mean m 2/3, mean b 1/2; the sums of squares
    # and products are 2/9 and 1/6, so slope 3/4 and intercept 1/2 - 3/4 x 2/3 = 0.
    assert line.slope == pytest.approx(0.75)
    assert line.intercept == pytest.approx(0.0, abs=1e-12)
    assert line.scale == 2.0
    assert expected_evidence(lexical, dense, {1, 2}, scale=1.0) is None  # two points
    flat = expected_evidence(lexical, [(1, 0.5), (2, 0.5), (3, 0.5)], {1, 2, 3}, 1.0)
    assert flat == Line(0.5, 0.0, 1.0)  # one meaning score: the mean evidence


def test_an_unseen_items_real_keyword_match_stands() -> None:
    fused = dict(weighted_fusion([(5, 4.0)], [(6, 0.9), (5, 0.5)], 0.5, {5}, Line(0, 0.7)))
    assert fused[5] == pytest.approx(0.0 + 0.5 * 1.0)


def test_no_keyword_match_keeps_the_meaning_order() -> None:
    fused = weighted_fusion([], [(1, 0.9), (2, 0.8), (3, 0.5)], 0.3, unseen={3}, lend=Line(0, 1))
    assert [i for i, _ in fused] == [1, 2, 3]
    assert dict(fused) == pytest.approx({1: 1.0, 2: 0.75, 3: 0.0})


def test_main_script_is_the_majority_of_letters() -> None:
    assert main_script("how do I stop mosquitoes") == "Latin"
    assert main_script("NHS ले नयाँ नियम ल्यायो") == "Devanagari"
    assert main_script("डेंगु dengue") == "Latin"  # 5 Devanagari characters, 6 Latin
    assert main_script("2024") is None
    assert main_script("ab कख") is None


def test_a_keyword_match_without_a_vector_yet_is_not_counted_as_meaningless() -> None:
    # 4 matched the keywords best (b = 1) but has no vector yet: its keyword evidence
    # stands in for meaning, 1 + 0.3 x 1 = 1.3, above 1's 1.0 + 0.3 x 0.25 = 1.075.
    lexical = [(4, 8.0), (1, 2.0)]
    dense = [(1, 0.9), (2, 0.8)]
    assert weighted_fusion(lexical, dense, 0.3)[0][0] == 1  # counted as meaningless
    fused = weighted_fusion(lexical, dense, 0.3, unembedded={4})
    assert [i for i, _ in fused] == [4, 1, 2]
    assert dict(fused) == pytest.approx({4: 1.3, 1: 1.075, 2: 0.0})

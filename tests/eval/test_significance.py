"""Paired significance tests: null cases, clear wins, and agreement with scipy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import permutation_test

from xlsearch.eval.significance import paired_randomization


def _scores(values: list[float]) -> dict[str, float]:
    return {f"q{i}": v for i, v in enumerate(values)}


def test_identical_systems_give_p_one() -> None:
    rng = np.random.default_rng(1)
    a = _scores(list(rng.random(50)))
    assert paired_randomization(a, dict(a)) == 1.0


def test_differences_that_cancel_give_p_one() -> None:
    # Per-query differences +0.1, -0.1, ...: the observed mean difference is 0, so every
    # sign flip reaches it and p = (trials + 1) / (trials + 1).
    b = _scores([0.5] * 20)
    a = _scores([0.6 if i % 2 else 0.4 for i in range(20)])
    assert paired_randomization(a, b, trials=2000) == pytest.approx(1.0)


def test_clearly_better_system_on_200_queries() -> None:
    rng = np.random.default_rng(7)
    base = rng.random(200)
    better = np.clip(base + 0.1 + rng.normal(0, 0.05, 200), 0, 1)
    a, b = _scores(list(better)), _scores(list(base))
    p = paired_randomization(a, b)
    assert p < 0.01
    assert p >= 1 / 10001  # the +1 correction: never 0


def test_matches_scipy_permutation_test_on_a_small_case() -> None:
    x = [0.9, 0.4, 0.7, 0.3, 0.8, 0.55, 0.6, 0.2]
    y = [0.7, 0.5, 0.5, 0.35, 0.6, 0.5, 0.3, 0.25]
    exact = permutation_test(
        (x, y),
        lambda u, v, axis: np.mean(u - v, axis=axis),
        permutation_type="samples",
        alternative="two-sided",
        n_resamples=np.inf,
    ).pvalue
    assert 0.01 < exact < 0.5  # a case where the test has something to say
    assert paired_randomization(_scores(x), _scores(y)) == pytest.approx(exact, abs=0.02)


def test_only_shared_queries_are_paired() -> None:
    a = {"q1": 0.9, "q2": 0.5, "q3": 0.7, "only-a": 0.0}
    b = {"q1": 0.4, "q2": 0.45, "q3": 0.2, "only-b": 1.0}
    shared = {q: v for q, v in a.items() if q in b}
    assert paired_randomization(a, b) == paired_randomization(shared, b)
    assert paired_randomization({"x": 1.0}, {"y": 0.0}) == 1.0


def test_randomization_is_seeded() -> None:
    rng = np.random.default_rng(3)
    a, b = _scores(list(rng.random(30))), _scores(list(rng.random(30)))
    assert paired_randomization(a, b, seed=5) == paired_randomization(a, b, seed=5)
    # Symmetric: swapping the systems leaves the two-sided p-value as it was.
    assert paired_randomization(a, b, seed=5) == paired_randomization(b, a, seed=5)

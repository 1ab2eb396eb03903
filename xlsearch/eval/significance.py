"""Paired significance tests between two systems' per-query scores.

Both tests take ``query id -> metric value`` dicts (from
:func:`xlsearch.eval.metrics.per_query`) and pair them on the query ids they share.
The randomization test is the one Smucker et al. (CIKM 2007) recommend for IR; the
paired t-test is there for comparison with published tables.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

# Trials are drawn in blocks so that many queries x many trials stays small in memory.
_BLOCK = 1000


def _differences(a: Mapping[str, float], b: Mapping[str, float]) -> NDArray[np.float64]:
    shared = sorted(a.keys() & b.keys())
    return np.array([a[q] - b[q] for q in shared], dtype=np.float64)


def paired_randomization(
    a: Mapping[str, float], b: Mapping[str, float], trials: int = 10000, seed: int = 0
) -> float:
    """Two-sided p-value that systems ``a`` and ``b`` have the same mean score.

    Under the null hypothesis each query's pair of scores is exchangeable, so each
    difference d_q = a_q - b_q keeps or flips its sign at random. With T the number of
    ``trials`` whose |mean(s * d)| reaches the observed |mean(d)|, p = (T + 1) /
    (trials + 1) (the +1 counts the observed labelling, so p is never 0). 1.0 when the
    systems share no query or never differ.
    """
    diffs = _differences(a, b)
    if diffs.size == 0 or not np.any(diffs):
        return 1.0
    observed = abs(float(diffs.mean()))
    # A relative tolerance keeps float rounding from splitting ties with the observed value.
    threshold = observed - 1e-12 * max(1.0, observed)
    rng = np.random.default_rng(seed)
    reached = 0
    for start in range(0, trials, _BLOCK):
        count = min(_BLOCK, trials - start)
        signs = rng.choice(np.array([-1.0, 1.0]), size=(count, diffs.size))
        reached += int(np.count_nonzero(np.abs(signs @ diffs) / diffs.size >= threshold))
    return (reached + 1) / (trials + 1)

"""Per-language standardisation of meaning scores, against a multilingual model's bias.

A multilingual embedding model rates a passage in the query's own language higher than
one in another language that says the same thing: with multilingual-e5-small an English
question's best Nepali match typically scores below dozens of loosely related English
passages. Comparing each language's passages only with each other removes that offset:
a passage's score becomes its distance from its language's typical match, in standard
deviations (a z-score), and the languages merge on that common scale.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_GROUP = 10
"""A group with fewer scores than this is measured against all groups pooled."""


def standardise(
    groups: Sequence[Sequence[tuple[int, float]]], depth: int
) -> list[tuple[int, float]]:
    """Merge per-language rankings of (id, cosine), best first, into one of (id, z).

    Each group's scores become ``(score - mean) / std`` over that group's returned
    scores (its ``depth`` best); a group under ``MIN_GROUP`` scores, or one with no
    spread, uses the mean and spread of every score pooled. Returns the ``depth`` best,
    ties in group order.
    """
    pooled = np.array([score for group in groups for _, score in group], dtype=np.float64)
    if pooled.size == 0:
        return []
    pooled_stats = (float(pooled.mean()), float(pooled.std()) or 1.0)
    merged: list[tuple[int, float]] = []
    for group in groups:
        scores = np.array([score for _, score in group], dtype=np.float64)
        mean, spread = pooled_stats
        if scores.size >= MIN_GROUP and float(scores.std()) > 0:
            mean, spread = float(scores.mean()), float(scores.std())
        merged += [(item, (score - mean) / spread) for item, score in group]
    merged.sort(key=lambda pair: -pair[1])
    return merged[:depth]

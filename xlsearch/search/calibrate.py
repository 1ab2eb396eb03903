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
    groups: Sequence[Sequence[tuple[int, float]]],
    depth: int,
    rest: Sequence[tuple[int, float]] = (),
) -> list[tuple[int, float]]:
    """Merge per-language rankings of (id, cosine), best first, into one of (id, z).

    A group's scores become ``(score - mean) / std``, the mean and spread taken over its
    best ``n`` scores, ``n`` being the same for every group: ``depth``, or the length of
    the shortest group that has at least ``MIN_GROUP`` scores, so no language is judged
    on a longer, weaker tail than another. A group under ``MIN_GROUP`` scores, one with
    no spread, and the ``rest`` (hits in languages too rare to measure) use the mean and
    spread of all the groups' best scores pooled. Returns the ``depth`` best, ties in
    group order.
    """
    sizes = [len(group) for group in groups if len(group) >= MIN_GROUP]
    n = min([depth, *sizes])
    heads = [np.array([score for _, score in group[:n]], dtype=np.float64) for group in groups]
    pooled = np.concatenate(heads) if heads else np.array([])
    if pooled.size == 0:
        pooled = np.array([score for _, score in rest], dtype=np.float64)
    if pooled.size == 0:
        return []
    pooled_stats = (float(pooled.mean()), float(pooled.std()) or 1.0)
    merged: list[tuple[int, float]] = []
    for group, head in [*zip(groups, heads, strict=True), (rest, np.array([]))]:
        mean, spread = pooled_stats
        if len(group) >= MIN_GROUP and head.size > 1 and float(head.std()) > 0:
            mean, spread = float(head.mean()), float(head.std())
        merged += [(item, (score - mean) / spread) for item, score in group]
    merged.sort(key=lambda pair: -pair[1])
    return merged[:depth]

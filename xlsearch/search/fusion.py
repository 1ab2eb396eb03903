"""Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def rrf(rankings: Sequence[Sequence[int]], k: int = 60) -> list[tuple[int, float]]:
    """Fuse ranked id lists: score(d) = sum over lists of 1 / (k + rank of d), rank from 1.

    Ties keep the order of first appearance, so the result is deterministic.
    """
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def script_fair_rrf(
    lexical: Sequence[int], dense: Sequence[int], unseen: Collection[int], k: int = 60
) -> list[tuple[int, float]]:
    """RRF of a keyword and a meaning ranking, fair to items keywords cannot see.

    An item in ``unseen`` is written in a script the query does not use, so the keyword
    ranking could never hold it on the merits; plain RRF then ranks it below every
    same-script item the keywords found, whatever its meaning rank. Here such an item's
    keyword term is ``1 / (k + its dense rank)`` unless its real keyword rank (a shared
    number or name) is better. Items outside ``unseen`` fuse as in :func:`rrf`; if
    ``unseen`` is empty the result equals ``rrf([lexical, dense], k)``.
    """
    scores = {item: 1.0 / (k + rank) for rank, item in enumerate(lexical, start=1)}
    for rank, item in enumerate(dense, start=1):
        meaning = 1.0 / (k + rank)
        keyword = scores.get(item, 0.0)
        if item in unseen:
            keyword = max(keyword, meaning)
        scores[item] = keyword + meaning
    return sorted(scores.items(), key=lambda pair: -pair[1])

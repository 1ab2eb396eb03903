"""Fusion of a keyword and a meaning ranking into one, by weighted normalised scores.

Reciprocal rank fusion gives every list the same vote whatever its scores say, so a
weak keyword list (one shared word) can outvote a strong meaning list; measured on the
built-in set it cost 0.03 nDCG@10 against meaning search alone in English. Here each
list's scores are first put on a 0..1 scale per query, and keyword evidence is added to
meaning with a weight below one: it reorders passages of similar meaning rather than
overriding meaning.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

Scored = Sequence[tuple[int, float]]


def min_max(scored: Scored) -> dict[int, float]:
    """Scores rescaled to 0..1: (s - min) / (max - min); all 1.0 when they are equal."""
    if not scored:
        return {}
    values = [score for _, score in scored]
    low, spread = min(values), max(values) - min(values)
    return {item: (score - low) / spread if spread > 0 else 1.0 for item, score in scored}


def over_best(scored: Scored) -> dict[int, float]:
    """Scores divided by the best one (BM25 is positive, so this is 0..1)."""
    if not scored:
        return {}
    best = max(score for _, score in scored)
    return {item: score / best if best > 0 else 1.0 for item, score in scored}


def weighted_fusion(
    lexical: Scored,
    dense: Scored,
    weight: float,
    unseen: Collection[int] = (),
    unseen_share: float = 0.0,
    unembedded: Collection[int] = (),
    borrowed: Mapping[int, float] | None = None,
) -> list[tuple[int, float]]:
    """Fuse (id, score) lists, best first: score(d) = m(d) + ``weight`` × b(d).

    m is the meaning score min-max scaled over ``dense`` (0 for an item not in it), b
    the BM25 score over the best BM25 in ``lexical`` (0 for an item not in it). An item
    in ``unseen`` is in a script the query's keywords cannot match; its b is at least
    ``unseen_share`` × m(d), the keyword evidence its meaning suggests it would have had,
    so it is not pushed below every keyword match for want of a shared word. With no
    keyword match at all there is no evidence to share: the order is meaning's. Ties
    keep first appearance, meaning list first. ``borrowed`` gives an unseen item the
    keyword evidence of a passage it translates (see ``Ranker.twins``), when that is more.

    An item in ``unembedded`` has no vector yet (indexing fills them in after the
    keywords), so meaning could not score it: its keyword evidence stands in for the
    missing meaning score, instead of counting it as no meaning at all.
    """
    meaning = min_max(dense)
    if not lexical:
        return [(item, meaning[item]) for item, _ in dense]
    keyword = over_best(lexical)
    scores: dict[int, float] = {}
    for item, _ in dense:
        evidence = keyword.get(item, 0.0)
        if item in unseen:
            lent = max(unseen_share * meaning[item], (borrowed or {}).get(item, 0.0))
            evidence = max(evidence, lent)
        scores[item] = meaning[item] + weight * evidence
    for item, _ in lexical:
        stand_in = keyword[item] if item in unembedded else 0.0
        scores.setdefault(item, stand_in + weight * keyword[item])
    return sorted(scores.items(), key=lambda pair: -pair[1])

"""The language subspace: its basis, the projection, and when a stored one is stale."""

from __future__ import annotations

import numpy as np
import pytest

from xlsearch.rank import balance
from xlsearch.rank.balance import (
    MIN_LANGUAGE_CHUNKS,
    LanguageSubspace,
    is_current,
    language_subspace,
)
from xlsearch.rank.policy import POLICY


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_the_basis_spans_the_language_means() -> None:
    # English vectors lean on axis 0, Nepali ones on axis 1; both share axis 2 (meaning).
    n = MIN_LANGUAGE_CHUNKS
    english = [_unit(1, 0, 1)] * n
    nepali = [_unit(0, 1, 1)] * n
    subspace = language_subspace(np.array(english + nepali), ["en"] * n + ["ne"] * n)
    assert subspace is not None
    assert subspace.basis.shape == (2, 3)
    assert subspace.counts == {"en": n, "ne": n}
    # Orthonormal rows whose span holds both means.
    assert subspace.basis @ subspace.basis.T == pytest.approx(np.eye(2))
    for mean in (_unit(1, 0, 1), _unit(0, 1, 1)):
        assert np.linalg.norm(subspace.basis.T @ (subspace.basis @ mean)) == pytest.approx(1)


def test_projection_removes_the_language_offset() -> None:
    # Basis: axis 0 (language). The query and the English passage share it; the Nepali
    # passage lacks it. Its cosine rises from 0.36 to 0.6 once axis 0 is gone.
    subspace = LanguageSubspace(np.array([[1.0, 0.0, 0.0]]), {"en": 20, "ne": 20})
    query = _unit(0.8, 0.6, 0)
    passages = np.array([_unit(0.8, 0.6, 0), _unit(0, 0.6, 0.8)])
    assert passages @ query == pytest.approx([1.0, 0.36])
    # Projected: query -> (0, 1, 0); passages -> (0, 1, 0) and (0, 0.6, 0.8).
    assert subspace.cosines(query, passages, 1.0) == pytest.approx([1.0, 0.6])
    assert np.linalg.norm(subspace.project(passages, 1.0), axis=1) == pytest.approx([1, 1])
    assert subspace.project(np.array([1.0, 0, 0]), 1.0)[0] == pytest.approx([0, 0, 0])


def test_the_shipped_share_removes_part_of_the_offset() -> None:
    # With 0.6 of axis 0 removed the query keeps 0.32 of it: the Nepali passage's
    # cosine lands between the plain 0.36 and the full removal's 0.6.
    subspace = LanguageSubspace(np.array([[1.0, 0.0, 0.0]]), {"en": 20, "ne": 20})
    query = _unit(0.8, 0.6, 0)
    nepali = _unit(0, 0.6, 0.8)
    share = POLICY.removed_share
    expected = 0.36 / np.hypot(0.8 * (1 - share), 0.6)
    assert subspace.cosines(query, nepali[None])[0] == pytest.approx(expected)
    assert 0.36 < expected < 0.6


def test_the_graph_query_gives_each_cosine_up_to_the_passage_length() -> None:
    rng = np.random.default_rng(3)
    n = MIN_LANGUAGE_CHUNKS
    offsets = np.zeros((2 * n, 8))
    offsets[:n, 0], offsets[n:, 1] = 2.0, 2.0
    vectors = rng.standard_normal((2 * n, 8)) + offsets
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    subspace = language_subspace(vectors, ["en"] * n + ["ne"] * n)
    assert subspace is not None
    lengths = np.linalg.norm(subspace.remove(vectors), axis=1)
    assert subspace.shortest == pytest.approx(lengths.min())
    query = vectors[0]
    numerators = vectors @ subspace.graph_query(query)
    assert numerators / lengths == pytest.approx(subspace.cosines(query, vectors))
    # No vector's cosine exceeds the ceiling its numerator allows.
    ceilings = np.array([subspace.ceiling(float(x)) for x in numerators])
    assert np.all(subspace.cosines(query, vectors) <= ceilings + 1e-12)
    _, back = LanguageSubspace.from_json(subspace.to_json("e5"))
    assert back.shortest == pytest.approx(subspace.shortest)
    # At another share the shortest length follows from the measured one.
    for share in (0.3, 1.0):
        lengths = np.linalg.norm(subspace.remove(vectors, share), axis=1)
        assert subspace.shortest_at(share) == pytest.approx(lengths.min())


def test_one_big_language_has_nothing_to_remove() -> None:
    n = MIN_LANGUAGE_CHUNKS
    vectors = np.array([_unit(1, 0, 1)] * n + [_unit(0, 1, 1)] * (n - 1))
    assert language_subspace(vectors, ["en"] * n + ["ne"] * (n - 1)) is None


def test_a_stored_subspace_round_trips_and_goes_stale() -> None:
    subspace = LanguageSubspace(np.array([[0.6, 0.8]]), {"en": 100, "ne": 50})
    model, back = LanguageSubspace.from_json(subspace.to_json("e5"))
    assert model == "e5"
    assert back.counts == subspace.counts
    assert back.basis == pytest.approx(subspace.basis)
    assert is_current(back.counts, {"en": 110, "ne": 45, "other": 3})
    assert not is_current(back.counts, {"en": 111, "ne": 50})  # 11% more English
    assert not is_current(back.counts, {"en": 100, "ne": 50, "hi": 30})  # a new language


def test_a_lower_crowd_is_lifted_part_of_the_way_to_the_highest() -> None:
    # English: a crowd of near misses at 0.6; Nepali: a clear answer (0.5) over a crowd
    # at 0.3. Nepali is raised by half the 0.3 gap, English not at all.
    rank = POLICY.crowd_rank
    english = [0.7] + [0.6] * rank
    nepali = [0.5] + [0.3] * rank
    scores = np.array(english + nepali)
    langs = ["en"] * len(english) + ["ne"] * len(nepali)
    lifts = balance.crowd_lifts(scores, langs, {"en", "ne"})
    gap = POLICY.crowd_weight * (0.6 - 0.3)
    assert lifts == pytest.approx([0.0] * len(english) + [gap] * len(nepali))
    lifted = scores + lifts
    # The Nepali answer now stands above the English crowd, but not above English's best.
    assert 0.6 < lifted[len(english)] < 0.7


def test_crowds_need_two_measured_languages_and_a_thin_one_counts_from_the_floor() -> None:
    rank = POLICY.crowd_rank
    scores = np.array([0.9] + [0.8] * rank + [0.5, 0.2])
    langs = ["en"] * (rank + 1) + ["ne", "hi"]
    # "hi" is not measured (too few chunks for the subspace): it is left where it is.
    # "ne" has one candidate only: its crowd is at most the lowest score, 0.2.
    lifts = balance.crowd_lifts(scores, langs, {"en", "ne"})
    assert lifts[-2] == pytest.approx(POLICY.crowd_weight * (0.8 - 0.2))
    assert lifts[-1] == 0.0
    assert not lifts[: rank + 1].any()
    # One measured language present: nothing to balance against.
    assert not balance.crowd_lifts(scores, langs, {"en"}).any()
    assert balance.crowd_lifts(np.array([]), [], {"en", "ne"}).shape == (0,)

"""The language subspace of an index, against a multilingual model's language bias.

A multilingual embedding model rates a passage in the query's own language higher than
one in another language that says the same thing: with multilingual-e5-small an English
question's best Nepali match typically scores below dozens of loosely related English
passages. Much of that offset lives in a few directions that say which language a text
is in, not what it says. Each language's mean vector points along them (Libovický et
al. 2020), and the span of the languages' means is a low-rank language subspace (Xie
et al. 2022). Removing that span from the query and the passages before comparing them
takes the language's identity out of the cosine while keeping within-language order
almost intact, so no language's best is lifted unless it is close in meaning.

Removing the subspace evens out the offset that is the same for every query; what is
left varies from query to query. Each language's crowd of loosely related passages
stands at its own height for a given question, and a language's best passage is a real
answer when it stands out of that crowd, not merely when it is its language's best. So
after the subspace, every language's scores are raised by part of the gap between its
crowd and the highest crowd (``crowd_lifts``): the answer in the other language comes
up to where the query's own language's near misses stand, and no further.

The subspace is a property of the user's own index: it is computed from the stored
vectors when indexing ends and kept in the store's meta table, keyed by the model and
the languages' chunk counts it was measured on.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

from xlsearch.rank.policy import POLICY
from xlsearch.store.base import SUBSPACE_KEY
from xlsearch.store.db import Store

MIN_LANGUAGE_CHUNKS = 20
"""A language needs this many chunks for its mean to count; rarer ones are left alone."""
STALE_SHARE = 0.1
"""A stored subspace is remeasured once a language's chunk count moved by this share."""


@dataclass(frozen=True)
class LanguageSubspace:
    """An orthonormal basis (rows) of the span of the index's language mean vectors."""

    basis: np.ndarray
    counts: dict[str, int]
    shortest: float = 0.0
    """The shortest |r(v)| of the vectors it was measured on (0: unknown)."""

    def remove(self, vectors: np.ndarray, share: float = POLICY.removed_share) -> np.ndarray:
        """r(v) = v - s Bᵀ B v for each row: ``share`` (s, the policy's
        ``removed_share``) of its part in the subspace taken away."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        rest: np.ndarray = rows - share * (rows @ self.basis.T) @ self.basis
        return rest

    def project(self, vectors: np.ndarray, share: float = POLICY.removed_share) -> np.ndarray:
        """r(v) / |r(v)| for each row of ``vectors``; at s = 1 a row lying wholly in the
        subspace stays 0."""
        rest = self.remove(vectors, share)
        norms = np.linalg.norm(rest, axis=1, keepdims=True)
        projected: np.ndarray = rest / np.where(norms > 0, norms, 1.0)
        return projected

    def cosines(
        self, query: np.ndarray, vectors: np.ndarray, share: float = POLICY.removed_share
    ) -> np.ndarray:
        """Cosine of the projected query with each projected row of ``vectors``."""
        scores: np.ndarray = self.project(vectors, share) @ self.project(query, share)[0]
        return scores

    def graph_query(self, query: np.ndarray, share: float = POLICY.removed_share) -> np.ndarray:
        """g with g · v = p(q) · r(v) for every vector v (r is symmetric): searching
        the plain vectors' graph with g orders them by the numerator of their cosine,
        which only their own |r(v)| (between ``shortest`` and 1) then reorders."""
        graph: np.ndarray = self.remove(self.project(query, share), share)[0]
        return graph

    def ceiling(self, numerator: float, share: float = POLICY.removed_share) -> float:
        """The highest cosine a vector whose g · v is ``numerator`` can have."""
        shortest = self.shortest_at(share)
        if numerator <= 0 or shortest <= 0:
            return numerator if numerator <= 0 else float("inf")
        return numerator / shortest

    def shortest_at(self, share: float) -> float:
        """The shortest |r(v)| at ``share``, from ``shortest`` (measured at the shipped
        share s0): for unit v, |r(v)|² = 1 - (2s - s²)|Bv|², so the longest |Bv|² is
        (1 - shortest²) / (2s0 - s0²)."""
        measured = POLICY.removed_share
        if share == measured or self.shortest <= 0:
            return self.shortest
        part = (1.0 - self.shortest**2) / (2 * measured - measured**2)
        return float(np.sqrt(max(0.0, 1.0 - (2 * share - share**2) * part)))

    def to_json(self, model: str) -> str:
        basis = np.ascontiguousarray(self.basis, dtype=np.float32)
        return json.dumps(
            {
                "model": model,
                "counts": self.counts,
                "shape": list(basis.shape),
                "shortest": self.shortest,
                "basis": base64.b64encode(basis.tobytes()).decode("ascii"),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> tuple[str, LanguageSubspace]:
        """(model, subspace) from :meth:`to_json`'s text."""
        data = json.loads(text)
        raw = np.frombuffer(base64.b64decode(data["basis"]), dtype=np.float32)
        basis = raw.reshape(data["shape"]).astype(np.float64)
        counts = {str(k): int(v) for k, v in data["counts"].items()}
        return str(data["model"]), cls(basis, counts, float(data.get("shortest", 0.0)))


def crowd_lifts(
    scores: np.ndarray,
    languages: Sequence[str],
    measured: Collection[str],
    rank: int = POLICY.crowd_rank,
    weight: float = POLICY.crowd_weight,
) -> np.ndarray:
    """What to add to each of one query's candidate ``scores`` (best candidates of the
    index, any order; ``languages[i]`` is candidate i's), so each ``measured`` language's
    crowd stands nearer the highest one: ``weight`` × (highest crowd − its crowd).

    A language's crowd is its ``rank``-th best score among the candidates; with
    fewer candidates than that, the lowest candidate score stands in (the candidates
    are the best passages, so its crowd is no higher). A language not ``measured`` (too
    few chunks for the subspace) is left where it is.
    """
    tags = np.asarray(languages)
    crowds: dict[str, float] = {}
    floor = float(scores.min()) if len(scores) else 0.0
    for lang in set(languages) & set(measured):
        own = np.sort(scores[tags == lang])[::-1]
        crowds[lang] = float(own[rank - 1]) if len(own) >= rank else floor
    lifts = np.zeros(len(scores))
    if len(crowds) < 2:
        return lifts
    highest = max(crowds.values())
    for lang, crowd in crowds.items():
        lifts[tags == lang] = weight * (highest - crowd)
    return lifts


def language_subspace(vectors: np.ndarray, langs: list[str]) -> LanguageSubspace | None:
    """The span of the mean vector of every language with ``MIN_LANGUAGE_CHUNKS`` rows.

    ``langs[i]`` is the language of ``vectors[i]``. The basis comes from the SVD of the
    stacked means (directions with singular value under 1e-6 of the largest dropped).
    None when fewer than two languages are big enough: with one there is no language
    offset to remove.
    """
    counts: dict[str, int] = {}
    for lang in langs:
        counts[lang] = counts.get(lang, 0) + 1
    big = sorted(lang for lang, n in counts.items() if n >= MIN_LANGUAGE_CHUNKS)
    if len(big) < 2:
        return None
    tags = np.asarray(langs)
    matrix = np.asarray(vectors, dtype=np.float64)
    means = np.stack([matrix[tags == lang].mean(axis=0) for lang in big])
    _, singular, rows = np.linalg.svd(means, full_matrices=False)
    keep = singular > singular[0] * 1e-6
    subspace = LanguageSubspace(rows[keep], {lang: counts[lang] for lang in big})
    shortest = float(np.linalg.norm(subspace.remove(matrix), axis=1).min())
    return LanguageSubspace(subspace.basis, subspace.counts, shortest)


def measure(store: Store, model: str) -> LanguageSubspace | None:
    """The language subspace of ``model``'s vectors in ``store``, measured now."""
    ids, matrix = store.vectors(model)
    if len(ids) == 0:
        return None
    languages = store.chunk_languages([int(i) for i in ids])
    return language_subspace(matrix, [languages.get(int(i), "other") for i in ids])


def record(store: Store, model: str) -> None:
    """Measure the subspace and keep it in the store's meta (when indexing ends)."""
    subspace = measure(store, model)
    store.set_meta(SUBSPACE_KEY, "" if subspace is None else subspace.to_json(model))


def is_current(counts: dict[str, int], languages: dict[str, int]) -> bool:
    """Whether a subspace measured on ``counts`` still fits the index's ``languages``:
    the same big languages, each count within ``STALE_SHARE`` of the measured one."""
    big = {lang for lang, n in languages.items() if n >= MIN_LANGUAGE_CHUNKS}
    if big != set(counts):
        return False
    return all(abs(languages[lang] - n) <= STALE_SHARE * n for lang, n in counts.items())


def stored(store: Store, model: str) -> LanguageSubspace | None:
    """The recorded subspace when it was measured for ``model`` and is still current."""
    text = store.get_meta(SUBSPACE_KEY)
    if not text:
        return None
    made_for, subspace = LanguageSubspace.from_json(text)
    if made_for != model or not is_current(subspace.counts, store.languages()):
        return None
    return subspace


_CURRENT: WeakKeyDictionary[Store, dict[str, tuple[int, LanguageSubspace | None]]] = (
    WeakKeyDictionary()
)
"""Per open store and model: the vectors version a subspace was chosen at, and it."""


def current(store: Store, model: str, version: int | None = None) -> LanguageSubspace | None:
    """The subspace to search with: None for an index with under two big languages,
    else the stored one, else one measured now and kept in memory until it goes stale
    (a search never writes the store; indexing records a fresh one when it ends).

    The choice is remembered per store until its vectors change (``vectors_version``):
    counting an index's languages costs tens of milliseconds at 100,000 chunks, which
    no query should pay, and only a change of vectors can move the subspace. A caller
    that read ``version`` already passes it, saving a round trip.
    """
    version = store.vectors_version() if version is None else version
    known = _CURRENT.setdefault(store, {})
    if model in known and known[model][0] == version:
        return known[model][1]
    previous = known[model][1] if model in known else None
    languages = store.languages()
    chosen: LanguageSubspace | None = None
    if sum(n >= MIN_LANGUAGE_CHUNKS for n in languages.values()) >= 2:
        chosen = stored(store, model)
        if chosen is None and previous is not None and is_current(previous.counts, languages):
            chosen = previous
        if chosen is None:
            chosen = measure(store, model)
    known[model] = (version, chosen)
    return chosen

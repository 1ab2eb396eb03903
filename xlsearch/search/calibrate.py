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

The subspace is a property of the user's own index: it is computed from the stored
vectors when indexing ends and kept in the store's meta table, keyed by the model and
the languages' chunk counts it was measured on.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

import numpy as np

from xlsearch.store.db import Store

MIN_LANGUAGE_CHUNKS = 20
"""A language needs this many chunks for its mean to count; rarer ones are left alone."""
STALE_SHARE = 0.1
"""A stored subspace is remeasured once a language's chunk count moved by this share."""
META_KEY = "language_subspace"


@dataclass(frozen=True)
class LanguageSubspace:
    """An orthonormal basis (rows) of the span of the index's language mean vectors."""

    basis: np.ndarray
    counts: dict[str, int]

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """Rows of ``vectors`` with the subspace removed, scaled back to unit length.

        p(v) = (v - Bᵀ B v) / |v - Bᵀ B v|; a row lying wholly in the subspace stays 0.
        """
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float64))
        rest = rows - (rows @ self.basis.T) @ self.basis
        norms = np.linalg.norm(rest, axis=1, keepdims=True)
        projected: np.ndarray = rest / np.where(norms > 0, norms, 1.0)
        return projected

    def cosines(self, query: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """Cosine of the projected query with each projected row of ``vectors``."""
        scores: np.ndarray = self.project(vectors) @ self.project(query)[0]
        return scores

    def to_json(self, model: str) -> str:
        basis = np.ascontiguousarray(self.basis, dtype=np.float32)
        return json.dumps(
            {
                "model": model,
                "counts": self.counts,
                "shape": list(basis.shape),
                "basis": base64.b64encode(basis.tobytes()).decode("ascii"),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> tuple[str, LanguageSubspace]:
        """(model, subspace) from :meth:`to_json`'s text."""
        data = json.loads(text)
        raw = np.frombuffer(base64.b64decode(data["basis"]), dtype=np.float32)
        basis = raw.reshape(data["shape"]).astype(np.float64)
        return str(data["model"]), cls(basis, {str(k): int(v) for k, v in data["counts"].items()})


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
    return LanguageSubspace(rows[keep], {lang: counts[lang] for lang in big})


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
    store.set_meta(META_KEY, "" if subspace is None else subspace.to_json(model))


def is_current(counts: dict[str, int], languages: dict[str, int]) -> bool:
    """Whether a subspace measured on ``counts`` still fits the index's ``languages``:
    the same big languages, each count within ``STALE_SHARE`` of the measured one."""
    big = {lang for lang, n in languages.items() if n >= MIN_LANGUAGE_CHUNKS}
    if big != set(counts):
        return False
    return all(abs(languages[lang] - n) <= STALE_SHARE * n for lang, n in counts.items())


def stored(store: Store, model: str) -> LanguageSubspace | None:
    """The recorded subspace when it was measured for ``model`` and is still current."""
    text = store.get_meta(META_KEY)
    if not text:
        return None
    made_for, subspace = LanguageSubspace.from_json(text)
    if made_for != model or not is_current(subspace.counts, store.languages()):
        return None
    return subspace


_MEASURED: dict[tuple[str, str], LanguageSubspace] = {}
"""Subspaces measured at search time (the stored one was stale), per (database, model)."""


def current(store: Store, model: str) -> LanguageSubspace | None:
    """The subspace to search with: None for an index with under two big languages,
    else the stored one, else one measured now and kept in memory until it goes stale
    (a search never writes the store; indexing records a fresh one when it ends)."""
    languages = store.languages()
    if sum(n >= MIN_LANGUAGE_CHUNKS for n in languages.values()) < 2:
        return None
    found = stored(store, model)
    if found is not None:
        return found
    key = (str(store.path), model)
    cached = _MEASURED.get(key)
    if cached is None or not is_current(cached.counts, languages):
        cached = measure(store, model)
        if cached is None:
            return None
        _MEASURED[key] = cached
    return cached

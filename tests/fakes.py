"""A tiny deterministic embedder for tests whose behaviour does not depend on a model.

Bag of hashed words, L2-normalised: texts sharing words are similar. It lets tests of
indexing mechanics (hostile files, incremental runs, forgetting) run in seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pytest

from xlsearch.models.base import normalise_rows
from xlsearch.text import words


class HashEmbedder:
    dimension = 64
    max_tokens = 512

    def __init__(self, model_id: str) -> None:
        self.model_id = model_id

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                out[row, hashlib.md5(word.encode()).digest()[0] % self.dimension] += 1.0
            out[row, 0] += 1e-3  # no all-zero rows
        return normalise_rows(out)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def count_tokens(self, text: str) -> int:
        return 2 * len(words(text)) + 1


def use_hash_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every Engine in this test embed with HashEmbedder."""
    import xlsearch.engine as engine_module

    monkeypatch.setattr(engine_module, "document_embedder", lambda name, home: HashEmbedder(name))
    monkeypatch.setattr(engine_module, "query_embedder", lambda name, home: HashEmbedder(name))


def install_hash_embedder() -> None:
    """Like ``use_hash_embedder`` for a child process of a test (no monkeypatch there)."""
    import xlsearch.engine as engine_module

    engine_module.document_embedder = lambda name, home: HashEmbedder(name)  # type: ignore[attr-defined]
    engine_module.query_embedder = lambda name, home: HashEmbedder(name)  # type: ignore[attr-defined]

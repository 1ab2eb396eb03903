"""A tiny deterministic embedder for tests whose behaviour does not depend on a model.

Bag of hashed words, L2-normalised: texts sharing words are similar. It lets tests of
indexing mechanics (hostile files, incremental runs, forgetting) run in seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from xlsearch.embed.base import normalise_rows
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


def fake_encoder(name: str, home: Path, settings: object, step: object = None) -> str:
    """The encoder a fake embedder stands for: the reference, decided without building."""
    return "torch-fp32"


def use_hash_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every Engine in this test embed with HashEmbedder."""
    import xlsearch.embed.loaded as loaded_module

    monkeypatch.setattr(loaded_module, "document_encoder", fake_encoder)
    monkeypatch.setattr(
        loaded_module, "document_embedder", lambda name, home, *_: HashEmbedder(name)
    )
    monkeypatch.setattr(loaded_module, "query_embedder", lambda name, home: HashEmbedder(name))


class CountingEmbedder:
    """Wraps an embedder and counts the texts it is asked to encode, by kind."""

    def __init__(self, inner: HashEmbedder) -> None:
        self.inner = inner
        self.documents = 0
        self.queries = 0
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens
        self.query_prefix = "query: "
        self.document_prefix = "passage: "

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.queries += len(texts)
        return self.inner.encode_queries(texts)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        self.documents += len(texts)
        return self.inner.encode_documents(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def use_counting_embedder(monkeypatch: pytest.MonkeyPatch, model_id: str) -> CountingEmbedder:
    """Make every Engine in this test embed with one CountingEmbedder over HashEmbedder."""
    import xlsearch.embed.loaded as loaded_module

    counter = CountingEmbedder(HashEmbedder(model_id))
    monkeypatch.setattr(loaded_module, "document_encoder", fake_encoder)
    monkeypatch.setattr(loaded_module, "document_embedder", lambda name, home, *_: counter)
    monkeypatch.setattr(loaded_module, "query_embedder", lambda name, home: counter)
    return counter


def install_hash_embedder() -> None:
    """Like ``use_hash_embedder`` for a child process of a test (no monkeypatch there)."""
    import xlsearch.embed.loaded as loaded_module

    loaded_module.document_encoder = fake_encoder  # type: ignore[attr-defined]
    loaded_module.document_embedder = lambda name, home, *_: HashEmbedder(name)  # type: ignore[attr-defined]
    loaded_module.query_embedder = lambda name, home: HashEmbedder(name)  # type: ignore[attr-defined]

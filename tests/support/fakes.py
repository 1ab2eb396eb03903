"""Test doubles for the embedder: every Engine in a test embeds with the hash embedder
(``benchmarks/corpora/hash_embedder.py``), or with a wrapper that counts what it encodes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from benchmarks.corpora.hash_embedder import HashEmbedder, fake_encoder


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


class EnglishOnlyIndex:
    """The vocabulary of an index of English documents only (romanize.Vocabulary): no
    Devanagari word, and these English keyword terms."""

    def __init__(self, english: frozenset[str] | set[str] = frozenset()) -> None:
        self.english = frozenset(english)

    def words_by_key(
        self, keys: list[str], starting: str | None = None
    ) -> list[tuple[str, str, int, str | None]]:
        return []

    def term_documents(self, terms: list[str]) -> dict[str, int]:
        return {t: 2 for t in terms if t in self.english}

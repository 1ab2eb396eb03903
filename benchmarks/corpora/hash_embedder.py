"""A tiny deterministic embedder, for tests and benchmarks whose behaviour does not depend on a
model, and for their child processes.

Bag of hashed words, L2-normalised: texts sharing words are similar. It lets runs of
indexing mechanics (hostile files, incremental runs, forgetting) take seconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

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


def install_hash_embedder() -> None:
    """Make every Engine in this process embed with HashEmbedder: for child processes of
    tests and benchmarks (tests use ``tests.support.fakes.use_hash_embedder``)."""
    import xlsearch.embed.loaded as loaded_module

    loaded_module.document_encoder = fake_encoder  # type: ignore[attr-defined]
    loaded_module.document_embedder = lambda name, home, *_: HashEmbedder(name)  # type: ignore[attr-defined]
    loaded_module.query_embedder = lambda name, home: HashEmbedder(name)  # type: ignore[attr-defined]

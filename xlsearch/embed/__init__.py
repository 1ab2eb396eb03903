"""Embedding: the embedder interface, the bundled multilingual e5 (query and document
encoders, the quality gate for fast ones), the English baseline, any local sentence-transformers
model, and the fill that embeds stored passages (``fill``)."""

from xlsearch.embed.base import Embedder
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.embed.registry import (
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

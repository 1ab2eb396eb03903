"""SQLite, the source of truth: documents, chunks, embeddings and the keyword index."""

from xlsearch.store.db import ChunkRow, DocumentRow, Store

__all__ = ["ChunkRow", "DocumentRow", "Store"]

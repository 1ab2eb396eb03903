"""Is an index whole? The checks the fault and concurrency runs make after every run.

``problems(home)`` lists, in words, everything wrong with the index in ``home``:
SQLite's integrity check, a path stored twice, chunks without a document or an
embedding (or the other way round), keyword rows without a chunk, and an HNSW file
whose ids or vectors differ from what SQLite holds. An empty list means whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

_ORPHANS = {
    "chunks without a document": "SELECT count(*) FROM chunks WHERE document_id NOT IN"
    " (SELECT id FROM documents)",
    "embeddings without a chunk": "SELECT count(*) FROM embeddings WHERE chunk_id NOT IN"
    " (SELECT id FROM chunks)",
    "chunks without an embedding": "SELECT count(*) FROM chunks WHERE id NOT IN"
    " (SELECT chunk_id FROM embeddings)",
    "keyword rows without a chunk": "SELECT count(*) FROM chunks_fts WHERE rowid NOT IN"
    " (SELECT id FROM chunks)",
    "chunks without keyword rows": "SELECT count(*) FROM chunks WHERE id NOT IN"
    " (SELECT rowid FROM chunks_fts)",
    "paths stored twice": "SELECT count(*) - count(DISTINCT path) FROM documents",
    "indexed documents without chunks": "SELECT count(*) FROM documents WHERE status = 'indexed'"
    " AND id NOT IN (SELECT document_id FROM chunks)",
}


def problems(home: Path) -> list[str]:
    """What is wrong with the index in ``home`` (empty when it is whole)."""
    found: list[str] = []
    with sqlite3.connect(home / "index.db") as conn:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            found.append(f"integrity_check: {check[:3]}")
        for what, sql in _ORPHANS.items():
            count = int(conn.execute(sql).fetchone()[0])
            if count:
                found.append(f"{count} {what}")
    found += hnsw_problems(home)
    return found


def hnsw_problems(home: Path) -> list[str]:
    """Differences between the saved HNSW index and the store's vectors."""
    from xlsearch.store.ann import VectorIndex
    from xlsearch.store.db import Store

    store = Store(home / "index.db")
    try:
        model = store.get_meta("model")
        if model is None:
            return []
        index = VectorIndex(home / "vectors", model)
        manifest = index._read_manifest()
        if manifest is None:
            return ["no HNSW manifest"]
        if manifest.version != store.vectors_version():
            return [f"HNSW at version {manifest.version}, store at {store.vectors_version()}"]
        index._load(manifest)
        ids, matrix = store.vectors(model)
        if index._index is None:
            return ["HNSW file unreadable"]
        if {int(i) for i in ids} != index._ids:
            return [f"HNSW holds {len(index._ids)} ids, the store {len(ids)}"]
        if len(ids) and not np.allclose(index._index.get_items(ids.tolist()), matrix, atol=1e-5):
            return ["HNSW vectors differ from the store's"]
        return []
    finally:
        store.close()

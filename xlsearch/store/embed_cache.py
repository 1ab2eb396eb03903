"""Each text embedded once: vectors keyed by model and the hash of the exact encoder input.

A key is the sha256 of what the encoder reads, prefix included (``passage: `` + text for
e5), so a query and a passage with the same words never share a vector, and two models
never do. Nor do two encoders of one model: vectors that the float model under torch
made are filed under the model's name, those of any other encoder under
``model#encoder`` (``cache_name``), so an OpenVINO int8 vector is never served where
a torch one is wanted. Identical chunks within a file, across files, after a move or rename, and
across evaluation runs all resolve to one stored vector.

Two tiers: the index's own ``vector_cache`` table (in index.db, written in the same
transaction as the chunk vectors) and, optionally, a shared cache file that throwaway
state directories consult (the evaluation's scratch homes), so a second run of the same
data embeds nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch.store.db import Store

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np

CACHE_SCHEMA = """
    CREATE TABLE IF NOT EXISTS vector_cache (
        model TEXT NOT NULL,
        key TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, key)
    ) WITHOUT ROWID;
"""
"""The shared cache file's one table (same shape as the index's, made by m004)."""
LOOKUP_BATCH = 500  # keys per IN (...) query, under SQLite's variable limit
BACKFILLED = "vector_cache_backfilled:"  # meta key prefix, one per model


def cache_name(model: str, encoder: str) -> str:
    """What the cache files ``encoder``'s vectors of ``model`` under (the model alone for
    the reference encoder, torch fp32, as before encoders were recorded)."""
    return model if encoder == "torch-fp32" else f"{model}#{encoder}"


def text_key(prefix: str, text: str) -> str:
    """sha256 hex of the exact encoder input: ``prefix + text``."""
    return hashlib.sha256((prefix + text).encode("utf-8")).hexdigest()


def document_prefix(embedder: object) -> str:
    """The prefix the embedder puts before a passage (``""`` when it has none)."""
    return str(getattr(embedder, "document_prefix", "") or "")


def query_prefix(embedder: object) -> str:
    """The prefix the embedder puts before a query (``""`` when it has none)."""
    return str(getattr(embedder, "query_prefix", "") or "")


def _lookup(conn: sqlite3.Connection, model: str, keys: Sequence[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for start in range(0, len(keys), LOOKUP_BATCH):
        part = list(keys[start : start + LOOKUP_BATCH])
        marks = ",".join("?" * len(part))
        rows = conn.execute(
            f"SELECT key, vector FROM vector_cache WHERE model = ? AND key IN ({marks})",
            [model, *part],
        )
        found.update((str(k), bytes(v)) for k, v in rows)
    return found


def _insert(conn: sqlite3.Connection, model: str, items: Iterable[tuple[str, bytes]]) -> None:
    # Raw: vector_cache is WITHOUT ROWID, and sqlite-utils' insert_all(ignore=True) of a
    # single row that is already there looks that row up by rowid (and fails).
    conn.executemany(
        "INSERT OR IGNORE INTO vector_cache (model, key, vector) VALUES (?, ?, ?)",
        ((model, key, blob) for key, blob in items),
    )


def open_shared(path: Path) -> sqlite3.Connection:
    """The shared cache file, created on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.executescript(CACHE_SCHEMA)
    return conn


class VectorCache:
    """Lookups in the index's table, then the shared file; writes go to both.

    Writes to the index's table join the caller's transaction (so a vector lands with
    the chunks that use it); the shared file commits on its own.
    """

    def __init__(self, conn: sqlite3.Connection, shared: Path | None = None) -> None:
        self.conn = conn
        self.shared = open_shared(shared) if shared is not None else None

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()

    def get(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """Key -> float32 vector for the keys that are stored (either tier)."""
        import numpy as np

        unique = list(dict.fromkeys(keys))
        found = _lookup(self.conn, model, unique)
        if self.shared is not None:
            missing = [k for k in unique if k not in found]
            from_shared = _lookup(self.shared, model, missing)
            _insert(self.conn, model, from_shared.items())
            found.update(from_shared)
        return {k: np.frombuffer(v, dtype=np.float32) for k, v in found.items()}

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        import numpy as np

        blobs = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in vectors.items()]
        _insert(self.conn, model, blobs)
        if self.shared is not None:
            self.shared.execute("BEGIN IMMEDIATE")
            _insert(self.shared, model, blobs)
            self.shared.execute("COMMIT")


@dataclass
class Encoded:
    """Vectors for a list of texts, and how many the encoder had to compute."""

    vectors: np.ndarray  # (len(texts), dim) float32
    encoded: int  # distinct texts sent to the encoder
    reused: int  # texts answered from the cache or by an identical text in the batch
    seconds: float  # time spent in the encoder


def encode_through(
    cache: VectorCache,
    model: str,
    prefix: str,
    encode: Callable[[list[str]], np.ndarray],
    texts: Sequence[str],
) -> Encoded:
    """Vectors of ``texts``: stored ones reused, each distinct missing text encoded once.

    ``encode`` receives texts without the prefix (the embedder adds it); ``prefix`` is
    only for the key. New vectors are put in the cache before returning.
    """
    import numpy as np

    keys = [text_key(prefix, t) for t in texts]
    known = cache.get(model, keys)
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    seconds = 0.0
    if todo:
        started = time.perf_counter()
        fresh = encode(list(todo.values()))
        seconds = time.perf_counter() - started
        new = dict(zip(todo, np.asarray(fresh, dtype=np.float32), strict=True))
        cache.put(model, new)
        known.update(new)
    if not keys:
        return Encoded(np.zeros((0, 0), dtype=np.float32), 0, 0, 0.0)
    matrix = np.stack([known[k] for k in keys]).astype(np.float32, copy=False)
    return Encoded(matrix, len(todo), len(keys) - len(todo), seconds)


# -- carrying an existing index over ---------------------------------------------------
def backfill_pending(store: Store, model: str) -> bool:
    """Whether vectors stored before the cache existed still wait to be keyed."""
    if store.get_meta(BACKFILLED + model) is not None:
        return False
    return store.count_vectors(model) > 0


def backfill(store: Store, model: str, prefix: str) -> int:
    """Key every stored vector of ``model`` by its chunk's text (once per model), so an
    index built before the cache re-embeds nothing after a move or rename. Such vectors
    were all made by torch fp32 (filed under the model's name). Returns the vectors
    keyed."""
    if store.get_meta(BACKFILLED + model) is not None:
        return 0
    with store.transaction():
        rows = store.conn.execute(
            "SELECT c.text, e.vector FROM embeddings e JOIN chunks c ON c.id = e.chunk_id"
            " WHERE e.model = ? AND e.encoder = 'torch-fp32'",
            (model,),
        ).fetchall()
        _insert(store.conn, model, ((text_key(prefix, str(t)), bytes(v)) for t, v in rows))
        store.set_meta(BACKFILLED + model, "1")
    return len(rows)

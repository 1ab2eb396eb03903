"""The HNSW cache of chunk vectors (hnswlib, inner product on unit vectors = cosine).

It stores chunk ids and vectors only; text lives in SQLite, which is the source of
truth. The index is derived: a manifest (written last, atomically) names the model,
the dimension, the build settings, the store version it reflects and its files. When
the store has moved on, the index catches up by deleting and adding the difference,
and by updating vectors the store replaced (a switch of document encoder re-embeds
chunks in place; ``Store.vectors_replaced`` says when), or is rebuilt when many of
its vectors were deleted, the files are missing or unreadable.
Files carry the version in their name so a crash mid-save leaves the manifest
pointing at complete older files.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from xlsearch.store.ann_manifest import Manifest, manifest_path, read_manifest
from xlsearch.store.db import Store

# Above this share of deleted vectors a fresh graph is better. Added vectors never call
# for one: hnswlib builds a graph by adding, so adding to the one held is the same work
# minus what it holds (a renamed folder's copies are added, not the whole graph rebuilt).
REBUILD_SHARE = 0.3
EXACT_BELOW = 5000  # filtered searches over fewer ids than this are exact


class VectorIndex:
    """Nearest chunks by cosine, kept in step with one model's vectors in a Store."""

    def __init__(
        self,
        directory: Path,
        model: str,
        m: int = 16,
        ef_construction: int = 200,
        ef_search: int = 128,
    ) -> None:
        self.directory = directory
        self.model = model
        self.m = m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self._index: Any = None
        self._ids: set[int] = set()
        self._version = -1
        self._replaced = 0
        # Vectors already read back from the graph, by id: hnswlib copies each one out
        # under a lock (about 15 us a vector), and balanced meaning search re-reads the
        # same few hundred at every query of a session.
        self._read: dict[int, np.ndarray] = {}

    @property
    def manifest_path(self) -> Path:
        return manifest_path(self.directory, self.model)

    def __len__(self) -> int:
        return len(self._ids)

    # -- keeping in step --------------------------------------------------------------
    def sync(self, store: Store, save: bool = True, version: int | None = None) -> None:
        """Make the index reflect the store's current vectors for this model.

        With ``save=False`` a small catch-up stays in memory (searches during indexing
        would otherwise rewrite the file at every keystroke); a rebuild is always saved.
        A caller that read the store's ``version`` already passes it (one round trip
        less when the graph is current).
        """
        version = store.vectors_version() if version is None else version
        if self._index is not None and version == self._version:
            return
        manifest = self._read_manifest()
        if manifest is not None and self._index is None:
            self._load(manifest)
        # The graph in memory, not the manifest: another instance (an indexing run of
        # this process, or another process) may have saved the newer one meanwhile.
        if self._index is not None and self._version == version:
            return
        with store.snapshot():
            version = store.vectors_version()
            replaced = store.vectors_replaced()
            ids, matrix = store.vectors(self.model)
        rebuilt = self._index is None or not self._catch_up(ids, matrix)
        if rebuilt:
            self._build(ids, matrix)
        elif replaced != self._replaced:
            self._refresh(ids, matrix)
        self._version, self._replaced = version, replaced
        if save:
            self._save(version)
        elif rebuilt:
            self._save_if_possible(version)

    def _save_if_possible(self, version: int) -> None:
        """Save for the next process, unless the folder cannot be written (a read-only
        or full disk): a search must still be answered, from the graph in memory."""
        with contextlib.suppress(OSError):
            self._save(version)

    def _catch_up(self, ids: np.ndarray, matrix: np.ndarray) -> bool:
        wanted = {int(i) for i in ids}
        gone = self._ids - wanted
        new = wanted - self._ids
        if len(gone) > REBUILD_SHARE * max(len(wanted), 1) or (
            len(matrix) and matrix.shape[1] != self._index.dim
        ):
            return False
        for label in gone:
            self._index.mark_deleted(label)
            self._read.pop(label, None)
        if new:
            rows = np.isin(ids, np.fromiter(new, dtype=np.int64))
            needed = len(self._ids) - len(gone) + len(new)
            if needed > self._index.get_max_elements():
                self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
            self._index.add_items(matrix[rows], ids[rows], replace_deleted=True)
        self._ids = wanted
        return True

    def _refresh(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        """Give the graph the store's vector wherever the two differ (hnswlib updates
        an existing label in place)."""
        if not len(ids):
            return
        held = np.asarray(self._index.get_items(ids), dtype=np.float32)
        changed = np.any(np.abs(held - matrix) > 1e-6, axis=1)
        if changed.any():
            self._index.add_items(matrix[changed], ids[changed])
            for label in ids[changed]:
                self._read.pop(int(label), None)

    def _build(self, ids: np.ndarray, matrix: np.ndarray) -> None:
        import hnswlib

        dim = int(matrix.shape[1]) if len(matrix) else 1
        index = hnswlib.Index(space="ip", dim=dim)
        index.init_index(
            max_elements=max(len(ids), 16),
            M=self.m,
            ef_construction=self.ef_construction,
            allow_replace_deleted=True,
        )
        if len(ids):
            index.add_items(matrix, ids)
        index.set_ef(self.ef_search)
        self._index = index
        self._ids = {int(i) for i in ids}
        self._read = {}

    # -- files ------------------------------------------------------------------------
    def _read_manifest(self) -> Manifest | None:
        return read_manifest(self.directory, self.model)

    def _load(self, manifest: Manifest) -> None:
        import hnswlib

        try:
            ids = np.load(self.directory / manifest.ids_file)
            index = hnswlib.Index(space="ip", dim=manifest.dim)
            index.load_index(
                str(self.directory / manifest.index_file),
                max_elements=max(manifest.count, 16),
                allow_replace_deleted=True,
            )
        except (OSError, ValueError, RuntimeError):
            return  # unreadable: sync() rebuilds from the store
        index.set_ef(self.ef_search)  # hnswlib does not save ef with the index
        self._index = index
        self._read = {}
        self._ids = {int(i) for i in ids}
        self._version = manifest.version
        self._replaced = manifest.replaced

    def _save(self, version: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stem = self.manifest_path.stem
        index_file, ids_file = f"{stem}.v{version}.bin", f"{stem}.v{version}.ids.npy"
        # Unique temp names: the TUI may save from an indexing thread and a search thread.
        tmp = f".tmp{os.getpid()}-{threading.get_ident()}"
        self._index.save_index(str(self.directory / f"{index_file}{tmp}"))
        os.replace(self.directory / f"{index_file}{tmp}", self.directory / index_file)
        with open(self.directory / f"{ids_file}{tmp}", "wb") as handle:
            np.save(handle, np.fromiter(sorted(self._ids), dtype=np.int64))
        os.replace(self.directory / f"{ids_file}{tmp}", self.directory / ids_file)
        manifest = Manifest(
            self.model,
            int(self._index.dim),
            version,
            int(self._index.get_max_elements()),
            index_file,
            ids_file,
            self.m,
            self.ef_construction,
            self._replaced,
        )
        manifest_tmp = self.manifest_path.with_name(self.manifest_path.name + tmp)
        manifest_tmp.write_text(json.dumps(asdict(manifest), indent=1))
        os.replace(manifest_tmp, self.manifest_path)
        self._remove_old(index_file, ids_file)

    def _remove_old(self, *keep: str) -> None:
        stem = self.manifest_path.stem
        for path in self.directory.glob(f"{stem}.v*"):
            if path.name not in keep and path.name.endswith((".bin", ".ids.npy")):
                path.unlink(missing_ok=True)

    # -- querying ---------------------------------------------------------------------
    def search(
        self, vector: np.ndarray, k: int, allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Up to ``k`` (chunk id, cosine) pairs, best first, optionally only ``allowed`` ids."""
        live = len(self._ids) if allowed is None else len(self._ids & allowed)
        k = min(k, live)  # hnswlib fails when asked for more neighbours than it can find
        if self._index is None or k <= 0:
            return []
        self._index.set_ef(max(self.ef_search, k))
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        if allowed is not None and live <= EXACT_BELOW:
            return self._exact(query[0], sorted(self._ids & allowed), k)
        try:
            labels, distances = self._index.knn_query(
                query, k=k, filter=None if allowed is None else allowed.__contains__
            )
        except RuntimeError:  # a tight filter can starve the graph walk
            return self._exact(query[0], sorted(self._ids & (allowed or self._ids)), k)
        # hnswlib's "ip" distance is 1 - inner product.
        return [(int(lb), 1.0 - float(d)) for lb, d in zip(labels[0], distances[0], strict=True)]

    def indexed(self, ids: list[int]) -> list[int]:
        """Those of ``ids`` the graph holds, in order."""
        return [i for i in ids if i in self._ids]

    def items(self, ids: list[int]) -> np.ndarray:
        """The stored unit vectors of ``ids`` (all indexed), one row each."""
        if not ids:
            return np.zeros((0, self._index.dim if self._index is not None else 0), np.float32)
        missing = [i for i in ids if i not in self._read]
        if missing:
            rows = np.asarray(self._index.get_items(missing), dtype=np.float32)
            self._read.update(zip(missing, rows, strict=True))
        return np.stack([self._read[i] for i in ids])

    def _exact(self, query: np.ndarray, ids: list[int], k: int) -> list[tuple[int, float]]:
        """Brute-force cosine over a few ids, for filtered searches."""
        vectors = self.items(ids)
        scores = vectors @ query
        order = np.argsort(-scores, kind="stable")[:k]
        return [(ids[i], float(scores[i])) for i in order]

"""The HNSW cache: derived from the store, caught up, rebuilt, filtered, accurate."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from xlsearch.store.ann import VectorIndex
from xlsearch.store.db import NewDocument, Store
from xlsearch.types import Chunk

DIM = 16


def _add(store: Store, path: str, vectors: np.ndarray, lang: str = "en") -> None:
    chunks = [Chunk(f"chunk {i}", lang, i) for i in range(len(vectors))]
    doc = NewDocument(path, "/r", 1, 1.0, "h", "txt", chunks, ["x"] * len(chunks), vectors)
    with store.transaction():
        store.write_document(doc, "m")
        store.bump_vectors_version()


def _unit(rows: int, seed: int) -> np.ndarray:
    matrix = np.random.default_rng(seed).normal(size=(rows, DIM)).astype(np.float32)
    return np.asarray(matrix / np.linalg.norm(matrix, axis=1, keepdims=True), dtype=np.float32)


def _exact(store: Store, query: np.ndarray, k: int) -> list[int]:
    ids, matrix = store.vectors("m")
    return [int(ids[i]) for i in np.argsort(-(matrix @ query))[:k]]


def test_search_matches_exact_neighbours(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(500, 1))
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)
    recall = []
    for query in _unit(20, 2):
        got = [i for i, _ in index.search(query, 10)]
        recall.append(len(set(got) & set(_exact(store, query, 10))) / 10)
    assert np.mean(recall) >= 0.95


def test_catch_up_adds_and_removes_without_rebuild(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(100, 1))
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)
    _add(store, "/r/b", _unit(10, 3))
    with store.transaction():
        store.delete_documents(["/r/a"])
        store.bump_vectors_version()
    _add(store, "/r/c", _unit(100, 4))  # more than the graph held: needs a resize
    fresh = VectorIndex(tmp_path / "vec", "m")
    fresh.sync(store)
    ids, matrix = store.vectors("m")
    assert len(fresh) == len(ids) == 110
    top = fresh.search(matrix[5], 1)
    assert top[0][0] == int(ids[5])
    assert abs(top[0][1] - 1.0) < 1e-4


def test_items_read_back_stay_right_across_catch_ups_and_rebuilds(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(40, 1))
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)

    def matches_store() -> bool:
        ids, matrix = store.vectors("m")
        wanted = [int(i) for i in ids]
        return bool(np.allclose(index.items(wanted), matrix, atol=1e-6))

    assert matches_store() and matches_store()  # the second read comes from memory
    _add(store, "/r/b", _unit(5, 2))
    index.sync(store)  # a catch-up
    assert matches_store()
    with store.transaction():
        store.delete_documents(["/r/a"])
        store.bump_vectors_version()
    _add(store, "/r/c", _unit(60, 3))
    index.sync(store)  # most of it changed: a rebuild
    assert matches_store()


def test_a_graph_in_memory_catches_up_after_another_instance_saved(tmp_path: Path) -> None:
    # A search engine's index, then an indexing run's own instance saves the newer graph.
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(50, 1))
    searching = VectorIndex(tmp_path / "vec", "m")
    searching.sync(store, save=False)
    _add(store, "/r/b", _unit(5, 2))
    VectorIndex(tmp_path / "vec", "m").sync(store)
    searching.sync(store, save=False)
    ids, matrix = store.vectors("m")
    assert len(searching) == len(ids) == 55
    assert searching.search(matrix[-1], 1)[0][0] == int(ids[-1])


def test_ask_for_more_than_live_items(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(3, 1))
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)
    assert len(index.search(_unit(1, 2)[0], 50)) == 3


def test_filtered_search_returns_only_allowed_ids(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(200, 1))
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)
    allowed = set(store.vectors("m")[0][::7].tolist())
    got = index.search(_unit(1, 5)[0], 10, allowed)
    assert len(got) == 10
    assert {i for i, _ in got} <= allowed


def test_unreadable_or_missing_files_are_rebuilt(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(50, 1))
    VectorIndex(tmp_path / "vec", "m").sync(store)
    manifest = json.loads((tmp_path / "vec" / "m.json").read_text())
    (tmp_path / "vec" / manifest["index_file"]).write_bytes(b"garbage")
    index = VectorIndex(tmp_path / "vec", "m")
    index.sync(store)
    assert len(index.search(_unit(1, 2)[0], 5)) == 5
    (tmp_path / "vec" / "m.json").unlink()
    again = VectorIndex(tmp_path / "vec", "m")
    again.sync(store)
    assert len(again) == 50


def test_manifest_is_written_last_and_old_files_removed(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    _add(store, "/r/a", _unit(20, 1))
    VectorIndex(tmp_path / "vec", "m").sync(store)
    _add(store, "/r/b", _unit(2, 2))
    VectorIndex(tmp_path / "vec", "m").sync(store)
    manifest = json.loads((tmp_path / "vec" / "m.json").read_text())
    assert manifest["version"] == store.vectors_version()
    names = {p.name for p in (tmp_path / "vec").iterdir()}
    assert names == {"m.json", manifest["index_file"], manifest["ids_file"]}

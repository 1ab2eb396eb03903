"""The HNSW cache's manifest: which model, store version and files a saved graph holds.

Kept apart from :mod:`xlsearch.store.ann` (numpy, hnswlib) so that an indexing run that
changed no vector can ask whether the saved graph is in step with the store by reading
one small JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from xlsearch.store.base import StoreBase


@dataclass(frozen=True)
class Manifest:
    model: str
    dim: int
    version: int
    count: int
    index_file: str
    ids_file: str
    m: int
    ef_construction: int
    replaced: int = 0  # the store's vectors_replaced mark the graph reflects


def manifest_path(directory: Path, model: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
    return directory / f"{safe}.json"


def read_manifest(directory: Path, model: str) -> Manifest | None:
    """The saved graph's manifest for ``model``; None when there is none or it is unreadable."""
    try:
        manifest = Manifest(**json.loads(manifest_path(directory, model).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    return manifest if manifest.model == model else None


def in_step(directory: Path, model: str, store: StoreBase) -> bool:
    """Whether the saved graph reflects the store's vectors as they are now."""
    manifest = read_manifest(directory, model)
    return (
        manifest is not None
        and manifest.version == store.vectors_version()
        and manifest.replaced == store.vectors_replaced()
    )

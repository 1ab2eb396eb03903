"""Query heads: small trained maps applied to query vectors before meaning search.

A head is the light form of the seed method (arXiv 2408.10536): the encoder stays
frozen and only a low-rank correction of the query vector is learnt,
``q' = normalise(q + (q A) Bᵀ)``, from pairs the user has
(see :mod:`xlsearch.search.head_training`).
Passages are untouched, so a head needs no re-indexing and can be switched per search.
Heads live under ``<home>/heads/NAME/``: ``head.npz`` (A, B) and ``head.json`` (what
trained it). This module only loads and applies them: numpy, no torch on the query path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from xlsearch.errors import XlsearchError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def heads_dir(home: Path) -> Path:
    return home / "heads"


def check_name(name: str) -> str:
    """``name`` when it is a safe folder name (letters, digits, ``_.-``), else an error."""
    if not _NAME.match(name):
        raise XlsearchError(
            f"'{name}' is not a usable head name; use letters, digits, '_', '.' or '-'.",
            title="Bad head name",
        )
    return name


@dataclass(frozen=True)
class Head:
    """A low-rank query map ``q -> normalise(q + q A Bᵀ)`` for one embedding model."""

    down: np.ndarray  # A: dimension x rank
    up: np.ndarray  # B: dimension x rank
    model: str
    info: dict[str, Any] = field(default_factory=dict)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Mapped rows of ``vectors`` (one vector or a matrix), unit length, float32."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        mapped = rows + (rows @ self.down) @ self.up.T
        norms = np.linalg.norm(mapped, axis=1, keepdims=True)
        out: np.ndarray = (mapped / np.maximum(norms, 1e-12)).astype(np.float32)
        return out

    def save(self, home: Path, name: str) -> Path:
        """Write the head under ``<home>/heads/NAME`` and return that folder."""
        folder = heads_dir(home) / check_name(name)
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "head.npz", down=self.down, up=self.up)
        meta = {"model": self.model, **self.info}
        (folder / "head.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return folder


@dataclass(frozen=True)
class SavedHead:
    """A head on disk as its ``head.json`` describes it (the arrays are not read)."""

    name: str
    model: str
    arm: str  # "hybrid", "mono" or "cross" (xlsearch.search.head_training); empty when not recorded


def saved_heads(home: Path) -> list[SavedHead]:
    """The heads under ``<home>/heads``, by name. A folder without both files or with an
    unreadable ``head.json`` is left out: training may be writing it right now."""
    folder = heads_dir(home)
    found = []
    for child in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not _NAME.match(child.name) or not (child / "head.npz").is_file():
            continue
        try:
            meta = json.loads((child / "head.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict):
            model, arm = str(meta.get("model", "")), str(meta.get("arm", ""))
            found.append(SavedHead(child.name, model, arm))
    return found


def load_head(home: Path, name: str, model: str) -> Head:
    """The head ``name`` for ``model``; a clear error when it is missing or for another model."""
    folder = heads_dir(home) / check_name(name)
    if not (folder / "head.npz").is_file() or not (folder / "head.json").is_file():
        raise XlsearchError(
            f"No head named '{name}' in {heads_dir(home)}; train one with "
            f"'xlsearch train {name} --from PATH'.",
            title="Head not found",
        )
    meta = json.loads((folder / "head.json").read_text(encoding="utf-8"))
    if meta.get("model") != model:
        raise XlsearchError(
            f"Head '{name}' was trained for '{meta.get('model')}', not '{model}'; "
            "train it again for this index's model.",
            title="Head for another model",
        )
    with np.load(folder / "head.npz") as arrays:
        down, up = np.asarray(arrays["down"]), np.asarray(arrays["up"])
    return Head(down, up, model, {k: v for k, v in meta.items() if k != "model"})

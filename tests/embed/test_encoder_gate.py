"""The encoder quality gate's figures and limits, the per-vector encoder record in the
store, and the encoder settings; no model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xlsearch.config import load_settings
from xlsearch.embed.base import normalise_rows
from xlsearch.embed.encoder_gate import (
    Limits,
    Reference,
    ShippedText,
    judge,
    measure,
    shipped_text,
)
from xlsearch.errors import ConfigError
from xlsearch.eval.datasets import builtin_path
from xlsearch.store.db import NewDocument, Store
from xlsearch.store.embed_cache import cache_name
from xlsearch.types import Chunk

TEXT = ShippedText([], ["a", "b", "c"], ["qa", "qb"], {0: {0}, 1: {1}})


def _reference() -> Reference:
    passages = np.eye(3, 4, dtype=np.float32)
    queries = normalise_rows(np.array([[1, 0.1, 0, 0], [0.1, 1, 0, 0]], dtype=np.float32))
    return Reference(passages, queries)


def test_identical_vectors_pass_with_perfect_figures() -> None:
    reference = _reference()
    figures = judge(measure(reference, reference.passages.copy(), 0.5, TEXT), Limits())
    assert figures.passed
    assert (figures.mean_cosine, figures.min_cosine, figures.top1) == pytest.approx((1, 1, 1))
    assert figures.ndcg == pytest.approx(figures.ndcg_reference) == pytest.approx(1.0)
    assert figures.passages_per_second == pytest.approx(6.0)


def test_vectors_that_swap_the_best_passage_fail_on_every_count() -> None:
    reference = _reference()
    swapped = reference.passages[[1, 0, 2]]  # passage a now looks like b and back
    figures = judge(measure(reference, swapped, 1.0, TEXT), Limits())
    # Cosines: a.b' = 0, b.a' = 0, c.c' = 1 -> mean 1/3, min 0; both questions now
    # find the other passage first: top-1 0; nDCG@10 of rank 2 = 1/log2(3).
    assert figures.mean_cosine == pytest.approx(1 / 3)
    assert figures.top1 == 0.0
    assert figures.ndcg == pytest.approx(1 / np.log2(3))
    assert len(figures.failures) == 4


def test_a_small_disagreement_fails_only_the_limit_it_crosses() -> None:
    reference = _reference()
    nudged = normalise_rows(reference.passages + np.array([0, 0, 0, 0.12], dtype=np.float32))
    figures = judge(measure(reference, nudged, 1.0, TEXT), Limits())
    # cos = 1 / sqrt(1 + 0.12^2) = 0.99293 for every passage: under the mean limit only.
    assert figures.min_cosine == pytest.approx(1 / np.sqrt(1 + 0.12**2), abs=1e-6)
    assert figures.failures == [f"mean cosine < {Limits().mean_cosine}"]


def test_calibration_and_probe_are_disjoint_halves_of_the_shipped_topics() -> None:
    text = shipped_text(builtin_path())
    assert not set(text.calibration) & set(text.passages)
    assert len(text.calibration) + len(text.passages) == 420
    assert 150 <= len(text.calibration) <= 270  # about half, by topic hash
    assert text.queries and all(text.qrels[q] for q in range(len(text.queries)))
    assert shipped_text(builtin_path()).digest() == text.digest()


def test_the_store_lists_vectors_of_another_encoder_after_missing_ones(tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db")
    chunks = [Chunk(t, "en", i) for i, t in enumerate(["one", "two", "three"])]
    doc = NewDocument("/r/a.txt", "/r", 1, 1.0, "h", "txt", chunks, ["one", "two", "three"])
    with store.transaction():
        store.write_document(doc, "m")
    ids = sorted(store.chunk_ids("/r/a.txt").values())
    with store.transaction():
        store.write_vectors([(ids[0], np.ones(4)), (ids[1], np.ones(4))], "m", "torch-fp32")
    assert [c for c, _ in store.vector_todo()] == [ids[2]]
    assert [c for c, _ in store.vector_todo("openvino-int8")] == [ids[2], ids[0], ids[1]]
    assert [c for c, _ in store.vector_todo("torch-fp32")] == [ids[2]]
    replaced = store.vectors_replaced()
    with store.transaction():
        store.write_vectors([(ids[0], np.zeros(4))], "m", "openvino-int8")
    assert store.vectors_replaced() == replaced + 1
    assert store.encoders("m") == {"torch-fp32": 1, "openvino-int8": 1}
    store.close()


def test_the_cache_files_each_encoder_apart() -> None:
    assert cache_name("e5", "torch-fp32") == "e5"  # as before encoders were recorded
    assert cache_name("e5", "openvino-int8") == "e5#openvino-int8"


def test_encoder_settings_take_only_their_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLSEARCH_QUANTIZATION", "INT8-Weights")
    assert load_settings(None, document_encoder="openvino").quantization == "int8-weights"
    with pytest.raises(ConfigError, match="one of auto, torch, openvino"):
        load_settings(None, document_encoder="onnx")

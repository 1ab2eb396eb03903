"""The bundled e5 encoding passages under OpenVINO: 2-3 times torch's throughput on a CPU.

A variant folder (made by ``xlsearch.embed.openvino_build``) holds one OpenVINO IR
whose graph ends in masked mean pooling and L2 normalisation, so it returns finished
vectors, plus the float copy's ``tokenizer.json`` (the ``tokenizers`` library gives
the ids sentence-transformers gives). Texts are sorted by length before batching, as
sentence-transformers does, so a batch pads little; the vector of a text does not
depend on its batch (the attention mask hides the padding).

Threads: one inference stream (``NUM_STREAMS`` 1, latency hint) with as many threads
as this process may run on, as torch does, so the two never stack pools: only one
encoder is loaded at a time. Texts are read first and embedded after, so the
extraction reader child process mostly sleeps while the encoder runs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from xlsearch.embed.base import normalise_rows
from xlsearch.embed.nano import E5_MODEL_ID

BATCH = 32
MAX_TOKENS = 512
IR_NAME = "model.xml"
TOKENIZER = "tokenizer.json"
PAD_ID = 1  # XLM-R's <pad>; masked out, so any id would do


def cpu_threads() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def load_tokenizer(folder: Path) -> Any:
    """The fast tokenizer with truncation at the model's limit and no padding (batches
    are padded here, to their own longest text)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    return tokenizer


def pad_batch(ids: Sequence[Sequence[int]]) -> dict[str, np.ndarray]:
    """``input_ids`` and ``attention_mask`` (int64), right-padded to the longest row."""
    width = max(len(row) for row in ids)
    input_ids = np.full((len(ids), width), PAD_ID, dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return {"input_ids": input_ids, "attention_mask": mask}


class OpenVinoEmbedder:
    """multilingual-e5-small from an OpenVINO variant folder; 384 dimensions, 512 tokens.

    ``encoder`` names the runtime and quantisation (``openvino-int8``, ...): the store
    records it with every vector so vectors of two encoders never mix.
    """

    model_id = E5_MODEL_ID
    dimension = 384
    max_tokens = MAX_TOKENS
    query_prefix = "query: "
    document_prefix = "passage: "

    def __init__(self, folder: Path, encoder: str, precision: str = "f32") -> None:
        import openvino as ov

        self.encoder = encoder
        self._tokenizer = load_tokenizer(folder)
        config = {
            "INFERENCE_NUM_THREADS": cpu_threads(),
            "NUM_STREAMS": 1,
            "PERFORMANCE_HINT": "LATENCY",
            "INFERENCE_PRECISION_HINT": precision,
        }
        core = ov.Core()
        self._compiled: Any = core.compile_model(str(folder / IR_NAME), "CPU", config)
        self._request: Any = self._compiled.create_infer_request()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.query_prefix + t for t in texts])

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.document_prefix + t for t in texts])

    def count_tokens(self, text: str) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        ids = [e.ids for e in self._tokenizer.encode_batch(texts)]
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            result = self._request.infer(pad_batch([ids[i] for i in rows]))
            out[rows] = next(iter(result.values()))
        return normalise_rows(out)

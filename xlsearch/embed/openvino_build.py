"""Builds the OpenVINO variants of the bundled e5 from its float copy, once per machine.

``export`` converts the float32 BERT (``e5_convert``'s folder) straight from its torch
module, with masked mean pooling and L2 normalisation inside the graph, into an IR.
The int8 variants start from that IR:

- ``int8``: post-training quantisation (NNCF ``quantize``, transformer model type):
  weights and activations in int8, activation ranges measured on calibration texts;
- ``int8-weights``: weights only (NNCF ``compress_weights``, int8 asymmetric), no
  calibration; activations stay float.

Calibration texts come only from text shipped with xlsearch (the built-in benchmark's
passages, Nepali and English), never from the user's documents.

Why not sentence-transformers' ``backend="openvino"``: it needs optimum-intel, whose
releases pin a transformers range that excludes the one xlsearch pins (see
docs/encoders.md).
"""

from __future__ import annotations

import contextlib
import io
import logging
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from xlsearch.embed.openvino_encoder import IR_NAME, TOKENIZER, load_tokenizer, pad_batch

EXPORT_BATCH = 2  # rows in the example input; the axes are dynamic anyway


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Keep torch's tracer warnings and NNCF's tables and progress bars off the
    terminal of a person indexing (the manifest records what was done)."""
    logging.getLogger("nncf").setLevel(logging.ERROR)
    sink = io.StringIO()
    with (
        warnings.catch_warnings(),
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
    ):
        warnings.simplefilter("ignore")
        yield


def _pooled_module(float_dir: Path) -> Any:
    """The float copy's BERT with mean pooling and normalisation after it (torch)."""
    import torch
    from transformers import AutoModel

    bert = AutoModel.from_pretrained(str(float_dir), attn_implementation="eager")
    bert.eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed, p=2.0, dim=1)

    return Pooled().eval()


def export(float_dir: Path) -> Any:
    """The float model as an in-memory OpenVINO model (input ids and mask, dynamic
    batch and length; output one unit vector per row)."""
    import openvino as ov
    import torch

    module = _pooled_module(float_dir)
    example = pad_batch([[0, 6, 2], [0, 2]][:EXPORT_BATCH])
    inputs = {k: torch.from_numpy(v) for k, v in example.items()}
    shapes = [("input_ids", [-1, -1]), ("attention_mask", [-1, -1])]
    with torch.no_grad():
        model = ov.convert_model(module, example_input=inputs, input=shapes)
    return model


def calibration_batches(float_dir: Path, texts: Sequence[str], batch: int = 8) -> list[Any]:
    """Tokenised ``passage: `` inputs for NNCF, in padded batches of ``batch``."""
    tokenizer = load_tokenizer(float_dir)
    ids = [e.ids for e in tokenizer.encode_batch([f"passage: {t}" for t in texts])]
    return [pad_batch(ids[i : i + batch]) for i in range(0, len(ids), batch)]


def quantize(model: Any, batches: list[Any]) -> Any:
    """Post-training int8 quantisation of weights and activations."""
    import nncf

    dataset = nncf.Dataset(batches)
    return nncf.quantize(
        model,
        dataset,
        model_type=nncf.ModelType.TRANSFORMER,
        subset_size=len(batches),  # NNCF counts dataset items: batches, not texts
    )


def compress_weights(model: Any) -> Any:
    """Weights in int8 (asymmetric, per output channel), activations float."""
    import nncf

    return nncf.compress_weights(model, mode=nncf.CompressWeightsMode.INT8_ASYM)


def save(model: Any, float_dir: Path, dst: Path) -> Path:
    """Write the IR and the tokenizer to ``dst`` through a temporary folder, renamed
    into place at the end, so an interrupted build leaves no half-written variant."""
    import openvino as ov

    dst.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent))
    try:
        ov.save_model(model, str(work / IR_NAME), compress_to_fp16=False)
        shutil.copyfile(float_dir / TOKENIZER, work / TOKENIZER)
        if dst.exists():
            shutil.rmtree(dst)
        work.rename(dst)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return dst

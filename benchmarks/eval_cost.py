"""What an evaluation costs next to the embedding it cannot avoid, and a second run.

1. Embedding alone: load the models the systems need, then encode each distinct chunk
   of the dataset (chunked as the engine chunks it) with each model's document
   encoder and each distinct query with its query encoder, in batches.
2. ``run_eval`` on the same data with an empty vector cache: indexing, query
   embedding, every search of every system and direction, metrics, significance.
3. ``run_eval`` again: the shared vector cache answers every vector.

Targets: (2) <= 1.3x (1); (3) <= 0.3x (2). The temporary home shares the user's
prepared models (the float e5 copy is made once, not timed).

    python benchmarks/eval_cost.py [--max-queries N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from _common import row

from xlsearch import paths
from xlsearch.chunk.sections import chunk_sections
from xlsearch.config import Settings
from xlsearch.embed.registry import document_embedder, query_embedder
from xlsearch.eval.datasets import Dataset, directions
from xlsearch.eval.runner import load_datasets, run_eval, sample_queries
from xlsearch.eval.systems import DEFAULT_SYSTEMS, resolve_systems, time_spent
from xlsearch.search.query import analyse
from xlsearch.types import Section


def queries_of(ds: Dataset, max_queries: int | None) -> list[str]:
    """The distinct query texts the evaluation embeds (as the engine reads them)."""
    texts = []
    for _, _, part in directions(ds):
        for query in sample_queries(part, max_queries).queries.values():
            analysed = analyse(query.text)
            if analysed is not None:
                texts.append(analysed.text)
    return list(dict.fromkeys(texts))


def embedding_alone(ds: Dataset, max_queries: int | None, home: Path) -> tuple[float, float]:
    """(seconds loading the models, seconds encoding) for the default systems."""
    models = list(dict.fromkeys(s.model for s in resolve_systems(DEFAULT_SYSTEMS, None)))
    queries = queries_of(ds, max_queries)
    chunk_tokens = Settings().chunk_tokens
    load = encode = 0.0
    for model in models:
        started = time.perf_counter()
        documents, questions = document_embedder(model, home), query_embedder(model, home)
        load += time.perf_counter() - started
        chunks = [
            c.text
            for d in ds.docs.values()
            for c in chunk_sections([Section(d.text)], questions.count_tokens, chunk_tokens, 1)
        ]
        started = time.perf_counter()
        texts = list(dict.fromkeys(chunks))
        for start in range(0, len(texts), 64):
            documents.encode_documents(texts[start : start + 64])
        for start in range(0, len(queries), 64):
            questions.encode_queries(queries[start : start + 64])
        encode += time.perf_counter() - started
    return load, encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-queries", type=int, default=None)
    args = parser.parse_args()
    (ds,) = load_datasets(["builtin"])
    models_home = paths.models_dir(paths.home())
    with tempfile.TemporaryDirectory() as name:
        home = Path(name)
        paths.models_dir(home).symlink_to(models_home, target_is_directory=True)
        os.environ[paths.HOME_ENV] = str(home)
        load, encode = embedding_alone(ds, args.max_queries, home)
        started = time.perf_counter()
        first = run_eval([ds], max_queries=args.max_queries)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        run_eval([ds], max_queries=args.max_queries)
        second_s = time.perf_counter() - started
    alone = load + encode
    row(
        "dataset",
        f"builtin: {len(ds.docs)} documents, {len(queries_of(ds, args.max_queries))} queries",
    )
    row(
        "embedding alone: model loading + encoding",
        f"{load:.1f} s + {encode:.1f} s = {alone:.1f} s",
    )
    row("evaluation, empty cache (4 systems, 5 directions)", f"{first_s:.1f} s")
    spent = ", ".join(f"{k} {v:.1f} s" for k, v in time_spent(first).items())
    row("  where its time went", spent)
    row("evaluation / embedding alone", f"{first_s / alone:.2f}x  (target <= 1.3x)")
    row("second run of the same evaluation", f"{second_s:.1f} s")
    row("second / first", f"{second_s / first_s:.2f}x  (target <= 0.3x)")


if __name__ == "__main__":
    main()

"""Hybrid query latency (p50/p95, query embedding included) and HNSW recall@10 against
exact search, on an index of about 10,000 chunks built by the real pipeline.

The chunks are real sentences: FLORES-200 dev (en, ne, hi) and TICO-19 from
../shared/benchmarks when present, topped up with the built-in benchmark's passages and
their sentences. The index is built once into --home and reused by later runs.
Targets: hybrid p95 <= 100 ms; recall@10 >= 0.98.

    python benchmarks/search_at_10k.py [--home DIR] [--chunks N] [--queries N]
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from _common import (
    SHARED,
    builtin_passages,
    builtin_questions,
    percentile,
    row,
    shared_sentences,
    timed,
)

from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions
from xlsearch.text import sentences
from xlsearch.types import TextRecord


def tico_sentences() -> Iterator[str]:
    path = SHARED / "tico19" / "all.en-ne.tmx"
    if path.exists():
        for match in re.finditer(r"<seg>(.*?)</seg>", path.read_text(encoding="utf-8"), re.S):
            yield match.group(1).strip()


def texts(limit: int) -> list[str]:
    pool = list(dict.fromkeys([*shared_sentences(), *tico_sentences()]))
    for passage in builtin_passages():
        pool.append(passage["text"])
        pool.extend(s for _, s in sentences(passage["text"]))
    random.Random(0).shuffle(pool)
    return pool[:limit]


def build(home: Path, limit: int) -> Engine:
    engine = Engine(home=home)
    if engine.status().chunks < limit * 0.95:
        records = [TextRecord(f"s{i}", t) for i, t in enumerate(texts(limit))]
        seconds = timed(lambda: engine.add_texts(records))
        row("built index: texts, seconds", f"{len(records)}, {seconds:.0f} s")
    return engine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", type=Path, default=Path("/tmp/xlsearch-bench-10k"))
    parser.add_argument("--chunks", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    engine = build(args.home, args.chunks)
    # Whole questions in both languages (10-15 words), not keywords: the embedding's
    # cost grows with the query's length.
    queries = [q["text"] for q in builtin_questions()]
    queries = random.Random(1).sample(queries, min(args.queries, len(queries)))
    engine.search(queries[0])  # load the query model and the HNSW file

    def one(query: str) -> float:
        return timed(lambda: engine.search(query, SearchOptions(mode="hybrid", k=10))) * 1000

    latencies = [one(q) for q in queries]
    row("chunks in index", str(engine.status().chunks))
    row(
        "hybrid latency p50 / p95 (ms, incl. embedding)",
        f"{percentile(latencies, 50):.1f} / {percentile(latencies, 95):.1f}  (target p95 <= 100)",
    )
    row("HNSW recall@10 vs exact", f"{recall_at_10(engine, queries):.4f}  (target >= 0.98)")


def recall_at_10(engine: Engine, queries: list[str]) -> float:
    ids, matrix = engine.store.vectors(engine.model)
    model = engine.load_query_model()
    found = []
    for query in queries:
        vector = model.encode_queries([query])[0]
        exact = set(ids[np.argsort(-(matrix @ vector))[:10]].tolist())
        approx = {i for i, _ in engine._vectors.search(vector, 10)}
        found.append(len(exact & approx) / 10)
    return float(np.mean(found))


if __name__ == "__main__":
    main()

"""How fast the store writes indexed files: documents, chunks, keyword entries, phonetic
keys and vectors, one transaction per batch of files, as the indexer writes them.

No model and no reading: the built-in benchmark's passages are cut into chunks of 40
words and their keyword terms made before the clock starts, and the vectors are random
(384 floats, e5-small's size). What is timed is ``Store.write_document`` and the
transactions around it, the store's part of indexing: wall time, and the process's CPU
time, which other work on a busy machine disturbs less.

    python benchmarks/store_writes.py [--copies N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from _common import builtin_passages, row, timed

from xlsearch.index.batch import BATCH_CHUNKS
from xlsearch.store.db import NewDocument, Store
from xlsearch.text import detect_language, terms
from xlsearch.types import Chunk

WORDS_PER_CHUNK = 40
DIMENSION = 384


def documents(copies: int) -> list[NewDocument]:
    rng = np.random.default_rng(0)
    made = []
    for copy in range(copies):
        for passage in builtin_passages():
            words = f"{passage['title']} {passage['text']}".split()
            texts = [
                " ".join(words[i : i + WORDS_PER_CHUNK])
                for i in range(0, len(words), WORDS_PER_CHUNK)
            ]
            chunks = [Chunk(t, detect_language(t), n) for n, t in enumerate(texts)]
            vectors = rng.standard_normal((len(chunks), DIMENSION)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            made.append(
                NewDocument(
                    f"/corpus/{copy}/{passage['_id']}.txt",
                    "/corpus",
                    len(passage["text"]),
                    0.0,
                    f"{copy}-{passage['_id']}",
                    "txt",
                    chunks,
                    [" ".join(terms(c.text)) for c in chunks],
                    vectors,
                )
            )
    return made


def batches(docs: list[NewDocument]) -> list[list[NewDocument]]:
    """Files grouped as the indexer commits them: a batch closes at BATCH_CHUNKS chunks."""
    grouped: list[list[NewDocument]] = [[]]
    for doc in docs:
        grouped[-1].append(doc)
        if sum(len(d.chunks) for d in grouped[-1]) >= BATCH_CHUNKS:
            grouped.append([])
    return [g for g in grouped if g]


def write_all(home: Path, grouped: list[list[NewDocument]]) -> None:
    store = Store(home / "index.db")
    for batch in grouped:
        with store.transaction():
            for doc in batch:
                store.write_document(doc, "e5-small")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=3, help="copies of the 420 passages")
    parser.add_argument("--runs", type=int, default=3, help="runs, each on a fresh index")
    args = parser.parse_args()
    docs = documents(args.copies)
    grouped = batches(docs)
    chunks = sum(len(d.chunks) for d in docs)
    seconds, cpu = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.process_time()
            seconds.append(timed(lambda: write_all(Path(tmp), grouped)))
            cpu.append(time.process_time() - started)
    row("files / chunks / transactions", f"{len(docs)} / {chunks} / {len(grouped)}")
    row("wall seconds per run", ", ".join(f"{s:.2f}" for s in seconds))
    row("CPU seconds per run", ", ".join(f"{s:.2f}" for s in cpu))
    for name, values in (("wall", seconds), ("CPU", cpu)):
        middle = statistics.median(values)
        row(
            f"{name}, median: files/s, chunks/s", f"{len(docs) / middle:.0f}, {chunks / middle:.0f}"
        )


if __name__ == "__main__":
    main()

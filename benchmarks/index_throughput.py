"""Indexing throughput of the whole pipeline next to the raw embedder's, same chunks.

Writes the built-in benchmark's passages as .txt files, indexes them with the engine
(extract, normalise, chunk, language tags, stems, SQLite, HNSW), then embeds the very
chunks the pipeline produced with the same document embedder in batches of the same
size. Both timings exclude model loading. Target: pipeline >= 85% of raw.

    python benchmarks/index_throughput.py [--copies N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _common import builtin_passages, row, timed

from xlsearch.engine import Engine
from xlsearch.index.batch import BATCH_CHUNKS


def write_corpus(folder: Path, copies: int) -> int:
    count = 0
    for copy in range(copies):
        for passage in builtin_passages():
            name = f"{passage['_id']}-{copy}.txt"
            (folder / name).write_text(f"{passage['title']}\n\n{passage['text']}\n", "utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--copies", type=int, default=1, help="copies of the 420 passages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files = write_corpus(corpus, args.copies)
        engine = Engine(home=Path(tmp) / "home")
        embedder = engine.load_document_model()  # model load is not indexing
        embedder.encode_documents(["warm up"])
        seconds = timed(lambda: engine.index([corpus]))
        texts = [str(r[0]) for r in engine.store.conn.execute("SELECT text FROM chunks")]
        batches = [texts[i : i + BATCH_CHUNKS] for i in range(0, len(texts), BATCH_CHUNKS)]
        raw = timed(lambda: [embedder.encode_documents(b) for b in batches])
    row("embedder", f"{type(embedder).__name__} ({embedder.model_id})")
    row("files / chunks", f"{files} / {len(texts)}")
    row("pipeline: seconds, chunks/s", f"{seconds:.1f} s, {len(texts) / seconds:.1f}")
    row("raw embedder: seconds, chunks/s", f"{raw:.1f} s, {len(texts) / raw:.1f}")
    row("pipeline throughput / raw embedder", f"{raw / seconds:.2%}  (target >= 85%)")


if __name__ == "__main__":
    main()

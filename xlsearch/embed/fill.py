"""Filling in meaning vectors after the text and keyword entries are committed.

The to-do list is the store itself: chunks without a vector that were not left out on
purpose, then chunks whose vector another document encoder made (``Store.vector_todo``):
switching encoder re-embeds in place, resumably, searchable with the old vectors
meanwhile. Slices of ``SLICE`` chunks go through the vector cache (each distinct text
is encoded once, ever) and are committed as they finish, so a kill
loses at most one slice, the next run resumes where this one stopped, and searches see
the new vectors as they land. Every file's first chunks come before any file's later
ones, so one huge file does not hold back the rest of a folder.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from xlsearch.embed.base import Embedder
from xlsearch.store.db import Store
from xlsearch.store.embed_cache import VectorCache, backfill, cache_name, encode_through
from xlsearch.types import IndexProgress

SLICE = 64
"""New texts per commit: a full encoder batch, and at most this much lost to a kill."""


@dataclass
class FillReport:
    """What one fill did: vectors written, distinct texts encoded, cache reuse, time."""

    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    encode_seconds: float = 0.0
    pending: int = 0  # left to do when stopped early


@dataclass
class VectorFiller:
    """Gives every waiting chunk of ``store`` a vector of ``model``.

    ``load`` returns the document embedder and is called only when some text is not in
    the cache, so a fully cached run never loads the model; ``prefix`` is the passage
    prefix the embedder adds (part of the cache key); ``encoder`` is what ``load``
    returns (``torch-fp32``, ``openvino-int8``, ...), recorded with every vector.
    """

    store: Store
    model: str
    prefix: str
    load: Callable[[], Embedder]
    shared_cache: Path | None = None
    progress: Callable[[IndexProgress], None] | None = None
    cancel: threading.Event | None = None
    report: FillReport = field(default_factory=FillReport)
    encoder: str = "torch-fp32"

    def run(self) -> FillReport:
        backfill(self.store, self.model, self.prefix)
        todo = self.store.vector_todo(self.encoder)
        texts = self.store.chunk_texts([chunk for chunk, _ in todo])
        remaining = Counter(doc for _, doc in todo)
        files_total, files_done, done = len(remaining), 0, 0
        started = time.monotonic()
        cache = VectorCache(self.store.conn, self.shared_cache)
        try:
            for part in _slices(todo, texts):
                if self.cancel is not None and self.cancel.is_set():
                    self.report.pending = len(todo) - done
                    break
                self._slice(cache, [chunk for chunk, _ in part])
                for _, doc in part:
                    remaining[doc] -= 1
                    files_done += remaining[doc] == 0
                done += len(part)
                self._notify(files_done, files_total, done, len(todo), started)
        finally:
            cache.close()
        return self.report

    def _slice(self, cache: VectorCache, ids: list[int]) -> None:
        texts = self.store.chunk_texts(ids)
        alive = [i for i in ids if i in texts]
        encoded = encode_through(
            cache,
            cache_name(self.model, self.encoder),
            self.prefix,
            lambda batch: self.load().encode_documents(batch),
            [texts[i] for i in alive],
        )
        with self.store.transaction():
            self.report.chunks += self.store.write_vectors(
                zip(alive, encoded.vectors, strict=True), self.model, self.encoder
            )
            if len(encoded.vectors):
                self.store.set_meta("dimension", str(encoded.vectors.shape[1]))
            self.store.bump_vectors_version()
        self.report.embedded += encoded.encoded
        self.report.reused += encoded.reused
        self.report.encode_seconds += encoded.seconds

    def _notify(self, files: int, files_total: int, done: int, total: int, t0: float) -> None:
        if self.progress is None:
            return
        elapsed = max(time.monotonic() - t0, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else None
        self.progress(IndexProgress(files, files_total, done, rate, eta, "", "embedding", total))


def _slices(todo: list[tuple[int, int]], texts: dict[int, str]) -> Iterator[list[tuple[int, int]]]:
    """The to-do list in slices of at most ``SLICE`` texts not seen before: repeats
    (copies, footers) ride along with the slice they fall in, so the encoder still
    gets full batches."""
    seen: set[str] = set()
    part: list[tuple[int, int]] = []
    fresh = 0
    for item in todo:
        text = texts.get(item[0])
        if text is not None and text not in seen:
            if fresh == SLICE:
                yield part
                part, fresh = [], 0
            seen.add(text)
            fresh += 1
        part.append(item)
    if part:
        yield part

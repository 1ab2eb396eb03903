"""Changing the index: indexing folders and texts, re-indexing, forgetting, under one lock.

Every change runs inside the index's one writer lock (``store.lock``), on a store
connection of its own so the app keeps searching meanwhile. A run commits text and
keywords first (searchable at once), then fills in meaning vectors, then reads the
pages that need OCR and gives them vectors too, then brings the HNSW graph and the
language subspace up to date. One run's work over files is :class:`Indexer`'s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch import paths
from xlsearch.config import Settings
from xlsearch.embed.base import Step
from xlsearch.embed.loaded import Models
from xlsearch.errors import XlsearchError
from xlsearch.store import health
from xlsearch.store.ann_manifest import in_step
from xlsearch.store.base import SUBSPACE_KEY
from xlsearch.store.db import Store
from xlsearch.store.lock import writer_lock
from xlsearch.types import IndexProgress, IndexReport, TextRecord

if TYPE_CHECKING:
    # Indexing pulls in every extraction library; a search must not pay for importing it.
    from xlsearch.extract.guard import Reader
    from xlsearch.index.indexer import Indexer, Progress
    from xlsearch.index.scans import OcrPlan
    from xlsearch.store.ann import VectorIndex

Job = Callable[["Indexer"], IndexReport]


class IndexingService:
    """Writes the index at ``home``: ``store`` is the facade's (reads and small
    changes); each run opens its own."""

    def __init__(
        self,
        home: Path,
        store: Store,
        models: Models,
        settings: Settings,
        vector_index: Callable[[], VectorIndex],
        vector_cache: Path | None = None,
    ) -> None:
        self.home = home
        self.store = store
        self.models = models
        self.settings = settings
        self.vector_index = vector_index
        self.vector_cache = vector_cache
        self.ocr: OcrPlan | None = None

    def index(
        self,
        roots: Sequence[Path],
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexReport:
        """Index (incrementally) every supported file under ``roots``."""
        for root in roots:
            if not root.exists():
                raise XlsearchError(f"{root} does not exist; check the path and try again.")
        with self.writing():
            return self._run(lambda ix: ix.index_roots(roots), progress, cancel)

    def add_texts(
        self, records: Iterable[TextRecord], progress: Progress | None = None
    ) -> IndexReport:
        """Index in-memory documents; each record's key comes back as ``Hit.path``."""
        with self.writing():
            return self._run(lambda ix: ix.index_texts(records), progress, None)

    def reindex(
        self, target: str, progress: Progress | None, switched: Callable[[], None]
    ) -> IndexReport:
        """Re-embed every indexed folder with model ``target``; ``switched`` is called
        once the store names the new model, for the caller to drop what it derived
        from the old one (the HNSW graph)."""
        roots = [Path(r.path) for r in self.store.roots() if Path(r.path).exists()]
        with self.writing():
            with self.store.transaction():
                self.store.keep_documents_embedded_by(target)
                self.store.set_meta("model", target)
                self.store.bump_vectors_version()
            self.models.switch(target)
            switched()
            return self._run(lambda ix: ix.index_roots(roots), progress, None)

    def forget(self, path: Path) -> int:
        """Remove a folder (or file) and everything indexed under it; returns documents."""
        target = str(path.absolute())
        with self.writing(), self.store.transaction():
            removed = self.store.delete_under(target)
            self.store.remove_root(target)
            self.store.bump_vectors_version()
        return removed

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index's one writer lock, with storage errors made plain: every
        change to the index runs inside it."""
        if self.store.read_only:
            raise health.read_only(self.home)
        with health.storage_errors(self.home), writer_lock(self.home):
            yield

    def ocr_plan(self) -> OcrPlan:
        """Whether indexing reads scans (settings and the installed Tesseract), and how."""
        from xlsearch.index.scans import plan

        if self.ocr is None:
            self.ocr = plan(self.settings)
        return self.ocr

    def _run(
        self, job: Job, progress: Progress | None, cancel: threading.Event | None
    ) -> IndexReport:
        """One run under the writer lock (held by the caller)."""
        started = time.monotonic()
        # A store of its own: the app keeps searching on self.store meanwhile.
        store = Store(self.store.path)
        s = self.settings
        from xlsearch.extract.guard import Reader

        reader = Reader(s.extract_seconds, s.extract_memory_mb)
        try:
            store.set_meta("model", self.models.model)
            self._carry_over(store)
            version = store.vectors_version()
            indexer = self._indexer(store, progress, cancel, reader)
            report = job(indexer)
            # Text and keywords are committed: searchable now. Vectors follow; then the
            # pages that need OCR, and their vectors.
            self._fill(store, report, progress, cancel)
            if indexer.has_scans():
                report = indexer.read_scans()
                self._fill(store, report, progress, cancel)
            # The HNSW graph and the language subspace balancing uses, measured over every
            # stored vector: only when this run changed them (a watched batch, a moved
            # folder change none), or the saved graph is behind (an earlier run stopped
            # before saving it, a folder forgotten): checked on its manifest alone.
            changed = store.vectors_version() != version
            if changed or not in_step(paths.vectors_dir(self.home), self.models.model, store):
                self.vector_index().sync(store)
            report.seconds = time.monotonic() - started
            if changed or store.get_meta(SUBSPACE_KEY) is None:
                from xlsearch.rank import balance

                balance.record(store, self.models.model)
        finally:
            reader.close()
            store.close()
        return report

    def _indexer(
        self,
        store: Store,
        progress: Progress | None,
        cancel: threading.Event | None,
        reader: Reader,
    ) -> Indexer:
        from xlsearch.index.indexer import Indexer

        s = self.settings
        return Indexer(
            store,
            self.models.token_counter,
            self.models.model,
            s.chunk_tokens,
            s.chunk_overlap,
            s.max_file_mb * 1024 * 1024,
            progress,
            cancel,
            detect_legacy_fonts=s.detect_legacy_fonts,
            reader=reader.extract,
            ocr_plan=self.ocr_plan,
            reader_memory_mb=s.extract_memory_mb,
        )

    def _carry_over(self, store: Store) -> None:
        """Key vectors stored before the vector cache existed (once, needs the model)."""
        from xlsearch.store import embed_cache

        if embed_cache.backfill_pending(store, self.models.model):
            embed_cache.backfill(store, self.models.model, self.models.prefixes()[1])

    def _fill(
        self,
        store: Store,
        report: IndexReport,
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> None:
        """Give every chunk still without a vector one (resumes an interrupted fill)."""
        from xlsearch.embed.fill import VectorFiller

        if cancel is not None and cancel.is_set():
            report.vectors_pending = len(store.vector_todo())
            return
        settled = self.models.settled_encoder()
        if settled is not None and not store.vector_todo(settled):
            return  # nothing to embed: no encoder to decide (a decision checks its build)
        encoder = self.models.encoder(None if progress is None else _encoder_steps(progress))
        if not store.vector_todo(encoder):
            return
        filled = VectorFiller(
            store,
            self.models.model,
            self.models.prefixes()[1],
            self.models.load_document,
            self.vector_cache,
            progress,
            cancel,
            encoder=encoder,
        ).run()
        report.embedded += filled.embedded
        report.reused += filled.reused
        report.embed_seconds += filled.encode_seconds
        report.vectors_pending = filled.pending


def _encoder_steps(progress: Progress) -> Step:
    """Steps of preparing the passage encoder (once per machine) as progress events."""

    def step(what: str, done: int, total: int) -> None:
        progress(IndexProgress(done, total, 0, 0.0, None, what, "encoder"))

    return step

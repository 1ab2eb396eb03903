"""Runs evaluation datasets through the real search engine and scores the runs.

Each dataset is indexed with :class:`~xlsearch.engine.Engine` into a throwaway state
directory (real SQLite, FTS5 and HNSW, real models), once per model its systems need.
Every direction then searches that one index with the direction's document language
as the engine's ``lang`` filter, which is the same pool as a per-direction index and
costs one embedding pass instead of one per direction; the mixed pool searches
unfiltered. Hits are chunks, so they are folded into a run of documents before the
metrics of :mod:`~xlsearch.eval.metrics` are taken.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xlsearch import paths
from xlsearch.config import Settings, load_settings
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.embed.registry import document_embedder, document_encoder, float_e5_dir
from xlsearch.engine import Engine
from xlsearch.eval.datasets import (
    BUILTIN,
    MIXED,
    Dataset,
    directions,
    load_dataset,
    with_judged_queries,
)
from xlsearch.eval.metrics import DEFAULT_METRICS, evaluate, language_bias, per_query
from xlsearch.eval.report import RunResult
from xlsearch.eval.significance import paired_randomization
from xlsearch.eval.systems import DEFAULT_SYSTEMS, System, comparisons, resolve_systems
from xlsearch.progress import ENCODER_PHASE
from xlsearch.search.head import heads_dir
from xlsearch.search.options import SearchOptions
from xlsearch.types import Hit, IndexProgress, TextRecord

DOC_DEPTH = 100
"""Documents kept per query: enough for recall@100."""
CHUNK_DEPTH = 200
"""Chunks asked of the engine per query, so that DOC_DEPTH documents survive the fold."""
SIGNIFICANCE_METRIC = "ndcg@10"
"""The per-query metric the paired randomisation tests compare."""


@dataclass(frozen=True)
class EvalProgress:
    """A snapshot of a running evaluation: what it does now, and how far that step is."""

    phase: str
    done: int
    total: int


EvalCallback = Callable[[EvalProgress], None]


@dataclass
class _Index:
    """One dataset indexed with one model, and what building it cost."""

    engine: Engine
    seconds: float
    bytes: int
    model: str = ""
    embed_seconds: float = 0.0  # in the document encoder (0 when every vector was cached)
    query_seconds: float = 0.0  # embedding the dataset's queries, once for every system


def doc_run(hits: list[Hit], depth: int = DOC_DEPTH) -> dict[str, float]:
    """Chunk hits (best first) -> doc id -> score, keeping each document's best chunk.

    Scores are ``depth - rank0`` rather than the engine's: RRF scores tie often, and the
    metrics break ties by doc id, which would reorder what the engine returned.
    """
    ranked = list(dict.fromkeys(hit.path for hit in hits))[:depth]
    return {doc: float(depth - rank) for rank, doc in enumerate(ranked)}


def sample_queries(ds: Dataset, max_queries: int | None, seed: int = 0) -> Dataset:
    """At most ``max_queries`` of the dataset's queries, drawn with ``seed``.

    The draw is over sorted ids with the same seed everywhere, so parallel directions
    (ids ``en:7`` / ``ne:7``) keep the same underlying items.
    """
    if max_queries is None or len(ds.queries) <= max_queries:
        return ds
    chosen = random.Random(seed).sample(sorted(ds.queries), max_queries)
    queries = {qid: ds.queries[qid] for qid in sorted(chosen)}
    qrels = {qid: ds.qrels[qid] for qid in queries}
    return Dataset(ds.name, ds.docs, queries, qrels)


def keep_languages(ds: Dataset, langs: Collection[str]) -> Dataset:
    """The dataset with only the documents and queries in ``langs`` (e.g. FLORES en+ne)."""
    docs = {k: d for k, d in ds.docs.items() if d.lang in langs}
    queries = {k: q for k, q in ds.queries.items() if q.lang in langs}
    qrels = {
        qid: {doc: g for doc, g in ds.qrels.get(qid, {}).items() if doc in docs} for qid in queries
    }
    return with_judged_queries(Dataset(ds.name, docs, queries, qrels))


def load_datasets(specs: list[str], langs: Collection[str] | None = None) -> list[Dataset]:
    """Every dataset the specs name (see ``load_dataset``), optionally cut to ``langs``.

    The built-in benchmark is labelled ``builtin`` whatever its folder is called.
    """
    found: list[Dataset] = []
    for spec in specs:
        for ds in load_dataset(spec):
            if spec == BUILTIN:
                ds.name = BUILTIN
            found.append(keep_languages(ds, langs) if langs else ds)
    return found


# -- indexes ---------------------------------------------------------------------------
def _home_size(home: Path) -> int:
    """Bytes of the SQLite files (WAL included) and the HNSW files."""
    files = [p for p in home.glob("index.db*") if p.is_file()]
    files += [p for p in paths.vectors_dir(home).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files)


def _index_callback(phase: str, progress: EvalCallback | None) -> Callable[[IndexProgress], None]:
    def update(p: IndexProgress) -> None:
        if progress is not None:
            progress(EvalProgress(phase, p.files_done, p.files_total))

    return update


def _build_index(
    ds: Dataset, model: str, home: Path, settings: Settings, progress: EvalCallback | None
) -> _Index:
    home.mkdir(parents=True)
    paths.share_models(home)
    heads = heads_dir(paths.home())
    if heads.is_dir():  # systems with a query head find it by name, as search does
        heads_dir(home).symlink_to(heads, target_is_directory=True)
    # The user's shared vector cache: a second run of the same data embeds nothing.
    cache = paths.shared_vector_cache(paths.home())
    engine = Engine(home=home, model=model, settings=settings, vector_cache=cache)
    records = [TextRecord(d.id, d.text, d.lang, d.title) for d in ds.docs.values()]
    started = time.perf_counter()
    report = engine.add_texts(
        records, _index_callback(f"Indexing {ds.name} with {model}", progress)
    )
    seconds = time.perf_counter() - started
    return _Index(engine, seconds, _home_size(home), model, report.embed_seconds)


def _prepare_models(
    models: Collection[str], root: Path, settings: Settings, progress: EvalCallback | None
) -> None:
    """Make the float e5 copy and choose its document encoder now, so one-off
    conversions and builds are not counted as indexing."""
    if E5_MODEL_ID in models and not float_e5_dir(root).exists():
        if progress is not None:
            progress(EvalProgress(f"Preparing {E5_MODEL_ID} (once)", 0, 1))
        document_embedder(E5_MODEL_ID, root)
    if E5_MODEL_ID in models:

        def step(what: str, done: int, total: int) -> None:
            if progress is not None:
                progress(EvalProgress(f"{ENCODER_PHASE}: {what}", done, total))

        document_encoder(E5_MODEL_ID, root, settings, step)


@contextmanager
def _scratch() -> Iterator[Path]:
    """A temporary folder under ``<home>/eval-tmp``, removed afterwards."""
    root = paths.home() / "eval-tmp"
    paths.models_dir(paths.home()).mkdir(exist_ok=True)
    root.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- searching -------------------------------------------------------------------------
def _search(
    engine: Engine,
    part: Dataset,
    system: System,
    lang: str | None,
    phase: str,
    progress: EvalCallback | None,
) -> tuple[dict[str, dict[str, float]], list[float]]:
    """The doc run of every query in ``part`` and each search's latency in ms (queries
    were embedded beforehand by ``_embed_queries``, so latency is search alone)."""
    options = SearchOptions(system.mode, CHUNK_DEPTH, lang, snippets=False, head=system.head)
    run: dict[str, dict[str, float]] = {}
    latencies: list[float] = []
    total = len(part.queries)
    for done, (qid, query) in enumerate(part.queries.items(), start=1):
        started = time.perf_counter()
        hits = engine.search(query.text, options)
        latencies.append((time.perf_counter() - started) * 1000.0)
        run[qid] = doc_run(hits)
        if progress is not None and (done % 10 == 0 or done == total):
            progress(EvalProgress(phase, done, total))
    return run, latencies


def _score(
    part: Dataset, kind: str, label: str, system: System, run: dict[str, dict[str, float]],
    latencies: list[float], index: _Index,
) -> RunResult:  # fmt: skip
    started = time.perf_counter()
    bias = language_bias(part.qrels, run, part.doc_lang()) if kind == MIXED else None
    result = RunResult(
        dataset=part.name,
        system=system.name,
        direction=label,
        metrics=evaluate(part.qrels, run, DEFAULT_METRICS),
        language_bias=bias,
        queries=len(part.queries),
        documents=len(part.docs),
        index_seconds=round(index.seconds, 3),
        latency_p50_ms=round(float(np.percentile(latencies, 50)), 3) if latencies else 0.0,
        latency_p95_ms=round(float(np.percentile(latencies, 95)), 3) if latencies else 0.0,
        index_bytes=index.bytes,
        model=index.model,
        embed_documents_s=round(index.embed_seconds, 3),
        embed_queries_s=round(index.query_seconds, 3),
        search_s=round(sum(latencies) / 1000.0, 3),
    )
    result.score_s = round(time.perf_counter() - started, 3)
    return result


def _test_pairs(
    results: dict[str, RunResult],
    per_query_scores: dict[str, dict[str, float]],
    pairs: list[tuple[str, str]],
) -> None:
    """Store each pair's randomisation p-value on the first system's result."""
    for a, b in pairs:
        started = time.perf_counter()
        p = paired_randomization(per_query_scores[a], per_query_scores[b])
        results[a].p_values[f"{a} vs {b}"] = p
        results[a].score_s = round(results[a].score_s + time.perf_counter() - started, 3)


def _direction_lang(kind: str, part: Dataset) -> str | None:
    """The engine's ``lang`` filter for a direction: its one document language."""
    langs = part.doc_languages()
    return langs[0] if kind != MIXED and len(langs) == 1 else None


def _evaluate_dataset(
    ds: Dataset,
    systems: list[System],
    indexes: dict[str, _Index],
    progress: EvalCallback | None,
    max_queries: int | None,
) -> list[RunResult]:
    found: list[RunResult] = []
    parts = [
        (label, kind, sample_queries(part, max_queries)) for label, kind, part in directions(ds)
    ]
    _embed_queries(parts, systems, indexes, ds.name, progress)
    for label, kind, part in parts:
        lang = _direction_lang(kind, part)
        by_system: dict[str, RunResult] = {}
        scores: dict[str, dict[str, float]] = {}
        for system in systems:
            index = indexes[system.model]
            phase = f"Searching {ds.name} {label} with {system.name}"
            run, latencies = _search(index.engine, part, system, lang, phase, progress)
            result = _score(part, kind, label, system, run, latencies, index)
            started = time.perf_counter()
            scores[system.name] = per_query(part.qrels, run, SIGNIFICANCE_METRIC)
            result.score_s = round(result.score_s + time.perf_counter() - started, 3)
            by_system[system.name] = result
        _test_pairs(by_system, scores, comparisons(systems))
        found.extend(by_system.values())
    return found


def _embed_queries(
    parts: list[tuple[str, str, Dataset]],
    systems: list[System],
    indexes: dict[str, _Index],
    name: str,
    progress: EvalCallback | None,
) -> None:
    """Every query of every direction embedded in batches, once per model that a
    meaning-using system searches with; all systems and directions reuse the vectors."""
    texts = list(dict.fromkeys(q.text for _, _, part in parts for q in part.queries.values()))
    for model in dict.fromkeys(s.model for s in systems if s.mode != "lexical"):
        if progress is not None:
            progress(EvalProgress(f"Embedding {name} queries with {model}", 0, len(texts)))
        indexes[model].query_seconds = indexes[model].engine.embed_queries(texts)


def run_eval(
    datasets: list[Dataset],
    systems: list[str] | tuple[str, ...] = DEFAULT_SYSTEMS,
    model: str | None = None,
    progress: EvalCallback | None = None,
    max_queries: int | None = None,
) -> list[RunResult]:
    """Evaluate ``systems`` (plus a dense system for ``model``) on every dataset.

    Returns one RunResult per dataset x direction x system, in that order. Each result
    holds the metric means, the language bias on mixed pools, the costs (indexing time
    of the index it searched, query latency p50/p95 in ms, index bytes) and the p-values
    of the paired randomisation tests on per-query nDCG@10 (see ``systems.COMPARISONS``).
    ``max_queries`` caps the queries per direction by a seeded sample. The user's
    settings (chunk size, HNSW, RRF k) apply, since the point is to measure the app.
    """
    chosen = resolve_systems(list(systems), model)
    settings = load_settings(paths.config_path(paths.home()))
    models = list(dict.fromkeys(s.model for s in chosen))
    results: list[RunResult] = []
    with _scratch() as scratch:
        _prepare_models(models, paths.home(), settings, progress)
        for number, ds in enumerate(datasets):
            indexes: dict[str, _Index] = {}
            try:
                for slot, name in enumerate(models):
                    home = scratch / f"{number}-{slot}"
                    indexes[name] = _build_index(ds, name, home, settings, progress)
                results += _evaluate_dataset(ds, chosen, indexes, progress, max_queries)
            finally:
                for index in indexes.values():
                    index.engine.close()
    return results


@contextmanager
def rich_progress() -> Iterator[EvalCallback]:
    """Yield a progress callback drawing one Rich bar on stderr (quiet when not a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("Starting", total=None)

        def update(p: EvalProgress) -> None:
            bar.update(task, description=p.phase, completed=p.done, total=p.total or None)

        yield update

"""Fusion policies replayed on captured candidates (issue 18).

Searching is the slow part of an evaluation; fusing is a pure function of a query's
candidates (``ranking.fuse``). This script searches every query of the named datasets
once per direction, exactly as ``xlsearch eval`` does (same index, same lang filter,
same depth), keeps each query's ``Candidates`` in a pickle beside the index, and then
scores any number of policies on them in seconds: bm25 and meaning alone, the shipped
fusion, and the variants named by ``--variants``.

    python benchmarks/fusion_replay.py builtin headlines-tune:/work/shared/benchmarks \\
        [--variants shipped,fixed0.3] [--max-queries N] [--home DIR]

A capture is reused while its file exists (delete the home to search again).
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import row

from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import MIXED, Dataset, directions
from xlsearch.eval.metrics import evaluate
from xlsearch.eval.runner import CHUNK_DEPTH, DOC_DEPTH, load_datasets, sample_queries
from xlsearch.rank.policy import POLICY, RankingPolicy
from xlsearch.rank.ranker import Ranker
from xlsearch.rank.ranking import Candidates, fuse, policy_for
from xlsearch.store.db import Filters
from xlsearch.types import TextRecord

Capture = dict[str, list[tuple[str, Candidates]]]  # direction -> (query id, candidates)


def build(home: Path, ds: Dataset) -> Engine:
    """An index of ``ds`` under ``home`` (kept between runs), vectors from the user's
    shared cache as the evaluation takes them."""
    fresh = not home.exists()
    home.mkdir(parents=True, exist_ok=True)
    paths.share_models(home)
    cache = paths.shared_vector_cache(paths.home())
    engine = Engine(home=home, vector_cache=cache)
    if fresh:
        engine.add_texts(TextRecord(d.id, d.text, d.lang, d.title) for d in ds.docs.values())
    return engine


def capture(engine: Engine, ds: Dataset, max_queries: int | None) -> Capture:
    """Every direction's queries searched once; each query's candidates kept."""
    parts = [(label, kind, sample_queries(p, max_queries)) for label, kind, p in directions(ds)]
    texts = list(dict.fromkeys(q.text for _, _, p in parts for q in p.queries.values()))
    readings = [
        query.dense_texts for t in texts if (query := engine.searcher.analyse(t)) is not None
    ]
    engine.embed_queries(list(dict.fromkeys(r for found in readings for r in found)))
    ranker = Ranker(engine.store, engine._vectors, policy_for(engine.settings))
    found: Capture = {}
    for label, kind, part in parts:
        langs = part.doc_languages()
        filters = Filters(langs[0] if kind != MIXED and len(langs) == 1 else None)
        found[label] = []
        for qid, q in part.queries.items():
            candidates = search(engine, ranker, q.text, filters)
            if candidates is not None:
                found[label].append((qid, candidates))
    return found


def search(engine: Engine, ranker: Ranker, text: str, filters: Filters) -> Candidates | None:
    """One query's candidates, as ``xlsearch eval`` searches it (None: nothing to search)."""
    query = engine.searcher.analyse(text)
    if query is None:
        return None
    depth = max(CHUNK_DEPTH, ranker.policy.candidates)
    facts = ranker.facts(query.keyword_terms, filters)
    lexical = ranker.lexical(query, depth, filters, facts)
    vector = engine.searcher.query_vector(query)
    return ranker.candidates(query, lexical, vector, depth, filters, facts)


_MOVED = {"xlsearch.search.ranking": "xlsearch.rank.ranking"}
"""Modules pickled captures name that have moved since (the package layout of b5ff020)."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        return super().find_class(_MOVED.get(module, module), name)


def load_capture(path: Path) -> Capture:
    """A capture pickled by an earlier run, read with the current module names."""
    with path.open("rb") as file:
        found: Capture = _Unpickler(file).load()
    return found


def paths_of(engine: Engine) -> dict[int, str]:
    """Chunk id -> its document's path (the dataset's doc id)."""
    rows = engine.store.conn.execute(
        "SELECT c.id, d.path FROM chunks c JOIN documents d ON d.id = c.document_id"
    )
    return {int(c): str(p) for c, p in rows}


Ranking = Callable[[Candidates], list[tuple[int, float]]]


def systems(variants: list[str]) -> dict[str, Ranking]:
    """bm25, meaning, and each named fusion variant (see ``VARIANTS``)."""
    chosen: dict[str, Ranking] = {
        "bm25": lambda c: list(c.lexical),
        "meaning": lambda c: list(c.dense),
    }
    for name in variants:
        chosen[name] = _fusing(VARIANTS[name])
    return chosen


def _fusing(policy: RankingPolicy) -> Ranking:
    return lambda candidates: fuse(policy, candidates)


FIXED = replace(POLICY, standout_gain=0.0)
VARIANTS: dict[str, RankingPolicy] = {
    "shipped": POLICY,
    # Before issue 18: one fixed weight for every query.
    "fixed0.3": replace(FIXED, keyword_weight=0.3, max_keyword_weight=0.3),
    "fixed0.6": replace(FIXED, keyword_weight=0.6, max_keyword_weight=0.6),
    "fixed1.0": replace(FIXED, keyword_weight=1.0, max_keyword_weight=1.0),
    "fixed0.15": replace(FIXED, keyword_weight=0.15, max_keyword_weight=0.15),
}


def _standout(base: float, gain: float, cap: float, coverage: bool) -> RankingPolicy:
    return replace(
        POLICY,
        keyword_weight=base,
        standout_gain=gain,
        max_keyword_weight=cap,
        standout_coverage=coverage,
    )


# The grid the shipped weight was chosen from (docs/ranking.md): base + gain × BM25
# standout (``s``: alone; ``sc``: × coverage), at most the cap.
VARIANTS |= {
    f"{kind}{base}+{gain}<={cap}": _standout(base, gain, cap, kind == "sc")
    for kind, base, gain, cap in (
        ("s", 0.1, 1.0, 0.8),
        ("s", 0.15, 1.0, 0.6),
        ("s", 0.2, 1.0, 0.6),
        ("s", 0.15, 1.5, 0.6),
        ("sc", 0.15, 2.0, 0.8),
        ("sc", 0.15, 1.0, 0.6),
    )
}


def summary(runs: dict[str, dict[str, dict[str, float]]]) -> dict[str, tuple[float, float]]:
    """Per variant: the mean nDCG@10 over every (dataset, direction) but romanized ones,
    and the worst shortfall of the variant below the better of bm25 and meaning.
    ``runs``: variant -> dataset -> direction -> nDCG@10 (bm25 and meaning included)."""
    cells = [
        (name, label)
        for name, labels in runs["meaning"].items()
        for label in labels
        if not label.startswith("rom")
    ]
    found: dict[str, tuple[float, float]] = {}
    for variant, figures in runs.items():
        values = [figures[name][label] for name, label in cells]
        short = [
            max(runs["bm25"][name][label], runs["meaning"][name][label]) - figures[name][label]
            for name, label in cells
        ]
        found[variant] = (sum(values) / len(values), max(0.0, *short))
    return found


def score(
    found: Capture, ds: Dataset, chunk_paths: dict[int, str], ranking: Ranking
) -> dict[str, float]:
    """nDCG@10 per direction of ``ranking`` over the captured candidates."""
    figures: dict[str, float] = {}
    for label, queries in found.items():
        run: dict[str, dict[str, float]] = {}
        for qid, candidates in queries:
            docs = list(dict.fromkeys(chunk_paths[c] for c, _ in ranking(candidates)))
            run[qid] = {doc: float(DOC_DEPTH - r) for r, doc in enumerate(docs[:DOC_DEPTH])}
        # The direction's pool holds its document language only (mixed: every one).
        langs = {d.lang for d in ds.docs.values()} if label == MIXED else {label[-2:]}
        qrels = {
            qid: {doc: g for doc, g in ds.qrels[qid].items() if ds.docs[doc].lang in langs}
            for qid, _ in queries
        }
        figures[label] = evaluate(qrels, run, ["ndcg@10"])["ndcg@10"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="+")
    parser.add_argument("--variants", default="shipped")
    parser.add_argument("--max-queries", type=int, default=None)
    parser.add_argument("--langs", default=None, help="keep these languages, e.g. en,ne")
    parser.add_argument(
        "--only-docs", default=None, help="a pool of this language's documents only, e.g. en"
    )
    parser.add_argument("--home", type=Path, default=Path("/tmp/xlsearch-fusion-replay"))
    parser.add_argument(
        "--no-lexicon", action="store_true", help="romanized words read from the index only"
    )
    parser.add_argument(
        "--summary", action="store_true", help="also each variant's mean and worst shortfall"
    )
    args = parser.parse_args()
    runs: dict[str, dict[str, dict[str, float]]] = {}
    variants = [v for v in args.variants.split(",") if v]
    langs = args.langs.split(",") if args.langs else None
    for ds in load_datasets(args.datasets, langs):
        if args.only_docs:
            name = f"{ds.name}-{args.only_docs}only"
            ds = ds.subset(None, args.only_docs)
            ds.name = name
        home = args.home / ds.name
        engine = build(home, ds)
        if args.no_lexicon:
            engine.searcher.lexicon = None
        lexicon = "-nolexicon" if args.no_lexicon else ""
        store = home / f"capture-{args.max_queries or 'all'}{lexicon}.pickle"
        if store.exists():
            found = load_capture(store)
        else:
            found = capture(engine, ds, args.max_queries)
            store.write_bytes(pickle.dumps(found))
        chunk_paths = paths_of(engine)
        for name, ranking in systems(variants).items():
            figures = score(found, ds, chunk_paths, ranking)
            runs.setdefault(name, {})[ds.name] = figures
            cells = "  ".join(f"{label} {value:.3f}" for label, value in figures.items())
            row(f"{ds.name} {name}", cells)
        engine.close()
    if args.summary:
        for name, (mean, short) in summary(runs).items():
            row(f"all {name}", f"mean {mean:.4f}  worst shortfall {short:.3f}")


if __name__ == "__main__":
    main()

"""What balancing languages and script-fair fusion do, on two mixed-language pools.

Both pools come from the built-in benchmark and are searched unfiltered, as a person's
mixed folder is:

- parallel: all 420 passages; each question is judged relevant to both the English and
  the Nepali version of its passage (the eval's ``mixed`` direction). Reports nDCG@10 and
  the language bias (mean rank gap between the two versions; 0 is none).
- split: one version of each passage pair only (English for odd pairs, Nepali for even
  ones, 210 passages), so every question has one answer, in its own language for half of
  the questions and in the other for the rest. This is the honest test: balancing must
  lift the other-language answers without burying the own-language ones.

Each pool is searched in meaning and hybrid mode with the engine's settings as shipped
(balancing removes the index's language subspace from the vectors; fusion gives passages
in another script a share of their meaning score as keyword evidence) and with
``balance_languages`` and ``script_fair_fusion`` off.

    python benchmarks/language_balance.py [--home DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import builtin_passages, row

from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import load_dataset
from xlsearch.eval.metrics import evaluate, language_bias
from xlsearch.eval.runner import doc_run
from xlsearch.types import TextRecord


def build(home: Path, keep: set[str]) -> Engine:
    home.mkdir(parents=True, exist_ok=True)
    paths.share_models(home)
    engine = Engine(home=home)
    if engine.status().documents < len(keep):
        records = [
            TextRecord(p["_id"], p["text"], p["lang"], p["title"])
            for p in builtin_passages()
            if p["_id"] in keep
        ]
        engine.add_texts(records)
    return engine


def runs(engine: Engine, queries: dict[str, str], mode: str) -> dict[str, dict[str, float]]:
    return {
        qid: doc_run(engine.search(text, mode=mode, k=200, snippets=False))
        for qid, text in queries.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/xlsearch-bench-balance"))
    args = parser.parse_args()
    (ds,) = load_dataset("builtin")
    # The en and ne questions only: romanized ones (lang "rom") have no own-language pool.
    ds.queries = {qid: q for qid, q in ds.queries.items() if q.lang in ("en", "ne")}
    ds.qrels = {qid: ds.qrels[qid] for qid in ds.queries}
    queries = {qid: q.text for qid, q in ds.queries.items()}
    doc_lang = ds.doc_lang()
    pairs = sorted({doc.rsplit("-", 1)[0] for doc in ds.docs})
    split_keep = {f"{p}-{'en' if n % 2 else 'ne'}" for n, p in enumerate(pairs)}
    split = {q: {d: g for d, g in r.items() if d in split_keep} for q, r in ds.qrels.items()}
    own = {q for q, r in split.items() if all(doc_lang[d] == ds.queries[q].lang for d in r)}

    parallel_engine = build(args.home / "parallel", set(ds.docs))
    split_engine = build(args.home / "split", split_keep)
    print(f"{len(queries)} questions; parallel pool {len(ds.docs)}, split pool {len(split_keep)}")
    for mode in ("dense", "hybrid"):
        for shipped in (False, True):
            label = f"{mode:6s} {'as shipped' if shipped else 'plain     '}"
            for engine in (parallel_engine, split_engine):
                engine.settings.balance_languages = shipped
                engine.settings.script_fair_fusion = shipped
            run = runs(parallel_engine, queries, mode)
            ndcg = evaluate(ds.qrels, run, ["ndcg@10"])["ndcg@10"]
            bias = language_bias(ds.qrels, run, doc_lang)
            run = runs(split_engine, queries, mode)
            mine = evaluate({q: split[q] for q in own}, run, ["mrr@10"])["mrr@10"]
            other = evaluate({q: r for q, r in split.items() if q not in own}, run, ["mrr@10"])
            every = evaluate(split, run, ["mrr@10"])["mrr@10"]
            row(
                label,
                f"parallel nDCG@10 {ndcg:.3f} bias {bias:5.1f} | split MRR@10 {every:.3f}"
                f" (own language {mine:.3f}, other {other['mrr@10']:.3f})",
            )


if __name__ == "__main__":
    main()

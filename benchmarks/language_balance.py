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
(balancing removes 0.7 of the index's language subspace from the vectors; fusion lends
passages in another script a share of their meaning score as keyword evidence, smaller
the more of the query the best own-script keyword match holds, and lends a translation
of a top keyword match that match's evidence), with balancing off ("no balancing"), with
both off ("plain"), with each share of the language subspace removed that ``--shares``
names (the frontier the shipped share was chosen on), and in hybrid mode with each
``--trusts`` value: how far a complete keyword match in the query's own script lowers
the keyword evidence lent to passages in another script.

    python benchmarks/language_balance.py [--home DIR] [--shares 0.6 0.8 1] [--trusts 0 1]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import builtin_passages, row

from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import load_dataset
from xlsearch.eval.metrics import Qrels, evaluate, language_bias
from xlsearch.eval.runner import doc_run
from xlsearch.search import calibrate, ranking
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
    parser.add_argument(
        "--shares",
        type=float,
        nargs="*",
        default=[],
        help="also measure these shares of the language subspace removed (e.g. 0.6 0.8 1)",
    )
    parser.add_argument(
        "--trusts",
        type=float,
        nargs="*",
        default=[],
        help="also measure hybrid with these values of ranking.EXPLAINED_TRUST (e.g. 0 0.6 1)",
    )
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
    engines = (parallel_engine, split_engine)
    share, trust = calibrate.REMOVED_SHARE, ranking.EXPLAINED_TRUST
    # (label, balance_languages, script_fair_fusion, share of the subspace removed, trust)
    arms = [
        ("plain", False, False, share, trust),
        ("no balancing", False, True, share, trust),
        *((f"share {s:.2f}", True, True, s, trust) for s in args.shares),
        ("as shipped", True, True, share, trust),
    ]
    trusts = [(f"trust {t:.2f}", True, True, share, t) for t in args.trusts]
    for mode in ("dense", "hybrid"):
        for label, balance, fair, removed, trusted in arms + (trusts if mode == "hybrid" else []):
            for engine in engines:
                engine.settings.balance_languages = balance
                engine.settings.script_fair_fusion = fair
            calibrate.REMOVED_SHARE, ranking.EXPLAINED_TRUST = removed, trusted
            try:
                figures = measure(engines, ds.qrels, split, own, queries, doc_lang, mode)
            finally:
                calibrate.REMOVED_SHARE, ranking.EXPLAINED_TRUST = share, trust
            row(f"{mode:6s} {label}", figures)


def measure(
    engines: tuple[Engine, Engine],
    qrels: Qrels,
    split: Qrels,
    own: set[str],
    queries: dict[str, str],
    doc_lang: dict[str, str],
    mode: str,
) -> str:
    """One line of figures: the parallel pool's nDCG@10 and bias, the split pool's MRR@10
    over all questions, those answered in their own language, and the others."""
    run = runs(engines[0], queries, mode)
    ndcg = evaluate(qrels, run, ["ndcg@10"])["ndcg@10"]
    bias = language_bias(qrels, run, doc_lang)
    run = runs(engines[1], queries, mode)
    mine = evaluate({q: split[q] for q in own}, run, ["mrr@10"])["mrr@10"]
    other = evaluate({q: r for q, r in split.items() if q not in own}, run, ["mrr@10"])
    every = evaluate(split, run, ["mrr@10"])["mrr@10"]
    return (
        f"parallel nDCG@10 {ndcg:.3f} bias {bias:5.1f} | split MRR@10 {every:.3f}"
        f" (own language {mine:.3f}, other {other['mrr@10']:.3f})"
    )


if __name__ == "__main__":
    main()

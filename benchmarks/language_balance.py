"""What balancing languages and script-fair fusion do, on two mixed-language pools.

Both pools come from a benchmark whose passages exist in two languages (the built-in set,
or with ``--set`` another parallel set such as XQuAD-R, as a check of settings fitted on
the built-in one) and are searched unfiltered, as a person's mixed folder is:

- parallel: every passage (420 in the built-in set); each question is judged relevant to
  both language versions of its passage (the eval's ``mixed`` direction). Reports
  nDCG@10 and the language bias (mean rank gap between the two versions; 0 is none).
- split: one version of each passage pair only (the first language's for odd pairs, the
  second's for even ones; 210 passages of the built-in set), so every question has one
  answer, in its own language for about half of the questions and in the other for the
  rest. This is the honest test: balancing must lift the other-language answers without
  burying the own-language ones.

Each pool is searched in meaning and hybrid mode with the engine's settings as shipped
(balancing removes 0.65 of the index's language subspace from the vectors and lifts each
language's crowd of near misses half way to the highest; fusion lends a passage in
another script 1.3 × the keyword evidence the query's own-script passages have at its
meaning score, and lends a translation of a top keyword match that match's evidence),
with balancing off ("no balancing"), with both off ("plain"), with the lending before
it ("coverage lending": a share of the meaning score, smaller the more of the query the
best own-script keyword match holds), and with one setting changed at a time: each
share of the language subspace removed that ``--shares`` names, each ``--crowds`` value
(how much of the gap between a language's crowd and the highest crowd meaning search
makes up), and in hybrid mode each ``--scales`` value (the policy's ``lent_scale``).

    python benchmarks/language_balance.py [--set builtin|PATH] [--max-queries N]
        [--home DIR] [--shares 0.6 0.8 1] [--crowds 0 0.75] [--scales 1 1.2]
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from _common import row

from xlsearch import paths
from xlsearch.engine import Engine
from xlsearch.eval.datasets import Dataset, load_dataset
from xlsearch.eval.metrics import Qrels, evaluate, language_bias
from xlsearch.eval.runner import doc_run, sample_queries
from xlsearch.rank.policy import POLICY
from xlsearch.search.options import SearchOptions
from xlsearch.types import TextRecord


def build(home: Path, ds: Dataset, keep: set[str]) -> Engine:
    """An index of ``ds``'s docs in ``keep`` (made once; the shared vector cache spares
    re-embedding what an earlier run or evaluation embedded)."""
    home.mkdir(parents=True, exist_ok=True)
    paths.share_models(home)
    engine = Engine(home=home, vector_cache=paths.shared_vector_cache(paths.home()))
    if engine.status().documents < len(keep):
        records = [
            TextRecord(doc.id, doc.text, doc.lang, doc.title)
            for doc in ds.docs.values()
            if doc.id in keep
        ]
        engine.add_texts(records)
    return engine


def one_version(ds: Dataset) -> set[str]:
    """One doc of each pair of translations, the pair named by the doc id without its
    language tag (``health-01-en``, ``en-0-3``): the first language's for odd pairs,
    the second's for even ones."""
    pairs: dict[str, dict[str, str]] = {}
    for doc in ds.docs.values():
        name = "-".join(part for part in doc.id.split("-") if part != doc.lang)
        pairs.setdefault(name, {})[doc.lang] = doc.id
    keep = set()
    for n, name in enumerate(sorted(pairs)):
        versions = pairs[name]
        langs = sorted(versions)
        keep.add(versions[langs[(n + 1) % 2] if len(langs) == 2 else langs[0]])
    return keep


def runs(engine: Engine, queries: dict[str, str], mode: str) -> dict[str, dict[str, float]]:
    return {
        qid: doc_run(engine.search(text, SearchOptions(mode=mode, k=200, snippets=False)))
        for qid, text in queries.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="builtin", help="builtin, or a parallel set's path")
    parser.add_argument("--max-queries", type=int, default=None, help="sample the questions")
    parser.add_argument("--home", type=Path, default=None, help="where the two indexes go")
    parser.add_argument(
        "--shares",
        type=float,
        nargs="*",
        default=[],
        help="also measure these shares of the language subspace removed (e.g. 0.6 0.8 1)",
    )
    parser.add_argument(
        "--crowds",
        type=float,
        nargs="*",
        default=[],
        help="also measure these values of the policy's crowd_weight (e.g. 0 0.25 0.75)",
    )
    parser.add_argument(
        "--scales",
        type=float,
        nargs="*",
        default=[],
        help="also measure hybrid with these values of the policy's lent_scale (e.g. 1 1.2)",
    )
    args = parser.parse_args()
    (ds,) = load_dataset(args.set)
    home = args.home or Path("/tmp/xlsearch-bench-balance")
    if args.home is None and args.set != "builtin":
        home = home.with_name(f"{home.name}-{ds.name}")
    # Questions in a passage language only: romanized ones (lang "rom") have no
    # own-language pool.
    doc_lang = ds.doc_lang()
    ds.queries = {q: v for q, v in ds.queries.items() if v.lang in set(doc_lang.values())}
    ds.qrels = {qid: ds.qrels[qid] for qid in ds.queries}
    ds = sample_queries(ds, args.max_queries)
    queries = {qid: q.text for qid, q in ds.queries.items()}
    split_keep = one_version(ds)
    split = {q: {d: g for d, g in r.items() if d in split_keep} for q, r in ds.qrels.items()}
    own = {q for q, r in split.items() if all(doc_lang[d] == ds.queries[q].lang for d in r)}

    parallel_engine = build(home / "parallel", ds, set(ds.docs))
    split_engine = build(home / "split", ds, split_keep)
    print(f"{len(queries)} questions; parallel pool {len(ds.docs)}, split pool {len(split_keep)}")
    engines = (parallel_engine, split_engine)
    shipped = POLICY
    arms = [
        ("plain", False, False, shipped),
        ("no balancing", False, True, shipped),
        *((f"share {s:.2f}", True, True, replace(shipped, removed_share=s)) for s in args.shares),
        *((f"crowd {c:.2f}", True, True, replace(shipped, crowd_weight=c)) for c in args.crowds),
        # The lending before this one: a share of the meaning score by keyword coverage.
        ("coverage lending", True, True, replace(shipped, line_passages=0)),
        ("as shipped", True, True, shipped),
    ]
    scales = [(f"scale {x:.2f}", True, True, replace(shipped, lent_scale=x)) for x in args.scales]
    for mode in ("dense", "hybrid"):
        for label, balance, fair, policy in arms + (scales if mode == "hybrid" else []):
            for engine in engines:
                engine.settings.balance_languages = balance
                engine.settings.script_fair_fusion = fair
                engine.searcher.policy = policy
            figures = measure(engines, ds.qrels, split, own, queries, doc_lang, mode)
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

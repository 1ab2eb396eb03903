"""Evaluation of retrieval quality: datasets, metrics, significance tests and reports.

Everything here is headless and pure except the loaders, which read files; the
benchmark runner feeds datasets through the search engine and hands the runs to
:mod:`~xlsearch.eval.metrics`, then renders :class:`~xlsearch.eval.report.RunResult`s.
"""

from __future__ import annotations

from xlsearch.eval.datasets import (
    Dataset,
    EvalDoc,
    EvalQuery,
    directions,
    guess_lang,
    load_dataset,
)
from xlsearch.eval.loaders import load_beir, load_parallel, load_tmx, load_xquad_r
from xlsearch.eval.metrics import (
    DEFAULT_METRICS,
    average_precision,
    evaluate,
    language_bias,
    language_bias_per_query,
    ndcg,
    per_query,
    precision,
    recall,
    reciprocal_rank,
)
from xlsearch.eval.report import (
    RunResult,
    rich_table,
    to_csv,
    to_json,
    to_markdown,
    write_report,
)
from xlsearch.eval.significance import paired_randomization

__all__ = [
    "DEFAULT_METRICS",
    "Dataset",
    "EvalDoc",
    "EvalQuery",
    "RunResult",
    "average_precision",
    "directions",
    "evaluate",
    "guess_lang",
    "language_bias",
    "language_bias_per_query",
    "load_beir",
    "load_dataset",
    "load_parallel",
    "load_tmx",
    "load_xquad_r",
    "ndcg",
    "paired_randomization",
    "per_query",
    "precision",
    "recall",
    "reciprocal_rank",
    "rich_table",
    "to_csv",
    "to_json",
    "to_markdown",
    "write_report",
]

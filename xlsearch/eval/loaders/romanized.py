"""Romanized versions of a dataset's queries (``romanized.jsonl`` beside a BEIR folder).

Each line is ``{"_id", "of", "text"}``: the same question as query ``of``, typed in
Latin letters as people type Nepali on a phone. It joins the dataset as a query of
language ``rom`` judged like ``of``, so the evaluation reports rom→ne and rom→en.
"""

from __future__ import annotations

import json
from pathlib import Path

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import ROMANIZED, Dataset, EvalQuery

FILE = "romanized.jsonl"


def with_romanized(ds: Dataset, path: Path) -> Dataset:
    """``ds`` with the queries of ``path`` added, each judged as the query it restates."""
    queries = dict(ds.queries)
    qrels = dict(ds.qrels)
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            qid, of, text = _record(path, number, line)
            if of not in ds.queries:
                raise DatasetError(f"{path} line {number} restates unknown query '{of}'.")
            queries[qid] = EvalQuery(qid, text, ROMANIZED)
            qrels[qid] = dict(ds.qrels.get(of, {}))
    return Dataset(ds.name, ds.docs, queries, qrels)


def _record(path: Path, number: int, line: str) -> tuple[str, str, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise DatasetError(f"{path} line {number} is not JSON: {error.msg}.") from None
    fields = [record.get(k) if isinstance(record, dict) else None for k in ("_id", "of", "text")]
    if not all(isinstance(f, str) and f for f in fields):
        raise DatasetError(f"{path} line {number} needs _id, of and text as strings.")
    qid, of, text = (str(f) for f in fields)
    return qid, of, text

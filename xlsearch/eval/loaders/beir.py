"""Reads a BEIR-layout dataset: ``corpus.jsonl``, ``queries.jsonl``, ``qrels/<split>.tsv``.

BEIR records carry no language, so an optional ``lang`` field is honoured and the rest
are tagged by :func:`~xlsearch.eval.datasets.guess_lang`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery, guess_lang, with_judged_queries


def _records(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise DatasetError(f"{path} is missing; a BEIR dataset needs corpus, queries and qrels.")
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path} line {number} is not JSON: {error.msg}.") from None
            if not isinstance(record, dict) or "_id" not in record or "text" not in record:
                raise DatasetError(f"{path} line {number} needs an object with _id and text.")
            yield record


def _lang(record: dict[str, Any]) -> str:
    lang = record.get("lang")
    return str(lang) if lang else guess_lang(str(record["text"]))


def _docs(path: Path) -> dict[str, EvalDoc]:
    docs: dict[str, EvalDoc] = {}
    for record in _records(path):
        doc_id = str(record["_id"])
        title = str(record.get("title") or "")
        docs[doc_id] = EvalDoc(doc_id, str(record["text"]), _lang(record), title)
    return docs


def _queries(path: Path) -> dict[str, EvalQuery]:
    return {
        str(record["_id"]): EvalQuery(str(record["_id"]), str(record["text"]), _lang(record))
        for record in _records(path)
    }


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    if not path.is_file():
        raise DatasetError(f"{path} is missing; name a split that has a qrels file.")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = line.rstrip("\n").split("\t")
            if (number == 1 and fields[0] == "query-id") or not line.strip():
                continue
            try:
                qid, doc_id, grade = fields[0], fields[1], int(float(fields[2]))
            except (IndexError, ValueError):
                raise DatasetError(
                    f"{path} line {number} should be 'query-id<TAB>corpus-id<TAB>score'."
                ) from None
            qrels.setdefault(qid, {})[doc_id] = grade
    return qrels


def load_beir(path: Path, split: str = "test", name: str | None = None) -> Dataset:
    """The BEIR dataset in folder ``path``, judged by ``qrels/<split>.tsv``.

    Qrels rows naming an unknown query or doc are dropped (BEIR releases carry a few),
    and so are queries without a relevant doc in the split.
    """
    docs = _docs(path / "corpus.jsonl")
    queries = _queries(path / "queries.jsonl")
    raw = _qrels(path / "qrels" / f"{split}.tsv")
    qrels = {
        qid: {doc: grade for doc, grade in judged.items() if doc in docs}
        for qid, judged in raw.items()
        if qid in queries
    }
    ds = with_judged_queries(Dataset(name or path.name, docs, queries, qrels))
    if not ds.queries:
        raise DatasetError(f"{path} has no query with a relevant document in split {split!r}.")
    return ds

"""Reads FLORES-style parallel files: line i of every language file is the same sentence.

Two tasks come out of them. Sentence level is bitext retrieval: a sentence in one
language as the query, its translation in another language as the one relevant doc.
Article level groups consecutive lines that share a URL in the metadata TSV into
articles: a sentence (or an article's first sentence) is the query and the article in
another language is the relevant doc.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery, with_judged_queries

Level = Literal["sentence", "article"]
QueryChoice = Literal["all", "first"]


def _lines(files: dict[str, Path]) -> dict[str, list[str]]:
    lines: dict[str, list[str]] = {}
    for lang, path in files.items():
        try:
            lines[lang] = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError):
            raise DatasetError(f"Cannot read {path} as UTF-8 text; check the path.") from None
    if len({len(found) for found in lines.values()}) > 1:
        counts = ", ".join(f"{lang} {len(found)}" for lang, found in lines.items())
        raise DatasetError(f"Parallel files must have the same number of lines ({counts}).")
    return lines


def article_of_lines(metadata: Path, count: int) -> list[int]:
    """The 0-based article number of each line: a new article starts when the URL changes."""
    try:
        with metadata.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t"))
    except (OSError, UnicodeDecodeError):
        raise DatasetError(f"Cannot read metadata {metadata}; check the path.") from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    column = header.index("url") if "url" in header else 0
    urls = [row[column] if len(row) > column else "" for row in rows[1:]]
    if len(urls) != count:
        raise DatasetError(
            f"{metadata} has {len(urls)} rows after its header but the files have {count} lines."
        )
    articles: list[int] = []
    for index, url in enumerate(urls):
        starts = index == 0 or url != urls[index - 1]
        articles.append((articles[-1] if articles else -1) + (1 if starts else 0))
    return articles


def _query_lines(count: int, articles: list[int] | None, queries: QueryChoice) -> list[int]:
    if queries == "all":
        return list(range(count))
    if articles is None:
        raise DatasetError("queries='first' needs the metadata file that marks articles.")
    return [i for i in range(count) if i == 0 or articles[i] != articles[i - 1]]


def _sentence_docs(lines: dict[str, list[str]]) -> dict[str, EvalDoc]:
    return {
        f"{lang}-{i + 1}": EvalDoc(f"{lang}-{i + 1}", text, lang)
        for lang, found in lines.items()
        for i, text in enumerate(found)
        if text
    }


def _article_docs(lines: dict[str, list[str]], articles: list[int]) -> dict[str, EvalDoc]:
    docs: dict[str, EvalDoc] = {}
    for lang, found in lines.items():
        for article in sorted(set(articles)):
            text = "\n".join(t for i, t in enumerate(found) if articles[i] == article and t)
            doc_id = f"{lang}-article-{article + 1}"
            docs[doc_id] = EvalDoc(doc_id, text, lang)
    return docs


def load_parallel(
    files: dict[str, Path],
    metadata: Path | None = None,
    level: Level = "sentence",
    queries: QueryChoice = "all",
    same_language: bool = False,
    name: str | None = None,
) -> Dataset:
    """Parallel files as a retrieval dataset; ``files`` maps a language code to its file.

    Query ids are ``<lang>:<line>`` (1-based). Sentence level docs are ``<lang>-<line>``;
    article level docs are ``<lang>-article-<n>`` (text: the article's lines joined by
    newlines, no title; ``metadata`` is required). A query is relevant (grade 1) to its
    line's sentence or article in every other language. With ``same_language`` it is also
    relevant in its own language, where the answer is trivial (the sentence itself, or
    the article holding it), so that is off by default. ``queries="first"`` keeps only
    each article's first line as a query (needs ``metadata``).
    """
    if not files or (len(files) < 2 and not same_language):
        raise DatasetError("Parallel data needs files in at least two languages.")
    lines = _lines(files)
    count = len(next(iter(lines.values())))
    if level == "article" and metadata is None:
        raise DatasetError("Article level needs the metadata TSV that gives each line's URL.")
    articles = article_of_lines(metadata, count) if metadata is not None else None
    if articles is not None and level == "article":
        docs = _article_docs(lines, articles)
        target = [f"article-{a + 1}" for a in articles]
    else:
        docs = _sentence_docs(lines)
        target = [str(i + 1) for i in range(count)]
    query_values: dict[str, EvalQuery] = {}
    qrels: dict[str, dict[str, int]] = {}
    for lang, found in lines.items():
        for i in _query_lines(count, articles, queries):
            if not found[i]:
                continue
            qid = f"{lang}:{i + 1}"
            query_values[qid] = EvalQuery(qid, found[i], lang)
            wanted = [f"{other}-{target[i]}" for other in lines if other != lang or same_language]
            qrels[qid] = {doc: 1 for doc in wanted if doc in docs}
    label = name or f"{next(iter(files.values())).parent.name}-{level}s"
    return with_judged_queries(Dataset(label, docs, query_values, qrels))

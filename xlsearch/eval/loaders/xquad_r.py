"""Reads XQuAD-R / LAReQA files: one SQuAD-like JSON per language, named by language.

The candidates are the sentences of every paragraph (``sentences`` with their
``sentence_breaks``); a question's answer sentence is the one holding its
``answer_start``. Question ids are shared across languages, so a question is relevant
to its answer sentence in every language file: that is what makes the mixed pool.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery, with_judged_queries


@dataclass
class _LanguageFile:
    """What one language's file gives: its sentences, questions and answer sentences."""

    docs: dict[str, EvalDoc] = field(default_factory=dict)
    questions: dict[str, str] = field(default_factory=dict)
    answers: dict[str, set[str]] = field(default_factory=dict)


def _paragraphs(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [p for article in data["data"] for p in article["paragraphs"]]
    except FileNotFoundError:
        raise DatasetError(f"{path} is missing; give existing XQuAD-R language files.") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise DatasetError(f"{path} is not LAReQA JSON (data[].paragraphs[]).") from None


def _answer_sentence(breaks: list[list[int]], start: int) -> int:
    """Index of the sentence whose span starts at or before ``start`` (the last such)."""
    return max(bisect.bisect_right([b[0] for b in breaks], start) - 1, 0)


def _read_paragraph(lang: str, index: int, paragraph: dict[str, Any], into: _LanguageFile) -> None:
    sentences: list[str] = paragraph["sentences"]
    breaks: list[list[int]] = paragraph["sentence_breaks"]
    if len(sentences) != len(breaks) or not sentences:
        raise ValueError("sentences and sentence_breaks differ")
    for number, sentence in enumerate(sentences):
        doc_id = f"{lang}-{index}-{number}"
        into.docs[doc_id] = EvalDoc(doc_id, sentence, lang)
    for qa in paragraph["qas"]:
        qid = str(qa["id"])
        into.questions[qid] = str(qa["question"])
        for answer in qa["answers"]:
            where = _answer_sentence(breaks, int(answer["answer_start"]))
            into.answers.setdefault(qid, set()).add(f"{lang}-{index}-{where}")


def _read_language(path: Path) -> _LanguageFile:
    lang, found = path.stem, _LanguageFile()
    for index, paragraph in enumerate(_paragraphs(path)):
        try:
            _read_paragraph(lang, index, paragraph, found)
        except (KeyError, TypeError, ValueError):
            raise DatasetError(
                f"{path} paragraph {index} lacks sentences, sentence_breaks or qas."
            ) from None
    return found


def load_xquad_r(paths: list[Path], name: str = "xquad-r") -> Dataset:
    """XQuAD-R from one file per language; the file stem is the language (``en.json``).

    Doc ids are ``<lang>-<paragraph>-<sentence>`` (paragraphs numbered through the
    file), query ids ``<lang>:<question id>``. Each query is relevant (grade 1) to the
    answer sentence of the same question id in every language file.
    """
    if not paths:
        raise DatasetError("No XQuAD-R files given; pass one JSON file per language.")
    files = {path.stem: _read_language(path) for path in sorted(paths)}
    answers: dict[str, set[str]] = {}
    for found in files.values():
        for qid, sentences in found.answers.items():
            answers.setdefault(qid, set()).update(sentences)
    docs = {k: d for found in files.values() for k, d in found.docs.items()}
    queries: dict[str, EvalQuery] = {}
    qrels: dict[str, dict[str, int]] = {}
    for lang, found in files.items():
        for qid, text in found.questions.items():
            queries[f"{lang}:{qid}"] = EvalQuery(f"{lang}:{qid}", text, lang)
            qrels[f"{lang}:{qid}"] = dict.fromkeys(sorted(answers.get(qid, ())), 1)
    return with_judged_queries(Dataset(name, docs, queries, qrels))


def is_lareqa(path: Path) -> bool:
    """True when ``path`` is a JSON file whose paragraphs carry ``sentence_breaks``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return "sentence_breaks" in data["data"][0]["paragraphs"][0]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return False

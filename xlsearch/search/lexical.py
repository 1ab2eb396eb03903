"""Turning a typed query into an FTS5 expression over stemmed terms.

Chunks are stored in FTS5 as their stemmed terms (see ``text.terms``), so the query
is stemmed the same way. Terms are OR-ed: BM25 ranks passages that hold more and
rarer query words first, while a question need not contain every word of its answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from xlsearch.text import stem, words


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """English and Nepali function words (``xlsearch/data/stopwords.txt``)."""
    return frozenset(stopword_list())


@lru_cache(maxsize=1)
def stopword_list() -> tuple[str, ...]:
    """The function words in file order (each language's commonest first)."""
    text = (Path(__file__).parents[1] / "data" / "stopwords.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return tuple(dict.fromkeys(w for line in lines for w in line.split()))


def query_terms(query: str) -> list[str]:
    """Stemmed query terms without function words; all terms if every word is one."""
    found = words(query)
    kept = [w for w in found if w not in stopwords()] or found
    return list(dict.fromkeys(stem(w) for w in kept))


def any_of(terms: Sequence[str]) -> str | None:
    """An FTS5 MATCH string matching any of ``terms``; None for no terms."""
    return " OR ".join(quoted(t) for t in terms) or None


def quoted(term: str) -> str:
    """``term`` as an FTS5 string literal."""
    # Double quotes make each term a string literal, so FTS5 operators typed by the
    # user (AND, NEAR, *, ^) are searched as words instead of being parsed.
    return '"' + term.replace('"', '""') + '"'

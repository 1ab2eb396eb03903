"""Snippets: the sentence of a chunk that best matches the query, with its words marked."""

from __future__ import annotations

import regex

from xlsearch.text import sentences, stem, words

_WORD = regex.compile(r"\w+")


def highlight_spans(text: str, query_terms: set[str]) -> list[tuple[int, int]]:
    """(start, end) spans of the words of ``text`` whose stem is a query term."""
    initials = _initials(query_terms)
    spans = []
    for match in _WORD.finditer(text):
        folded = words(match.group())
        if folded and _matches(folded[0], query_terms, initials):
            spans.append(match.span())
    return spans


def _initials(query_terms: set[str]) -> set[str]:
    return {term[:1] for term in query_terms}


def _matches(word: str, query_terms: set[str], initials: set[str]) -> bool:
    """Whether ``word`` stems to a query term. Snowball (and the Nepali postpositions
    peeled off before it) only changes a word's ending, so a word whose first letter
    starts no query term is never stemmed: a cold search's ten snippets stemmed some
    600 words, most of a search's own work, to find a few dozen."""
    return word[:1] in initials and stem(word) in query_terms


def make_snippet(
    text: str, query_terms: set[str], max_chars: int = 240
) -> tuple[str, list[tuple[int, int]]]:
    """The best sentence (most distinct query terms; the first one when none match),
    followed by the next while it fits, cut to ``max_chars``; and its highlight spans."""
    found = [s for _, s in sentences(text)] or [text]
    initials = _initials(query_terms)
    scores = [len({stem(w) for w in words(s) if _matches(w, query_terms, initials)}) for s in found]
    best = max(range(len(found)), key=lambda i: (scores[i], -i))
    snippet = found[best]
    for follower in found[best + 1 :]:
        if len(snippet) + 1 + len(follower) > max_chars:
            break
        snippet = f"{snippet} {follower}"
    if len(snippet) > max_chars:
        cut = snippet.rfind(" ", 0, max_chars)
        snippet = snippet[: cut if cut > max_chars // 2 else max_chars].rstrip() + "…"
    return snippet, highlight_spans(snippet, query_terms)

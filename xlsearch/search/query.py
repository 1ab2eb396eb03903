"""Query analysis: what a typed query is, before any index is asked.

This module owns reading the user's text: normalisation, which scripts it uses, its
keyword terms, and the alternative readings it may have (a romanized Nepali query read
in Devanagari). Ranking policy lives in :mod:`xlsearch.search.ranking`; the engine
only wires the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsearch.search.lexical import match_expression, query_terms
from xlsearch.text import normalize, scripts


@dataclass(frozen=True)
class Reading:
    """One way of reading the query: the text searched, and how it was obtained.

    ``source`` is ``"typed"`` for the query as typed; other readings name what
    produced them (e.g. ``"romanized"``) so the interface can say what was searched.
    """

    text: str
    source: str = "typed"


@dataclass(frozen=True)
class Query:
    """A normalised query and what analysis found in it."""

    text: str
    scripts: frozenset[str]
    readings: tuple[Reading, ...] = field(default=())

    @property
    def expression(self) -> str | None:
        """The FTS5 MATCH expression of the typed text, None when it has no word."""
        return match_expression(self.text)

    @property
    def terms(self) -> list[str]:
        """Stemmed keyword terms of every reading, for highlighting snippets."""
        found = query_terms(self.text)
        for reading in self.readings:
            found += query_terms(reading.text)
        return list(dict.fromkeys(found))

    @property
    def searched_as(self) -> str | None:
        """The first reading other than the typed text, for "searched as ...", else None."""
        for reading in self.readings:
            if reading.source != "typed":
                return reading.text
        return None


def analyse(text: str) -> Query | None:
    """The analysed query, or None when ``text`` is blank after normalisation."""
    cleaned = normalize(text).strip()
    if not cleaned:
        return None
    return Query(cleaned, frozenset(scripts(cleaned)))

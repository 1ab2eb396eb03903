"""Query analysis: what a typed query is, before any index is asked.

This module owns reading the user's text: normalisation, which scripts it uses, its
keyword terms, and the alternative readings it may have (a romanized Nepali query read
in Devanagari). Ranking policy lives in :mod:`xlsearch.rank.ranking`; the engine
only wires the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from xlsearch.search.lexical import any_of, query_terms
from xlsearch.search.romanize import Lexicon, RomanizedReading, Vocabulary, read
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
    expansions: tuple[str, ...] = field(default=())
    """Indexed keyword terms the readings add (the Devanagari a romanized word means)."""

    @property
    def keyword_terms(self) -> list[str]:
        """The stemmed terms keyword search matches: the typed text's, then the
        expansions."""
        return list(dict.fromkeys([*query_terms(self.text), *self.expansions]))

    @property
    def expression(self) -> str | None:
        """The FTS5 MATCH expression of :attr:`keyword_terms`, None when there is no
        word to search."""
        return any_of(self.keyword_terms)

    @property
    def dense_texts(self) -> list[str]:
        """The texts meaning search embeds: every reading, else the typed text."""
        return [r.text for r in self.readings] or [self.text]

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


def _alternative(found: RomanizedReading) -> tuple[Reading, ...]:
    if found.alternative is None:
        return ()
    return (Reading(found.alternative, "romanized"),)


def analyse(
    text: str,
    vocabulary: Vocabulary | None = None,
    *,
    typed_vector: bool = False,
    lexicon: Lexicon | None = None,
) -> Query | None:
    """The analysed query, or None when ``text`` is blank after normalisation.

    With a ``vocabulary`` (the index), Latin words that read as romanized Nepali gain a
    Devanagari reading (see :mod:`xlsearch.search.romanize`); ``lexicon`` reads the
    words the index cannot. The typed text stays a
    reading of its own when the query may be English, or when ``typed_vector`` asks
    for its vector to be fused in anyway.
    """
    cleaned = normalize(text).strip()
    if not cleaned:
        return None
    query = Query(cleaned, frozenset(scripts(cleaned)))
    found = read(cleaned, vocabulary, lexicon) if vocabulary is not None else None
    if found is None:
        return query
    typed = (Reading(cleaned),) if found.maybe_english or typed_vector else ()
    return replace(
        query,
        # Keywords now reach the script of the reading too (see Ranker.fuse).
        scripts=query.scripts | scripts(found.text),
        readings=(*typed, Reading(found.text, "romanized"), *_alternative(found)),
        expansions=found.terms,
    )

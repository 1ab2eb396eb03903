"""How one search runs: a value passed into ``Engine.find``, never settings changed per query.

The CLI, the app and the evaluation each map their flags to a ``SearchOptions``; the
settings file still gives the defaults a person chose (a query head, romanized reading),
which an option left as None takes.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsearch.errors import XlsearchError
from xlsearch.store.db import Filters

MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class SearchOptions:
    """One search's mode, depth, filters and query reading."""

    mode: str = "hybrid"
    """hybrid fuses meaning (dense) and keyword (lexical) evidence."""
    k: int = 10
    """How many hits to return."""
    lang: str | None = None
    """Only passages in this language ("ne", "en", "hi", "other")."""
    path_prefix: str | None = None
    """Only files under this absolute folder."""
    file_type: str | None = None
    """Only files of this type ("pdf", "docx", ...)."""
    snippets: bool = True
    """False leaves ``Hit.snippet`` empty, for callers that only rank (the evaluation)."""
    head: str | None = None
    """Map query vectors with this trained head; None: the ``head`` setting."""
    romanized: bool | None = None
    """Read romanized Nepali as Devanagari too; None: the ``romanized_queries`` setting."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise XlsearchError(f"Unknown mode '{self.mode}'; use one of {', '.join(MODES)}.")

    @property
    def filters(self) -> Filters:
        return Filters(self.lang, self.path_prefix, self.file_type)

"""What the search screen asks the engine for: the query and its filters, as values.

Pure code (no Textual), so the cycling order and the labels are unit-tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from xlsearch.search.options import MODES, SearchOptions

T = TypeVar("T")

LANGUAGES: tuple[str | None, ...] = (None, "ne", "en")
"""Language filter cycle: all, Nepali, English. Modes cycle in ``MODES`` order; the UI
calls them hybrid, meaning and keyword."""

FILE_TYPES: tuple[str | None, ...] = (
    None, "txt", "md", "pdf", "docx", "html", "odt", "epub", "doc", "rtf", "xlsx", "xls", "ods",
    "csv", "tsv", "pptx", "ppt", "odp", "eml", "mbox", "zip",
)  # fmt: skip
"""File type filter cycle; None means every type."""

LANGUAGE_LABELS = {None: "all", "ne": "Nepali", "en": "English"}
MODE_LABELS = {"hybrid": "hybrid", "dense": "meaning", "lexical": "keyword"}


def _next(options: tuple[T, ...], current: T) -> T:
    index = options.index(current) if current in options else -1
    return options[(index + 1) % len(options)]


@dataclass(frozen=True)
class SearchFilters:
    """The filters a person set from the keyboard; None means no filter."""

    mode: str = "hybrid"
    lang: str | None = None
    folder: str | None = None
    file_type: str | None = None

    def next_language(self) -> SearchFilters:
        return replace(self, lang=_next(LANGUAGES, self.lang))

    def next_mode(self) -> SearchFilters:
        return replace(self, mode=_next(MODES, self.mode))

    def next_file_type(self) -> SearchFilters:
        return replace(self, file_type=_next(FILE_TYPES, self.file_type))

    def options(self, k: int) -> SearchOptions:
        """The engine's options for a search of ``k`` hits under these filters."""
        return SearchOptions(self.mode, k, self.lang, self.folder, self.file_type)

    def describe(self) -> str:
        """One line for the filter bar, e.g. 'mode hybrid · language Nepali · type all'."""
        parts = [
            f"mode {MODE_LABELS.get(self.mode, self.mode)}",
            f"language {LANGUAGE_LABELS.get(self.lang, self.lang or 'all')}",
            f"type {self.file_type or 'all'}",
        ]
        if self.folder:
            parts.append(f"folder {self.folder}")
        return " · ".join(parts)


@dataclass(frozen=True)
class SearchRequest:
    """One search sent to a worker; ``seq`` tells a stale answer from the latest."""

    seq: int
    query: str
    filters: SearchFilters
    k: int = 20

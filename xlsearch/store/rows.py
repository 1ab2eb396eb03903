"""The values the store reads and writes (documents, chunks, filters) and the SQL that
turns search filters into a WHERE clause."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from xlsearch.types import Chunk

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np


def now() -> str:
    """UTC timestamp in ISO 8601, seconds precision."""
    from datetime import UTC, datetime  # here: only writes stamp times, a search never

    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DocumentRow:
    """A file as recorded: where it is, what it was when read, and how reading went."""

    id: int
    path: str
    size: int
    mtime: float
    hash: str | None
    status: str


@dataclass(frozen=True)
class ChunkRow:
    """A chunk joined with its document, as search results need it."""

    id: int
    document_id: int
    ordinal: int
    text: str
    lang: str
    page: int | None
    line: int | None
    path: str
    type: str
    converted_from: str | None = None  # the legacy font the document was converted from
    where: str | None = None  # see Section.where
    ocr: float | None = None  # see Section.ocr


@dataclass(frozen=True)
class NewDocument:
    """Everything written for one indexed file."""

    path: str
    root: str | None
    size: int
    mtime: float
    hash: str
    type: str
    chunks: Sequence[Chunk]
    terms: Sequence[str]  # one space-joined term string per chunk
    # (len(chunks), dim) float32, L2-normalised; None: vectors come later (vector_todo)
    vectors: np.ndarray | None = None
    converted_from: str | None = None  # legacy font ("Preeti", ...) the text came from
    new_words: bool = True  # False: a copy of an indexed document, its words already kept


@dataclass(frozen=True)
class Filters:
    """Restrictions on which chunks a search may return; None means any."""

    lang: str | None = None
    path_prefix: str | None = None
    file_type: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.lang, self.path_prefix, self.file_type))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_sql(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.lang is not None:
        clauses.append("c.lang = ?")
        params.append(filters.lang)
    if filters.file_type is not None:
        clauses.append("d.type = ?")
        params.append(filters.file_type)
    if filters.path_prefix is not None:
        prefix = filters.path_prefix.rstrip("/")
        clauses.append("(d.path = ? OR d.path LIKE ? ESCAPE '\\')")
        params.extend([prefix, _escape_like(prefix) + "/%"])
    return "".join(f" AND {c}" for c in clauses), params

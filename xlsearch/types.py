"""Plain values that flow through the pipeline: sections, chunks and hits."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A run of text from one place in a file.

    ``page`` is 1-based for paged formats (PDF) and None elsewhere; ``line`` is the
    1-based line where the text starts for line-based formats, and None where a
    format has no meaningful lines.
    """

    text: str
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Chunk:
    """A piece of a document sized for the embedding model, with where it came from."""

    text: str
    lang: str
    ordinal: int
    page: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class Hit:
    """One search result.

    ``score`` is the fused score in hybrid mode (reciprocal-rank sum); in dense mode the
    cosine similarity, or, where meaning search balances languages, how many standard
    deviations the cosine stands above its language's typical match; the negated BM25 in
    lexical mode. Higher is better in every mode. ``lexical_rank`` and ``dense_rank``
    are 1-based ranks in each retriever's list, None where that retriever did not return
    the chunk; they say why the chunk matched. ``highlights`` are (start, end) character
    spans of ``snippet`` to mark.
    """

    chunk_id: int
    path: str
    score: float
    lang: str
    text: str
    snippet: str
    page: int | None = None
    line: int | None = None
    file_type: str = ""
    lexical_rank: int | None = None
    dense_rank: int | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)

    @property
    def location(self) -> str:
        """A short human label for where the chunk sits in its file."""
        if self.page is not None:
            return f"page {self.page}"
        if self.line is not None:
            return f"line {self.line}"
        return ""

    @property
    def matched_by(self) -> str:
        """'keyword', 'meaning' or 'both': which retriever found this chunk."""
        if self.lexical_rank is not None and self.dense_rank is not None:
            return "both"
        return "keyword" if self.lexical_rank is not None else "meaning"

    def to_json(self) -> dict[str, object]:
        """The hit as a JSON-ready dict (the CLI's ``--json`` output)."""
        return {
            "path": self.path,
            "score": round(self.score, 6),
            "lang": self.lang,
            "snippet": self.snippet,
            "location": self.location,
            "page": self.page,
            "line": self.line,
            "chunk_id": self.chunk_id,
            "file_type": self.file_type,
            "lexical_rank": self.lexical_rank,
            "dense_rank": self.dense_rank,
            "matched_by": self.matched_by,
        }


@dataclass(frozen=True)
class TextRecord:
    """A document given as text rather than as a file (evaluation datasets).

    ``key`` becomes the document's path in the index and comes back as ``Hit.path``.
    ``lang`` overrides language detection when given.
    """

    key: str
    text: str
    lang: str | None = None
    title: str = ""


@dataclass(frozen=True)
class FileIssue:
    """A file that was skipped or failed, with the reason a person can act on."""

    path: str
    status: str  # "failed" or "skipped"
    reason: str


@dataclass(frozen=True)
class IndexProgress:
    """A snapshot of a running indexing job, sent to the progress callback."""

    files_done: int
    files_total: int
    chunks_done: int
    chunks_per_s: float
    eta_s: float | None
    current: str = ""


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    chunks: int = 0
    seconds: float = 0.0
    issues: list[FileIssue] = field(default_factory=list)


@dataclass(frozen=True)
class RootInfo:
    """A folder the user asked to index, with what it holds now."""

    path: str
    documents: int
    chunks: int
    updated_at: str


@dataclass
class Status:
    """What the index holds (``xlsearch status``)."""

    home: str
    model: str
    dimension: int
    documents: int
    chunks: int
    languages: dict[str, int] = field(default_factory=dict)
    roots: list[RootInfo] = field(default_factory=list)
    issues: list[FileIssue] = field(default_factory=list)
    health: str = "not checked"  # SQLite's quick_check: "ok" or the first problem found
    warnings: list[str] = field(default_factory=list)  # e.g. a state folder others can read

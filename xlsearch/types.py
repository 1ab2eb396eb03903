"""Plain values that flow through the pipeline: sections, chunks and hits."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A run of text from one place in a file.

    ``page`` is 1-based for paged formats (PDF) and None elsewhere; ``line`` is the
    1-based line where the text starts for line-based formats, and None where a
    format has no meaningful lines. ``converted_from`` names the legacy font (e.g.
    "Preeti") the text was converted from, None where it was Unicode already. ``where``
    labels a place that is neither a page nor a line ("sheet Patients, row 12", "slide 3",
    "report.zip › notes.docx"); ``ocr`` is tesseract's mean word confidence (0-100) where
    the text was read by OCR, None where the file held it as text.
    """

    text: str
    page: int | None = None
    line: int | None = None
    converted_from: str | None = None
    where: str | None = None
    ocr: float | None = None


@dataclass(frozen=True)
class Chunk:
    """A piece of a document sized for the embedding model, with where it came from."""

    text: str
    lang: str
    ordinal: int
    page: int | None = None
    line: int | None = None
    where: str | None = None
    ocr: float | None = None


def describe_location(
    page: int | None, line: int | None, where: str | None = None, ocr: float | None = None
) -> str:
    """A short human label for a place in a file: "page 3", "line 12", "slide 2",
    "read by OCR, page 3, 87%"; "" where the format has no places."""
    if where is not None:
        place = where
    elif page is not None:
        place = f"page {page}"
    elif line is not None:
        place = f"line {line}"
    else:
        place = ""
    if ocr is None:
        return place
    return ", ".join(part for part in ("read by OCR", place, f"{ocr:.0f}%") if part)


_NUMBERED = re.compile(r"^(.*?)\b(row|slide|message|line|page) (\d+)$")
PLACE_SEPARATOR = " › "


def span_places(first: str | None, last: str | None) -> str | None:
    """The place of a chunk that runs from ``first`` to ``last``: "sheet S, rows 2–5",
    "slides 1–2", "a.zip › lines 3–9"; ``first`` where the two cannot be joined."""
    if first is None or last is None or first == last:
        return first
    head, tail = first.split(PLACE_SEPARATOR), last.split(PLACE_SEPARATOR)
    shared = 0
    while shared < min(len(head), len(tail)) - 1 and head[shared] == tail[shared]:
        shared += 1
    one, two = _NUMBERED.match(head[shared]), _NUMBERED.match(tail[shared])
    if one is None or two is None or one.group(1, 2) != two.group(1, 2):
        return first
    start, end = int(one.group(3)), int(two.group(3))
    if start >= end:
        return first
    joined = f"{one.group(1)}{one.group(2)}s {start}–{end}"
    return PLACE_SEPARATOR.join([*head[:shared], joined])


def describe_unread(counts: dict[str, int]) -> str:
    """'3 .msg, 2 .dwg': counts by suffix, most first (ties by suffix); "" when empty."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{n:,} {suffix or 'without extension'}" for suffix, n in ordered if n)


@dataclass(frozen=True)
class Hit:
    """One search result.

    ``score`` is the fused score in hybrid mode (meaning scaled 0..1 plus weighted
    keyword evidence, see ``rank.fusion``); in dense mode the cosine similarity, of the
    vectors with part of their language subspace removed where meaning search balances
    languages, plus its language's crowd lift (see ``rank.balance``); the BM25 score
    in lexical mode. Higher is
    better in every mode. ``lexical_rank`` and ``dense_rank`` are 1-based ranks in each
    retriever's list, None where that retriever did not return the chunk; they say why
    the chunk matched. ``highlights`` are (start, end) character
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
    converted_from: str | None = None
    """The legacy font ("Preeti", ...) the document's text was converted from, if any."""
    where: str | None = None
    """A place that is neither page nor line ("sheet Patients, row 12"), see Section."""
    ocr: float | None = None
    """Tesseract's mean confidence (0-100) where the passage was read by OCR."""

    @property
    def location(self) -> str:
        """A short human label for where the chunk sits in its file."""
        return describe_location(self.page, self.line, self.where, self.ocr)

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
            "converted_from": self.converted_from,
            "where": self.where,
            "ocr_confidence": self.ocr,
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
    # "reading" (text and keywords, committed first), "embedding" (vectors, after),
    # "ocr" (scanned pages, last; files_done and files_total then count pages) or
    # "encoder" (preparing the passage encoder, once per machine, before the vectors:
    # current is the step, files_done and files_total count steps done and planned)
    phase: str = "reading"
    chunks_total: int = 0
    seconds_per_page: float | None = None  # OCR phase: wall time per page, all cores


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    moved: int = 0  # files found at a new path, their documents kept (Batch.moved_from)
    chunks: int = 0
    seconds: float = 0.0
    issues: list[FileIssue] = field(default_factory=list)
    embedded: int = 0  # distinct texts the encoder computed
    reused: int = 0  # chunk vectors taken from the vector cache instead
    embed_seconds: float = 0.0  # time in the encoder
    vectors_pending: int = 0  # chunks still without a vector (stopped early)
    ocr_pages: int = 0  # pages Tesseract read in this run (cached pages not counted)
    ocr_waiting: int = 0  # pages left for OCR: stopped early, or OCR off or not installed


@dataclass(frozen=True)
class RootInfo:
    """A folder the user asked to index, with what it holds now."""

    path: str
    documents: int
    chunks: int
    updated_at: str
    # False when the folder is not there now (a drive not plugged in, a folder deleted):
    # its documents are kept until it is back or forgotten (a renamed folder is
    # forgotten by the run that finds its files moved).
    present: bool = True


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
    converted: dict[str, str] = field(default_factory=dict)
    """Path -> legacy font ("Preeti", ...) for each document converted to Unicode."""
    embedded: int = 0  # chunks meaning search covers (with a vector of the model)
    encoders: dict[str, int] = field(default_factory=dict)  # encoder -> vectors it made
    encoder_note: str = ""  # the document encoder chosen here, with its gate figures
    left_out: list[FileIssue] = field(default_factory=list)  # degenerate files, with why
    health: str = "not checked"  # SQLite's quick_check: "ok" or the first problem found
    warnings: list[str] = field(default_factory=list)  # e.g. a state folder others can read
    ocr_waiting: dict[str, int] = field(default_factory=dict)  # path -> pages waiting for OCR
    ocr: str = ""  # "nep+eng (tesseract 5.3.0)", or why OCR is off and how to turn it on
    unread: dict[str, int] = field(default_factory=dict)
    """Suffix (".msg", "" for none) -> how many files of a type xlsearch does not read."""

    @property
    def not_read(self) -> str:
        """'3 .msg, 2 .dwg, 1 without extension'; "" when every file was of a read type."""
        return describe_unread(self.unread)

    @property
    def coverage(self) -> str:
        """'meaning search covers 1,204 of 3,100 passages'."""
        return f"meaning search covers {self.embedded:,} of {self.chunks:,} passages"

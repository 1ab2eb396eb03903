"""What an indexing run has read and not yet written, and the writing of it.

The indexer queues each file it has read (``Pending``), each file found at a new path
(a move), each file that failed or was skipped, and each file set aside for OCR
(``Waiting``); :meth:`Batch.write` commits them in one transaction and counts them in
the run's report. A batch also answers what a file with known content can take instead
of being read: the document it is (moved) or the one it copies.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from xlsearch.chunk import degenerate
from xlsearch.extract import file_type
from xlsearch.index.walk import Found
from xlsearch.store import ocr_cache
from xlsearch.store.db import NewDocument, Store
from xlsearch.text import terms
from xlsearch.types import Chunk, FileIssue, IndexReport

BATCH_CHUNKS = 64
FLUSH_SECONDS = 0.5  # a batch also commits after this long, so keywords appear at once


@dataclass(frozen=True)
class Copy:
    """What a file with the same content as an indexed document takes from it instead of
    reading, chunking and stemming again: its chunks, legacy font and keyword terms (its
    vectors are copied when the file is written, see ``Store.copy_vectors``). ``document``
    is None for a copy of a file still pending in this run."""

    chunks: list[Chunk]
    font: str | None
    terms: list[str] | None = None  # one space-joined term string per chunk
    document: int | None = None


@dataclass
class Pending:
    """A file read and chunked, waiting to be written."""

    path: str
    root: str | None
    size: int
    mtime: float
    digest: str
    type: str
    chunks: list[Chunk]
    is_update: bool
    degenerate: str | None = None  # why the text is degenerate (see xlsearch.chunk.degenerate)
    converted_from: str | None = None
    ocr_waiting: int = 0  # pages left unread by OCR (OCR off): the file is read again later
    copy_of: Copy | None = None  # an indexed file with the same content


@dataclass
class Waiting:
    """A file set aside for OCR, recorded as waiting until its pages are read."""

    found: Found
    kind: str
    pages: int
    is_update: bool
    reason: str
    unread: bool = False  # OCR is off or missing: the pages stay unread for now


@dataclass
class Batch:
    """The files of one run not yet written to ``store``; written with ``model``'s name
    on their vectors, counted in ``report``."""

    store: Store
    model: str
    report: IndexReport
    pending: list[Pending] = field(default_factory=list)
    moves: list[tuple[str, Found]] = field(default_factory=list)  # (old path, file now)
    issues: list[tuple[Found, str, str]] = field(default_factory=list)  # status, reason
    waits: list[Waiting] = field(default_factory=list)
    _claimed: set[str] = field(default_factory=set)  # old paths a move took this run
    _written: float = field(default_factory=time.monotonic)

    # -- known content ----------------------------------------------------------------
    def moved_from(self, digest: str) -> str | None:
        """The path a new file with this content was indexed under, when that file is
        gone: the file was moved or renamed, and its document moves with it (same
        chunks, keywords and vectors; the HNSW graph is untouched)."""
        for path in self.store.indexed_with_content(digest):
            if path not in self._claimed and not os.path.lexists(path):
                self._claimed.add(path)
                return path
        return None

    def copy_of(self, digest: str, path: str) -> Copy | None:
        """What a file with the same content, in this batch or indexed, gives a copy."""
        for pending in self.pending:
            if pending.digest == digest:  # a copy of a copy takes from the indexed file
                return pending.copy_of or Copy(pending.chunks, pending.converted_from)
        found = self.store.same_content(digest, path)
        if found is None:
            return None
        chunks = self.store.document_chunks(found)
        terms = self.store.document_terms(found)
        return Copy(
            chunks,
            self.store.document_font(found),
            terms if len(terms) == len(chunks) else None,
            found,
        )

    # -- writing ----------------------------------------------------------------------
    def add(
        self,
        item: Found,
        digest: str,
        kind: str,
        chunks: list[Chunk],
        is_update: bool,
        text: str,
        font: str | None,
        ocr_waiting: int = 0,
        copy_of: Copy | None = None,
    ) -> None:
        """Queue a read file (``text``: all of it, to tell degenerate text)."""
        self.pending.append(
            Pending(
                item.path,
                item.root,
                item.size,
                item.mtime,
                digest,
                kind,
                chunks,
                is_update,
                degenerate.classify(text),
                font,
                ocr_waiting,
                copy_of,
            )
        )

    def full(self) -> bool:
        """Time to write: enough chunks, issues or time since the last write."""
        return (
            time.monotonic() - self._written >= FLUSH_SECONDS
            or sum(len(p.chunks) for p in self.pending) >= BATCH_CHUNKS
            or len(self.issues) > 50
        )

    def write(self) -> None:
        """Commit everything queued in one transaction, and count it in the report."""
        self._written = time.monotonic()
        if not self.pending and not self.issues and not self.waits and not self.moves:
            return
        with self.store.transaction():
            for old, found in self.moves:
                self.store.move_document(old, found.path, found.root, found.size, found.mtime)
            for item in self.pending:
                self._write_document(item)
            for wait in self.waits:
                self._record_waiting(wait)
            for found, status, reason in self.issues:
                self.store.record_issue(
                    found.path,
                    found.root,
                    found.size,
                    found.mtime,
                    file_type(Path(found.path)),
                    status,
                    reason,
                )
            if self.pending or self.issues or self.waits:  # a move changes no vector
                self.store.bump_vectors_version()
        self._account()

    def _write_document(self, item: Pending) -> None:
        self.store.write_document(_new_document(item), self.model)
        source = item.copy_of.document if item.copy_of is not None else None
        if source is not None:
            self.report.reused += self.store.copy_vectors(source, item.path, self.model)
        if item.degenerate is not None:
            self._leave_out(item, item.degenerate)
        if item.ocr_waiting:
            ocr_cache.set_waiting(self.store, item.path, item.ocr_waiting)

    def _record_waiting(self, wait: Waiting) -> None:
        """A file waiting for OCR: one indexed before keeps its old text meanwhile."""
        found = wait.found
        if not wait.is_update:
            self.store.record_issue(
                found.path, found.root, found.size, found.mtime, wait.kind, "waiting", wait.reason
            )
        ocr_cache.set_waiting(self.store, found.path, wait.pages)

    def _leave_out(self, item: Pending, kind: str) -> None:
        """Keep a sample of a degenerate file's chunks for meaning search, skip the rest."""
        keep = degenerate.sample(item.chunks)
        ids = self.store.chunk_ids(item.path)
        skipped = [chunk_id for ordinal, chunk_id in ids.items() if ordinal not in keep]
        reason = degenerate.skip_reason(kind)
        self.store.skip_vectors(skipped, reason)
        self.store.note_document(item.path, reason)

    def _account(self) -> None:
        report = self.report
        for item in self.pending:
            report.chunks += len(item.chunks)
            report.ocr_waiting += item.ocr_waiting
            if item.is_update:
                report.updated += 1
            else:
                report.added += 1
        report.issues.extend(FileIssue(f.path, s, r) for f, s, r in self.issues)
        report.ocr_waiting += sum(w.pages for w in self.waits if w.unread)
        report.moved += len(self.moves)
        self.moves.clear()
        self.pending.clear()
        self.issues.clear()
        self.waits.clear()


def _new_document(item: Pending) -> NewDocument:
    copy = item.copy_of
    known = copy.terms if copy is not None else None
    return NewDocument(
        item.path,
        item.root,
        item.size,
        item.mtime,
        item.digest,
        item.type,
        item.chunks,
        known if known is not None else [" ".join(terms(c.text)) for c in item.chunks],
        converted_from=item.converted_from,
        # An indexed copy's words are in the vocabulary already.
        new_words=copy is None or copy.document is None,
    )

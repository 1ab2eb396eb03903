"""Indexing: files and texts in, committed documents (text and keywords) out, resumable.

Work is grouped into batches of whole files, each committed in one transaction with its
chunks and keyword entries but no vectors: those are filled in afterwards by
:mod:`xlsearch.embed.fill`, so a folder is searchable by keyword within seconds. A kill loses
at most the batch in flight; the next run sees committed files as unchanged and picks
up the rest. A file that cannot be read is recorded with its reason and skipped; a file
of degenerate text (:mod:`xlsearch.chunk.degenerate`) keeps its keywords and only a sample of
its chunks waits for vectors.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from xlsearch.chunk import degenerate
from xlsearch.chunk.sections import chunk_sections
from xlsearch.embed.base import Embedder
from xlsearch.errors import ExtractError
from xlsearch.extract import extract, file_type
from xlsearch.extract.legacy import document_font
from xlsearch.extract.ocr import NeedsOcr
from xlsearch.index.scans import OcrPlan, Scan, ScanReader
from xlsearch.index.walk import Found, walk
from xlsearch.store import ocr_cache
from xlsearch.store.db import NewDocument, Store
from xlsearch.text import terms
from xlsearch.types import Chunk, FileIssue, IndexProgress, IndexReport, Section, TextRecord

Progress = Callable[[IndexProgress], None]
BATCH_CHUNKS = 64
FLUSH_SECONDS = 0.5  # a batch also commits after this long, so keywords appear at once


@dataclass
class _Pending:
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
    copy_of: _Copy | None = None  # an indexed file with the same content


@dataclass(frozen=True)
class _Copy:
    """What a file with the same content as an indexed document takes from it instead of
    reading, chunking and stemming again: its chunks, legacy font and keyword terms (its
    vectors are copied when the file is written, see ``Store.copy_vectors``). ``document``
    is None for a copy of a file still pending in this run."""

    chunks: list[Chunk]
    font: str | None
    terms: list[str] | None = None  # one space-joined term string per chunk
    document: int | None = None


@dataclass
class _Waiting:
    """A file set aside for OCR, recorded as waiting until its pages are read."""

    found: Found
    kind: str
    pages: int
    is_update: bool
    reason: str
    unread: bool = False  # OCR is off or missing: the pages stay unread for now


@dataclass
class Indexer:
    """One indexing run over one store. ``counter`` loads (once) the model that counts
    tokens for chunking; it is called at the first file to chunk, so a run over unchanged
    files loads no model. ``model`` names the vectors the documents will get."""

    store: Store
    counter: Callable[[], Embedder]
    model: str
    chunk_tokens: int = 200
    chunk_overlap: int = 1
    max_bytes: int = 50 * 1024 * 1024
    progress: Progress | None = None
    cancel: threading.Event | None = None
    detect_legacy_fonts: bool = True
    reader: Callable[[Path, int, bool], list[Section]] = extract  # guard.Reader.extract: limits
    # The OCR plan, asked for only when a file needs OCR or text read by OCR may need
    # reading again (it runs Tesseract); None: files that need OCR are recorded as failed.
    ocr_plan: Callable[[], OcrPlan | None] = lambda: None
    reader_memory_mb: int = 2048
    report: IndexReport = field(default_factory=IndexReport)
    _scans: list[Scan] = field(default_factory=list)
    _scanned: dict[str, tuple[Found, str, bool, str]] = field(default_factory=dict)
    _waits: list[_Waiting] = field(default_factory=list)
    _waiting: dict[str, int] = field(default_factory=dict)  # read again: pages wait for OCR
    _pending: list[_Pending] = field(default_factory=list)
    _moves: list[tuple[str, Found]] = field(default_factory=list)  # (old path, file now)
    _claimed: set[str] = field(default_factory=set)  # old paths a move took this run
    _issues: list[tuple[Found, str, str]] = field(default_factory=list)
    _started: float = field(default_factory=time.monotonic)
    _flushed: float = field(default_factory=time.monotonic)

    # -- files ------------------------------------------------------------------------
    def index_roots(self, roots: Iterable[Path]) -> IndexReport:
        """Bring the store in line with the files under ``roots`` now (scans set aside
        for :meth:`read_scans`)."""
        if ocr_cache.ever_read(self.store):
            self._check_ocr_settings()
        for root in roots:
            top = str(root.absolute())
            self.store.add_root(top)
            unread: Counter[str] = Counter()
            found = list(walk(root, unread))
            with self.store.transaction():
                self.store.set_unread(top, unread)
            self._index_found(found)
            self._flush()
            # After the files: a file renamed within the folder has moved by now.
            self._remove_missing(top, {f.path for f in found})
            self.store.touch_root(top)
            if self._cancelled():
                break
        self._forget_vanished_roots()
        return self._finish()

    def _forget_vanished_roots(self) -> None:
        """Forget a folder that is gone and whose files have all moved elsewhere (a renamed
        folder): status would list it, empty, for ever. A gone folder that still holds
        documents (a drive not plugged in) is kept."""
        for root in self.store.root_paths():
            if not os.path.exists(root) and not self.store.indexed_under_root(root):
                with self.store.transaction():
                    self.store.delete_under(root)
                    self.store.remove_root(root)

    def _remove_missing(self, root: str, present: set[str]) -> None:
        gone = self.store.document_paths(root) - present
        if gone:
            with self.store.transaction():
                self.report.removed += self.store.delete_documents(sorted(gone))
                self.store.bump_vectors_version()

    def _index_found(self, found: list[Found]) -> None:
        for done, item in enumerate(found, start=1):
            if self._cancelled():
                break
            self._consider(item)
            self._flush_if_full()
            self._notify(done, len(found), item.path)

    def _consider(self, item: Found) -> None:
        kind = file_type(Path(item.path))
        if item.problem is not None:
            self._issues.append((item, "skipped", item.problem))
            return
        row = self.store.document(item.path)
        waits = item.path in self._waiting  # OCR is on now: read the rest of its pages
        if row is not None and not waits and row.size == item.size and row.mtime == item.mtime:
            self.report.unchanged += 1
            return
        if item.size > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            self._issues.append((item, "skipped", f"file is larger than {limit} MB"))
            return
        try:
            digest = _sha256(Path(item.path), self.max_bytes)
            if row is not None and not waits and row.hash == digest and row.status == "indexed":
                self._touch(item)
                return
            moved_from = self._moved(digest) if row is None else None
            if moved_from is not None:
                self._moves.append((moved_from, item))
                return
            # A copy or a renamed file: same bytes, same chunks; nothing to read again.
            copy = self._same_content(digest, item.path)
            sections = [] if copy is not None else self._extract(item)
            chunks = copy.chunks if copy is not None else self._chunk(sections)
            font = copy.font if copy is not None else document_font(sections)
        except NeedsOcr as exc:
            self._defer(item, digest, row is not None, kind, exc)
            return
        except ExtractError as exc:
            self._issues.append((item, "failed", exc.message))
            return
        if not chunks:
            self._issues.append((item, "skipped", "no text found in the file"))
            return
        text = "\n".join(s.text for s in sections) or "\n".join(c.text for c in chunks)
        self._add(item, digest, kind, chunks, row is not None, text, font, copy_of=copy)

    def _add(
        self,
        item: Found,
        digest: str,
        kind: str,
        chunks: list[Chunk],
        is_update: bool,
        text: str,
        font: str | None,
        ocr_waiting: int = 0,
        copy_of: _Copy | None = None,
    ) -> None:
        """Queue a read file for the next batch."""
        self._pending.append(
            _Pending(
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

    # -- scans ------------------------------------------------------------------------
    @cached_property
    def ocr(self) -> OcrPlan | None:
        """How this run reads scans (asked once, when first needed)."""
        return self.ocr_plan()

    def _check_ocr_settings(self) -> None:
        """Under OCR settings other than the last run's, text read by OCR waits to be
        read again; the documents whose pages wait are read again in this run."""
        if self.ocr is not None and self.ocr.enabled:
            ocr_cache.settings_changed(self.store, self.ocr.settings)
            self._waiting = ocr_cache.waiting(self.store)

    def _defer(self, item: Found, digest: str, is_update: bool, kind: str, exc: NeedsOcr) -> None:
        """Set a file with pages to OCR aside; with OCR off, index its text pages now
        and record the rest as waiting, with what to do about it."""
        plan = self.ocr
        pages = exc.pages[: plan.options.max_pages] if plan is not None else exc.pages
        if plan is not None and plan.enabled:
            several = kind == "pdf" or len(exc.pages) > 1
            self._scans.append(Scan(item.path, digest, exc.sections, pages, several))
            self._scanned[item.path] = (item, digest, is_update, kind)
            reason = f"{len(pages)} page(s) wait for OCR"
            self._waits.append(_Waiting(item, kind, len(pages), is_update, reason))
            return
        hint = plan.hint if plan is not None else "OCR is not available here"
        chunks = self._chunk(exc.sections)
        if chunks:
            font = document_font(exc.sections)
            text = "\n".join(s.text for s in exc.sections)
            self._add(item, digest, kind, chunks, is_update, text, font, len(pages))
            return
        reason = f"{len(pages)} page(s) wait for OCR; {hint}"
        self._waits.append(_Waiting(item, kind, len(pages), False, reason, unread=True))

    def has_scans(self) -> bool:
        """Whether files were set aside for OCR in this run."""
        return bool(self._scans)

    def read_scans(self) -> IndexReport:
        """Read the pages set aside by OCR, then chunk and write their files."""
        self._flush()
        if not self._scans or self.ocr is None:
            return self._finish()
        self._check_ocr_settings()  # records the settings the pages are read with
        reader = ScanReader(
            self.store,
            self.ocr.options,
            self.ocr.settings,
            self.ocr.read,
            self.max_bytes,
            self.reader_memory_mb,
            self.cancel,
            self.progress,
        )
        self.report.ocr_waiting += reader.run(self._scans, self._scan_done)
        self.report.ocr_pages += reader.pages_read
        self._scans.clear()
        return self._finish()

    def _scan_done(self, scan: Scan) -> None:
        item, digest, is_update, kind = self._scanned.pop(scan.path)
        sections = scan.result()
        chunks = self._chunk(sections)
        if chunks:
            text = "\n".join(s.text for s in sections)
            self._add(item, digest, kind, chunks, is_update, text, document_font(sections))
        elif scan.failures:
            self._issues.append((item, "failed", f"OCR could not read it ({scan.failures[0]})"))
        else:
            self._issues.append((item, "skipped", "no text found in the file (read by OCR)"))
        self._flush_if_full()

    def _moved(self, digest: str) -> str | None:
        """The path a new file with this content was indexed under, when that file is
        gone: the file was moved or renamed, and its document moves with it (same
        chunks, keywords and vectors; the HNSW graph is untouched)."""
        for path in self.store.indexed_with_content(digest):
            if path not in self._claimed and not os.path.lexists(path):
                self._claimed.add(path)
                return path
        return None

    def _same_content(self, digest: str, path: str) -> _Copy | None:
        """What a file with the same content, in this batch or indexed, gives a copy."""
        for pending in self._pending:
            if pending.digest == digest:  # a copy of a copy takes from the indexed file
                return pending.copy_of or _Copy(pending.chunks, pending.converted_from)
        found = self.store.same_content(digest, path)
        if found is None:
            return None
        chunks = self.store.document_chunks(found)
        terms = self.store.document_terms(found)
        return _Copy(
            chunks,
            self.store.document_font(found),
            terms if len(terms) == len(chunks) else None,
            found,
        )

    def _extract(self, item: Found) -> list[Section]:
        return self.reader(Path(item.path), self.max_bytes, self.detect_legacy_fonts)

    def _touch(self, item: Found) -> None:
        with self.store.transaction():
            self.store.touch_document(item.path, item.mtime)
        self.report.unchanged += 1

    # -- texts ------------------------------------------------------------------------
    def index_texts(self, records: Iterable[TextRecord]) -> IndexReport:
        """Index in-memory documents (evaluation datasets); ``key`` is the path."""
        items = list(records)
        for done, record in enumerate(items, start=1):
            chunks = self._chunk([Section(record.text)])
            if record.lang is not None:
                chunks = [replace(c, lang=record.lang) for c in chunks]
            digest = hashlib.sha256(record.text.encode()).hexdigest()
            if chunks:
                kind_of_text = degenerate.classify(record.text)
                self._pending.append(
                    _Pending(
                        record.key, None, len(record.text), 0.0, digest, "text", chunks, False,
                        kind_of_text,
                    )
                )  # fmt: skip
            self._flush_if_full()
            self._notify(done, len(items), record.key)
        return self._finish()

    # -- shared -----------------------------------------------------------------------
    def _chunk(self, sections: list[Section]) -> list[Chunk]:
        counter = self.counter()
        # Room for the passage prefix and special tokens within the model's limit.
        target = min(self.chunk_tokens, counter.max_tokens - 16)
        return chunk_sections(sections, counter.count_tokens, target, self.chunk_overlap)

    def _flush_if_full(self) -> None:
        due = time.monotonic() - self._flushed >= FLUSH_SECONDS
        if (
            due
            or sum(len(p.chunks) for p in self._pending) >= BATCH_CHUNKS
            or len(self._issues) > 50
        ):
            self._flush()

    def _flush(self) -> None:
        self._flushed = time.monotonic()
        if not self._pending and not self._issues and not self._waits and not self._moves:
            return
        with self.store.transaction():
            for old, found in self._moves:
                self.store.move_document(old, found.path, found.root, found.size, found.mtime)
            for item in self._pending:
                self.store.write_document(_new_document(item), self.model)
                source = item.copy_of.document if item.copy_of is not None else None
                if source is not None:
                    self.report.reused += self.store.copy_vectors(source, item.path, self.model)
                if item.degenerate is not None:
                    self._leave_out(item, item.degenerate)
                if item.ocr_waiting:
                    ocr_cache.set_waiting(self.store, item.path, item.ocr_waiting)
            for wait in self._waits:
                self._record_waiting(wait)
            for found, status, reason in self._issues:
                self.store.record_issue(
                    found.path,
                    found.root,
                    found.size,
                    found.mtime,
                    file_type(Path(found.path)),
                    status,
                    reason,
                )
            if self._pending or self._issues or self._waits:  # a move changes no vector
                self.store.bump_vectors_version()
        self._account()

    def _record_waiting(self, wait: _Waiting) -> None:
        """A file waiting for OCR: one indexed before keeps its old text meanwhile."""
        found = wait.found
        if not wait.is_update:
            self.store.record_issue(
                found.path, found.root, found.size, found.mtime, wait.kind, "waiting", wait.reason
            )
        ocr_cache.set_waiting(self.store, found.path, wait.pages)

    def _leave_out(self, item: _Pending, kind: str) -> None:
        """Keep a sample of a degenerate file's chunks for meaning search, skip the rest."""
        keep = degenerate.sample(item.chunks)
        ids = self.store.chunk_ids(item.path)
        skipped = [chunk_id for ordinal, chunk_id in ids.items() if ordinal not in keep]
        reason = degenerate.skip_reason(kind)
        self.store.skip_vectors(skipped, reason)
        self.store.note_document(item.path, reason)

    def _account(self) -> None:
        for item in self._pending:
            self.report.chunks += len(item.chunks)
            self.report.ocr_waiting += item.ocr_waiting
            if item.is_update:
                self.report.updated += 1
            else:
                self.report.added += 1
        self.report.issues.extend(FileIssue(f.path, s, r) for f, s, r in self._issues)
        self.report.ocr_waiting += sum(w.pages for w in self._waits if w.unread)
        self.report.moved += len(self._moves)
        self._moves.clear()
        self._pending.clear()
        self._issues.clear()
        self._waits.clear()

    def _finish(self) -> IndexReport:
        self._flush()
        self.report.seconds = time.monotonic() - self._started
        return self.report

    def _cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def _notify(self, done: int, total: int, current: str) -> None:
        if self.progress is None:
            return
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = self.report.chunks / elapsed
        eta = (total - done) * elapsed / done if done else None
        self.progress(IndexProgress(done, total, self.report.chunks, rate, eta, current))


def _new_document(item: _Pending) -> NewDocument:
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


def _sha256(path: Path, max_bytes: int) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ExtractError(f"cannot read the file ({exc.strerror or exc})") from None
    return digest.hexdigest()

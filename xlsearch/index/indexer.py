"""Indexing: files and texts in, committed documents (text and keywords) out, resumable.

The indexer decides what each file needs: nothing (unchanged), a new path (moved),
its content taken from an indexed copy, or reading and chunking. Work is grouped into
batches of whole files (:mod:`xlsearch.index.batch`), each committed in one transaction
with its chunks and keyword entries but no vectors: those are filled in afterwards by
:mod:`xlsearch.embed.fill`, so a folder is searchable by keyword within seconds. A kill loses
at most the batch in flight; the next run sees committed files as unchanged and picks
up the rest. A file that cannot be read is recorded with its reason and skipped; a file
of degenerate text (:mod:`xlsearch.chunk.degenerate`) keeps its keywords and only a sample of
its chunks waits for vectors. Files with pages only OCR can read are set aside and read
last (:class:`xlsearch.index.scans.ScanQueue`).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from xlsearch.chunk import degenerate
from xlsearch.chunk.sections import chunk_sections
from xlsearch.embed.base import Embedder
from xlsearch.errors import ExtractError
from xlsearch.extract import extract, file_type
from xlsearch.extract.legacy import document_font
from xlsearch.extract.ocr import NeedsOcr
from xlsearch.index.batch import Batch, Pending, Waiting
from xlsearch.index.scans import OcrPlan, Scan, ScanQueue, SetAside
from xlsearch.index.walk import Found, walk
from xlsearch.store import ocr_cache
from xlsearch.store.db import Store
from xlsearch.types import Chunk, IndexProgress, IndexReport, Section, TextRecord

Progress = Callable[[IndexProgress], None]


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
    _started: float = field(default_factory=time.monotonic)
    _batch: Batch = field(init=False)
    _scans: ScanQueue = field(init=False)

    def __post_init__(self) -> None:
        self._batch = Batch(self.store, self.model, self.report)
        self._scans = ScanQueue(self.store, self.ocr_plan)

    # -- files ------------------------------------------------------------------------
    def index_roots(self, roots: Iterable[Path]) -> IndexReport:
        """Bring the store in line with the files under ``roots`` now (scans set aside
        for :meth:`read_scans`)."""
        if ocr_cache.ever_read(self.store):
            self._scans.check_settings()
        for root in roots:
            top = str(root.absolute())
            self.store.add_root(top)
            unread: Counter[str] = Counter()
            found = list(walk(root, unread))
            with self.store.transaction():
                self.store.set_unread(top, unread)
            self._index_found(found)
            self._batch.write()
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
            self._write_if_full()
            self._notify(done, len(found), item.path)

    def _consider(self, item: Found) -> None:
        kind = file_type(Path(item.path))
        if item.problem is not None:
            self._issue(item, "skipped", item.problem)
            return
        row = self.store.document(item.path)
        waits = item.path in self._scans.waiting  # OCR is on now: read the rest of its pages
        if row is not None and not waits and row.size == item.size and row.mtime == item.mtime:
            self.report.unchanged += 1
            return
        if item.size > self.max_bytes:
            limit = self.max_bytes // (1024 * 1024)
            self._issue(item, "skipped", f"file is larger than {limit} MB")
            return
        try:
            digest = _sha256(Path(item.path), self.max_bytes)
            if row is not None and not waits and row.hash == digest and row.status == "indexed":
                self._touch(item)
                return
            moved_from = self._batch.moved_from(digest) if row is None else None
            if moved_from is not None:
                self._batch.moves.append((moved_from, item))
                return
            # A copy or a renamed file: same bytes, same chunks; nothing to read again.
            copy = self._batch.copy_of(digest, item.path)
            sections = [] if copy is not None else self._extract(item)
            chunks = copy.chunks if copy is not None else self._chunk(sections)
            font = copy.font if copy is not None else document_font(sections)
        except NeedsOcr as exc:
            self._defer(item, digest, row is not None, kind, exc)
            return
        except ExtractError as exc:
            self._issue(item, "failed", exc.message)
            return
        if not chunks:
            self._issue(item, "skipped", "no text found in the file")
            return
        text = "\n".join(s.text for s in sections) or "\n".join(c.text for c in chunks)
        self._batch.add(item, digest, kind, chunks, row is not None, text, font, copy_of=copy)

    # -- scans ------------------------------------------------------------------------
    def _defer(self, item: Found, digest: str, is_update: bool, kind: str, exc: NeedsOcr) -> None:
        """Set a file with pages to OCR aside; with OCR off, index its text pages now
        and record the rest as waiting, with what to do about it."""
        pages = self._scans.pages(exc.pages)
        if self._scans.set_aside(SetAside(item, digest, is_update, kind), exc.sections, pages):
            reason = f"{len(pages)} page(s) wait for OCR"
            self._batch.waits.append(Waiting(item, kind, len(pages), is_update, reason))
            return
        chunks = self._chunk(exc.sections)
        if chunks:
            font = document_font(exc.sections)
            text = "\n".join(s.text for s in exc.sections)
            self._batch.add(item, digest, kind, chunks, is_update, text, font, len(pages))
            return
        reason = f"{len(pages)} page(s) wait for OCR; {self._scans.hint}"
        self._batch.waits.append(Waiting(item, kind, len(pages), False, reason, unread=True))

    def has_scans(self) -> bool:
        """Whether files were set aside for OCR in this run."""
        return bool(self._scans)

    def read_scans(self) -> IndexReport:
        """Read the pages set aside by OCR, then chunk and write their files."""
        self._batch.write()
        waiting, read = self._scans.read(
            self.max_bytes, self.reader_memory_mb, self.cancel, self.progress, self._scan_done
        )
        self.report.ocr_waiting += waiting
        self.report.ocr_pages += read
        return self._finish()

    def _scan_done(self, file: SetAside, scan: Scan) -> None:
        item = file.found
        sections = scan.result()
        chunks = self._chunk(sections)
        if chunks:
            text = "\n".join(s.text for s in sections)
            font = document_font(sections)
            self._batch.add(item, file.digest, file.kind, chunks, file.is_update, text, font)
        elif scan.failures:
            self._issue(item, "failed", f"OCR could not read it ({scan.failures[0]})")
        else:
            self._issue(item, "skipped", "no text found in the file (read by OCR)")
        self._write_if_full()

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
                self._batch.pending.append(
                    Pending(
                        record.key, None, len(record.text), 0.0, digest, "text", chunks, False,
                        kind_of_text,
                    )
                )  # fmt: skip
            self._write_if_full()
            self._notify(done, len(items), record.key)
        return self._finish()

    # -- shared -----------------------------------------------------------------------
    def _chunk(self, sections: list[Section]) -> list[Chunk]:
        counter = self.counter()
        # Room for the passage prefix and special tokens within the model's limit.
        target = min(self.chunk_tokens, counter.max_tokens - 16)
        return chunk_sections(sections, counter.count_tokens, target, self.chunk_overlap)

    def _issue(self, item: Found, status: str, reason: str) -> None:
        """A file not indexed ("failed", "skipped"), with its reason."""
        self._batch.issues.append((item, status, reason))

    def _write_if_full(self) -> None:
        if self._batch.full():
            self._batch.write()

    def _finish(self) -> IndexReport:
        self._batch.write()
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


def _sha256(path: Path, max_bytes: int) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise ExtractError(f"cannot read the file ({exc.strerror or exc})") from None
    return digest.hexdigest()

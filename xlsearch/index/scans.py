"""The OCR phase of an indexing run: scanned pages read after everything else.

Files with pages only OCR can read (image-only PDF pages, photos) are set aside while
the run reads the ordinary files, so text, keywords and vectors of those come first.
Then their pages are read here, one page per task, one task per core, each in a
guarded reader process (time and memory limits, see ``extract.guard``) that runs
Tesseract with one thread. Each page's text is committed to the OCR cache as soon as
it is read (``store.ocr_cache``), so a kill loses at most the pages in flight and the
next run, or a copy of the same file, finds the rest there. A file is handed back
(``done``) when all its pages are read, to be chunked and written like any other.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from xlsearch.config import Settings
from xlsearch.errors import ExtractError
from xlsearch.extract.ocr import OcrOptions, PageText
from xlsearch.index.walk import Found
from xlsearch.store import ocr_cache
from xlsearch.store.db import Store
from xlsearch.types import IndexProgress, Section

PageReader = Callable[[Path, int, OcrOptions, int], PageText]


@dataclass
class Scan:
    """A file set aside for OCR: the pages that had text, and the pages to read."""

    path: str
    digest: str
    sections: list[Section]
    pages: list[int]
    multi_page: bool = True  # False for a one-frame image: its text has no page number
    read: dict[int, PageText] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.read) == len(self.pages)

    def result(self) -> list[Section]:
        """The file's Sections: text pages and OCR pages, in page order."""
        ocr = [
            Section(t.text, page=p if self.multi_page else None, ocr=t.confidence)
            for p, t in self.read.items()
            if t.text.strip()
        ]
        return sorted(self.sections + ocr, key=lambda s: s.page or 0)


def workers() -> int:
    """One OCR task per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class ScanReader:
    """Reads the pages of ``scans`` through the cache; calls ``done`` per finished file."""

    store: Store
    options: OcrOptions
    settings: str  # ocr.settings_key(options)
    read: PageReader | None = None  # None: guarded reader processes (extract.guard)
    max_bytes: int = 50 * 1024 * 1024
    reader_memory_mb: int = 2048
    cancel: threading.Event | None = None
    progress: Callable[[IndexProgress], None] | None = None
    threads: int = field(default_factory=workers)
    pages_read: int = 0  # pages Tesseract read in this run (not from the cache)

    def run(self, scans: list[Scan], done: Callable[[Scan], None]) -> int:
        """Read every page; returns the pages left unread (stopped early). Files with
        the same content share their reading."""
        copies: dict[str, list[Scan]] = {}
        for scan in scans:
            copies.setdefault(scan.digest, []).append(scan)
        todo: queue.Queue[tuple[list[Scan], int]] = queue.Queue()
        for digest, group in copies.items():
            cached = ocr_cache.cached_pages(self.store, digest, self.settings)
            for scan in group:
                scan.read.update((p, t) for p, t in cached.items() if p in scan.pages)
            for page in sorted({p for s in group for p in s.pages} - set(cached)):
                todo.put((group, page))
        total = todo.qsize()
        for scan in scans:
            if scan.complete:
                done(scan)
        return self._read_pages(todo, total, done) if total else 0

    def _read_pages(
        self, todo: queue.Queue[tuple[list[Scan], int]], total: int, done: Callable[[Scan], None]
    ) -> int:
        results: queue.Queue[tuple[list[Scan], int, PageText | str] | None] = queue.Queue()
        count = min(self.threads, total)
        for _ in range(count):
            threading.Thread(target=self._work, args=(todo, results), daemon=True).start()
        started, finished = time.monotonic(), 0
        while count:
            item = results.get()
            if item is None:
                count -= 1
                continue
            group, page, text = item
            finished += 1
            for scan in group:
                self._keep(scan, page, text)
                if scan.complete:
                    done(scan)
            self._notify(finished, total, started, group[0].path)
        return todo.qsize()

    def _work(
        self,
        todo: queue.Queue[tuple[list[Scan], int]],
        results: queue.Queue[tuple[list[Scan], int, PageText | str] | None],
    ) -> None:
        read, close = self._page_reader()
        try:
            while not (self.cancel is not None and self.cancel.is_set()):
                try:
                    group, page = todo.get_nowait()
                except queue.Empty:
                    break
                path = Path(group[0].path)
                try:
                    text: PageText | str = read(path, page, self.options, self.max_bytes)
                except ExtractError as exc:
                    text = exc.message
                results.put((group, page, text))
        finally:
            close()
            results.put(None)

    def _page_reader(self) -> tuple[PageReader, Callable[[], None]]:
        if self.read is not None:
            return self.read, lambda: None
        from xlsearch.extract.guard import Reader

        reader = Reader(self.options.seconds, self.reader_memory_mb)
        return reader.ocr, reader.close

    def _keep(self, scan: Scan, page: int, text: PageText | str) -> None:
        """Commit one page: into the cache (a failed page as empty, so a hostile page is
        not retried every run), and the document's count of pages left."""
        if isinstance(text, str):
            scan.failures.append(f"page {page}: {text}")
            text = PageText("", None)
        elif page not in scan.read:
            self.pages_read += 1
        scan.read[page] = text
        with self.store.transaction():
            ocr_cache.put_page(self.store, scan.digest, page, self.settings, text)
            ocr_cache.set_waiting(self.store, scan.path, len(scan.pages) - len(scan.read))

    def _notify(self, done: int, total: int, started: float, path: str) -> None:
        if self.progress is None:
            return
        per_page = max(time.monotonic() - started, 1e-9) / done
        eta = (total - done) * per_page
        self.progress(
            IndexProgress(done, total, 0, 1 / per_page, eta, path, "ocr", seconds_per_page=per_page)
        )


@dataclass(frozen=True)
class OcrPlan:
    """Whether this run reads scans, how, and if not, why not (``hint``)."""

    enabled: bool
    options: OcrOptions
    settings: str = ""  # ocr.settings_key(options) when enabled
    hint: str = ""
    read: PageReader | None = None  # tests: read pages without reader processes


def plan(settings: Settings) -> OcrPlan:
    """The OCR plan the settings and the installed Tesseract allow."""
    from xlsearch.extract import ocr

    options = OcrOptions(
        languages=settings.ocr_languages or ocr.default_languages() or "eng",
        dpi=settings.ocr_dpi,
        seconds=settings.ocr_seconds,
        max_pages=settings.ocr_max_pages,
    )
    if not settings.ocr:
        return OcrPlan(False, options, hint="OCR is off; set ocr = true in config.toml")
    if ocr.tesseract_path(options.program) is None:
        return OcrPlan(False, options, hint=ocr.INSTALL_HINT)
    missing = ocr.missing_languages(options.languages, options.program)
    if missing:
        models = ", ".join(missing)
        hint = f"the Tesseract model(s) for {models} are not installed; {ocr.INSTALL_HINT}"
        return OcrPlan(False, options, hint=hint)
    return OcrPlan(True, options, ocr.settings_key(options))


def describe(plan: OcrPlan) -> str:
    """One line for ``xlsearch status``: what OCR reads with, or why it is off."""
    from xlsearch.extract.ocr import tesseract_version

    if not plan.enabled:
        return f"off: {plan.hint}"
    version = tesseract_version(plan.options.program)
    return f"on: {plan.options.languages}, {plan.options.dpi} dpi ({version})"


@dataclass
class ScanQueue:
    """The files of one indexing run set aside for OCR, read after all the others, and
    the pages of earlier runs waiting to be read again. ``plan`` is asked for once, when
    first needed (it runs Tesseract); None: no file is set aside."""

    store: Store
    plan: Callable[[], OcrPlan | None]
    waiting: dict[str, int] = field(default_factory=dict)  # path -> pages to read again
    _scans: list[Scan] = field(default_factory=list)
    _files: dict[str, SetAside] = field(default_factory=dict)

    @cached_property
    def ocr(self) -> OcrPlan | None:
        return self.plan()

    def __bool__(self) -> bool:
        return bool(self._scans)

    def check_settings(self) -> None:
        """Under OCR settings other than the last run's, text read by OCR waits to be
        read again; the documents whose pages wait are read again in this run."""
        if self.ocr is not None and self.ocr.enabled:
            ocr_cache.settings_changed(self.store, self.ocr.settings)
            self.waiting = ocr_cache.waiting(self.store)

    def pages(self, wanted: list[int]) -> list[int]:
        """The pages of a file OCR would read (at most ``max_pages``)."""
        return wanted[: self.ocr.options.max_pages] if self.ocr is not None else wanted

    @property
    def hint(self) -> str:
        """Why OCR does not read pages in this run."""
        return self.ocr.hint if self.ocr is not None else "OCR is not available here"

    def set_aside(self, file: SetAside, sections: list[Section], pages: list[int]) -> bool:
        """Queue ``file``'s ``pages`` for OCR (``sections``: its pages with text); False
        when OCR is off, and nothing was queued."""
        if self.ocr is None or not self.ocr.enabled:
            return False
        several = file.kind == "pdf" or len(pages) > 1
        path = file.found.path
        self._scans.append(Scan(path, file.digest, sections, self.pages(pages), several))
        self._files[path] = file
        return True

    def read(
        self,
        max_bytes: int,
        memory_mb: int,
        cancel: threading.Event | None,
        progress: Callable[[IndexProgress], None] | None,
        done: Callable[[SetAside, Scan], None],
    ) -> tuple[int, int]:
        """Read every page set aside, handing each file to ``done`` once its pages are
        read: (pages still waiting, pages Tesseract read)."""
        if not self._scans or self.ocr is None:
            return 0, 0
        self.check_settings()  # records the settings the pages are read with
        plan = self.ocr
        reader = ScanReader(
            self.store, plan.options, plan.settings, plan.read, max_bytes, memory_mb, cancel,
            progress,
        )  # fmt: skip
        left = reader.run(self._scans, lambda scan: done(self._files.pop(scan.path), scan))
        self._scans.clear()
        return left, reader.pages_read


@dataclass(frozen=True)
class SetAside:
    """A file whose pages wait for OCR, as the walk found it."""

    found: Found
    digest: str
    is_update: bool
    kind: str

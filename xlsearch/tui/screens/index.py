"""The folders screen: what is indexed, adding and removing folders, indexing progress.

Indexing runs in a thread worker on the engine's own SQLite connection, so the search
screen stays usable meanwhile; progress comes back as ``IndexProgressed`` messages.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, DirectoryTree, Footer, Input, ProgressBar, Static
from textual.worker import Worker, WorkerState

from xlsearch import display
from xlsearch.errors import XlsearchError
from xlsearch.progress import ENCODER_PHASE, encoder_step
from xlsearch.tui.base import EngineScreen
from xlsearch.tui.messages import (
    FolderForgotten,
    IndexFinished,
    IndexProgressed,
    StatusLoaded,
    WorkFailed,
)
from xlsearch.tui.widgets.text_box import TextBox
from xlsearch.types import IndexProgress, IndexReport, Status


def progress_line(p: IndexProgress) -> str:
    """'3/10 files · 41 chunks · 12.5 chunks/s · ETA 0:42 · notes.txt'."""
    eta = "" if p.eta_s is None else f" · ETA {int(p.eta_s // 60)}:{int(p.eta_s % 60):02d}"
    current = f" · {Path(p.current).name}" if p.current else ""
    if p.phase == "ocr":  # scanned pages, read after everything else
        per_page = f" · {p.seconds_per_page:.1f} s/page" if p.seconds_per_page else ""
        return (
            f"OCR: {p.files_done}/{p.files_total} pages · "
            f"{p.files_total - p.files_done} left{per_page}{eta}{current}"
        )
    if p.phase == "encoder":  # once per machine, before the first vectors
        return f"{ENCODER_PHASE}: {encoder_step(p)}"
    if p.phase == "embedding":  # keyword search already covers these files
        return (
            f"meaning vectors: {p.files_done}/{p.files_total} files · "
            f"{p.chunks_done}/{p.chunks_total} chunks · {p.chunks_per_s:.1f} chunks/s{eta}"
        )
    return (
        f"{p.files_done}/{p.files_total} files · {p.chunks_done} chunks · "
        f"{p.chunks_per_s:.1f} chunks/s{eta}{current}"
    )


def report_line(report: IndexReport) -> str:
    """One sentence on what an indexing run did."""
    ocr = f" OCR read {report.ocr_pages} pages." if report.ocr_pages else ""
    if report.ocr_waiting:
        ocr += f" {report.ocr_waiting} pages wait for OCR."
    return (
        f"{report.added} new, {report.updated} changed, {report.unchanged} unchanged, "
        f"{report.moved} moved, {report.removed} removed; "
        f"{report.chunks} chunks in {report.seconds:.1f} s; "
        f"{len(report.issues)} not indexed.{ocr}"
    )


def ocr_line(status: Status) -> str:
    """'OCR: on: nep+eng, 200 dpi (tesseract 5.3.0) · 12 pages wait in 3 files'."""
    waiting = status.ocr_waiting
    if not waiting:
        return f"OCR: {status.ocr}"
    pages = sum(waiting.values())
    return f"OCR: {status.ocr} · {pages} pages wait in {len(waiting)} files"


class IndexScreen(EngineScreen):
    """Indexed folders with their counts; add, remove, re-index; failed files."""

    CSS_PATH = "index.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "browse", "Browse", id="browse-folders"),
        Binding("ctrl+r", "reindex", "Re-index", id="reindex"),
        Binding("delete", "remove_folder", "Remove folder", id="remove-folder"),
        Binding("ctrl+g", "cancel_index", "Stop", id="cancel-index"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.status: Status | None = None
        self.last_report: IndexReport | None = None

    def compose(self) -> ComposeResult:
        yield Static("Indexed folders", classes="heading")
        yield DataTable(id="roots", cursor_type="row", zebra_stripes=True)
        yield Static("", id="coverage", markup=False)
        yield Static("", id="not-read", markup=False)
        yield TextBox(placeholder="Folder to add, e.g. ~/Documents (enter to index)", id="path")
        yield ProgressBar(id="progress", show_eta=False)
        yield Static("", id="progress-text", markup=False)
        yield Static("Failed and skipped files", classes="heading")
        yield DataTable(id="issues", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        roots = self.query_one("#roots", DataTable)
        roots.add_columns("Folder", "Documents", "Chunks", "Last update")
        self.query_one("#issues", DataTable).add_columns("Status", "File", "Reason")
        self._progress_visible(False)
        self.query_one("#path", Input).focus()
        self._load_status()
        self.follow_index(self._index_changed)

    def _index_changed(self, _: IndexReport) -> None:
        self._load_status()  # the counts follow the folder watcher's batches too

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self._load_status()

    # -- workers ----------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="index", description="indexing")
    def _index(self, roots: list[Path]) -> None:
        try:
            with self.index_lock:
                report = self.engine.index(roots, progress=self._post_progress, cancel=self._cancel)
        except XlsearchError as exc:
            self.post_message(WorkFailed(exc))
            return
        self.post_message(IndexFinished(report))

    def _post_progress(self, progress: IndexProgress) -> None:
        self.post_message(IndexProgressed(progress))  # thread-safe

    @work(thread=True, exit_on_error=False, group="forget", description="remove folder")
    def _forget(self, path: str) -> None:
        with self.index_lock, self.engine_lock:
            removed = self.engine.forget(Path(path))
        self.post_message(FolderForgotten(path, removed))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                str(event.worker.error),
                title=f"{event.worker.description} failed",
                severity="error",
            )
            self._progress_visible(False)

    # -- adding and indexing ----------------------------------------------------------
    @on(Input.Submitted, "#path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.start_indexing([Path(event.value.strip()).expanduser()])

    @on(DirectoryTree.DirectorySelected, "#picker")
    def _directory_picked(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#path", Input).value = str(event.path)

    def start_indexing(self, roots: list[Path]) -> None:
        """Index ``roots`` in the background; one job at a time."""
        if self.indexing:
            self.notify(
                "Indexing is already running; wait for it or stop it first.", severity="warning"
            )
            return
        missing = [r for r in roots if not r.is_dir()]
        if missing:
            self.notify(
                f"{missing[0]} is not a folder; check the path and try again.",
                title="Cannot index",
                severity="error",
            )
            return
        self._cancel.clear()
        self._progress_visible(True)
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#progress-text", Static).update(f"Starting on {roots[0]}…")
        self._index([r.absolute() for r in roots])

    @property
    def indexing(self) -> bool:
        return any(w.is_running for w in self.workers if w.group == "index")

    def on_index_progressed(self, message: IndexProgressed) -> None:
        p = message.progress
        self.query_one("#progress", ProgressBar).update(
            total=max(p.files_total, 1), progress=p.files_done
        )
        self.query_one("#progress-text", Static).update(progress_line(p))
        if p.phase in ("embedding", "ocr"):
            self._load_status()  # coverage and pages waiting follow the work as it lands

    def on_index_finished(self, message: IndexFinished) -> None:
        self.last_report = message.report
        summary = report_line(message.report)
        self.query_one("#progress-text", Static).update(summary)
        self.query_one("#progress", ProgressBar).display = False
        self.notify(summary, title="Stopped" if self._cancel.is_set() else "Indexing done")
        self._load_status()

    def on_work_failed(self, message: WorkFailed) -> None:
        self._progress_visible(False)
        self.notify(message.error.message, title=message.error.title, severity="error")

    # -- the tables -------------------------------------------------------------------
    def on_status_loaded(self, message: StatusLoaded) -> None:
        self.status = message.status
        roots = self.query_one("#roots", DataTable)
        roots.clear()
        for root in message.status.roots:
            roots.add_row(
                display.name(root.path),
                str(root.documents),
                str(root.chunks),
                root.updated_at.replace("T", " ")[:16] if root.present else "not found now",
                key=root.path,
            )
        issues = self.query_one("#issues", DataTable)
        issues.clear()
        for issue in [*message.status.issues, *message.status.left_out]:
            issues.add_row(issue.status, display.name(issue.path), display.shown(issue.reason))
        listed = {issue.path for issue in message.status.issues}
        for path, pages in message.status.ocr_waiting.items():
            if path not in listed:  # its text pages are indexed; the scanned ones wait
                issues.add_row("waiting", display.name(path), f"{pages} page(s) wait for OCR")
        coverage = message.status.coverage
        line = coverage[0].upper() + coverage[1:] + ". " + ocr_line(message.status)
        self.query_one("#coverage", Static).update(line)
        not_read = message.status.not_read
        self.query_one("#not-read", Static).update(
            f"Not read: {not_read} (types xlsearch does not read)." if not_read else ""
        )

    def on_folder_forgotten(self, message: FolderForgotten) -> None:
        self.notify(
            f"Removed {message.documents} documents under {message.path}.", title="Folder removed"
        )
        self._load_status()

    def _progress_visible(self, visible: bool) -> None:
        self.query_one("#progress").display = visible
        self.query_one("#progress-text").display = visible

    # -- actions ----------------------------------------------------------------------
    async def action_browse(self) -> None:
        # Mounted on first use: a DirectoryTree reads folders as soon as it appears.
        pickers = self.query("#picker")
        if not pickers:
            picker = DirectoryTree(Path.home(), id="picker")
            await self.mount(picker, after="#path")
            picker.focus()
            return
        picker = pickers.first(DirectoryTree)
        picker.display = not picker.display
        if picker.display:
            picker.focus()
        else:
            self.query_one("#path", Input).focus()

    def action_reindex(self) -> None:
        # Indexing is incremental: the same roots again picks up new, changed and
        # deleted files without re-embedding the rest.
        roots = [Path(r.path) for r in self.status.roots] if self.status else []
        if not roots:
            self.notify("No folders yet; type one and press enter.", severity="warning")
            return
        self.start_indexing([r for r in roots if r.is_dir()] or roots)

    def action_remove_folder(self) -> None:
        roots = self.query_one("#roots", DataTable)
        if self.indexing or roots.row_count == 0 or not roots.has_focus:
            return
        path = roots.coordinate_to_cell_key(roots.cursor_coordinate).row_key.value or ""
        self._forget(path)

    def action_cancel_index(self) -> None:
        if self.indexing:
            self._cancel.set()
            self.query_one("#progress-text", Static).update("Stopping after this file…")

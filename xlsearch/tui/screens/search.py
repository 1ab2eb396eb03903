"""The home screen: search as you type, results, the preview, filters from the keyboard.

Searches run in an exclusive thread worker; each request carries a sequence number and
an answer that is not for the latest request is dropped, so a slow old query never
overwrites a newer one. When the index changes meanwhile (the folder watcher, a job on
the folders screen) the status line says so and the results are searched again, unless
the user is moving through them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Footer, Input, OptionList, Static
from textual.worker import Worker, WorkerState, get_current_worker

from xlsearch.errors import XlsearchError
from xlsearch.tui.base import EngineScreen, key_label
from xlsearch.tui.filters import SearchFilters, SearchRequest
from xlsearch.tui.hit_actions import copy_path, open_file
from xlsearch.tui.messages import (
    ContextLoaded,
    QueryModelLoaded,
    SearchFinished,
    StatusLoaded,
    WorkFailed,
)
from xlsearch.tui.screens.folder_prompt import FolderPrompt
from xlsearch.tui.watcher import changes_line
from xlsearch.tui.widgets.preview import Preview
from xlsearch.tui.widgets.result_list import ResultList
from xlsearch.tui.widgets.text_box import TextBox
from xlsearch.types import Hit, IndexReport

DEBOUNCE_S = 0.25


class SearchScreen(EngineScreen):
    """Type a question in Nepali or English; move through the answers."""

    CSS_PATH = "search.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+l", "cycle_language", "Language", id="cycle-language"),
        Binding("ctrl+n", "cycle_mode", "Mode", id="cycle-mode"),
        Binding("ctrl+t", "cycle_file_type", "Type", show=False, id="cycle-file-type"),
        Binding("ctrl+f", "choose_folder", "Folder", id="filter-folder"),
        Binding("ctrl+o", "open_file", "Open", id="open-file"),
        Binding("ctrl+y", "copy_path", "Copy path", show=False, id="copy-path"),
        Binding("down", "focus_results", "Results", show=False, id="focus-results"),
        Binding("escape", "focus_search", "Search box", show=False, id="focus-search"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filters = SearchFilters()
        self._seq = 0
        self._timer: Timer | None = None
        self._documents: int | None = None
        self._coverage = ""
        self._note = ""  # what changed in the index, for the next search's status line

    def compose(self) -> ComposeResult:
        yield TextBox(placeholder="Search in Nepali or English…", id="query")
        yield Static(self.filters.describe(), id="filters", markup=False)
        yield Static("", id="message", markup=False)
        yield ResultList(id="results")
        yield Preview(id="preview")
        yield Static("loading model…", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#results").display = False
        self.query_one("#preview").display = False
        self._load_model()
        self._load_status()
        self.follow_index(self._index_changed, self._set_status)

    def on_screen_resume(self) -> None:
        self.query_one("#query", Input).focus()
        if self.is_mounted:
            self._load_status()

    # -- workers ----------------------------------------------------------------------
    @work(thread=True, exit_on_error=False, group="model", description="load query model")
    def _load_model(self) -> None:
        started = time.perf_counter()
        try:
            self.engine.load_query_model()
        except XlsearchError as exc:
            self.post_message(WorkFailed(exc))
            return
        self.post_message(QueryModelLoaded(time.perf_counter() - started))

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="search")
    def _run_search(self, request: SearchRequest) -> None:
        worker = get_current_worker()
        started = time.perf_counter()
        f = request.filters
        try:
            with self.engine_lock:
                if worker.is_cancelled:
                    return
                results = self.engine.find(request.query, f.options(request.k))
        except XlsearchError as exc:
            self.post_message(WorkFailed(exc))
            return
        if not worker.is_cancelled:
            seconds = time.perf_counter() - started
            searched_as = results.query.searched_as if results.query else None
            self.post_message(SearchFinished(request, results.hits, seconds, searched_as))

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview", description="context")
    def _load_context(self, hit: Hit) -> None:
        with self.engine_lock:
            rows = self.engine.context(hit)
        self.post_message(ContextLoaded(hit, rows))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # An unexpected error in a worker becomes a notification, never a crash.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.notify(str(error), title=f"{event.worker.description} failed", severity="error")

    # -- searching --------------------------------------------------------------------
    @on(Input.Changed, "#query")
    def _query_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.search_now)

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        self.search_now()

    def search_now(self) -> None:
        """Send the current query and filters to a worker, superseding any older one."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._seq += 1
        query = self.query_one("#query", Input).value.strip()
        if not query:
            self._show_hits([], "")
            return
        self._run_search(SearchRequest(self._seq, query, self.filters))

    @property
    def latest_seq(self) -> int:
        return self._seq

    def on_search_finished(self, message: SearchFinished) -> None:
        if message.request.seq != self._seq:
            return  # a newer request is on its way; this answer is stale
        self._show_hits(message.hits, message.request.query)
        status = f"{len(message.hits)} results in {message.seconds * 1000:.0f} ms"
        if message.searched_as:
            status += f" · searched as {message.searched_as}"
        if self._note:
            status, self._note = f"{status} · {self._note}", ""
        self._set_status(status)

    def _index_changed(self, report: IndexReport) -> None:
        self._load_status()
        note = changes_line(report)
        if not note:
            return
        query = self.query_one("#query", Input).value.strip()
        if query and not self.query_one("#results", ResultList).has_focus:
            self._note = note
            self.search_now()
        else:
            self._set_status(note)

    def _show_hits(self, hits: list[Hit], query: str) -> None:
        results = self.query_one("#results", ResultList)
        results.show_hits(hits)
        results.display = bool(hits)
        self.query_one("#preview").display = bool(hits)
        if hits:
            self._set_message("")
        elif query:
            self._set_message(
                f"Nothing found for “{query}”. Try other words, or another mode "
                f"({key_label(self, 'cycle-mode', 'ctrl+n')})."
            )
        else:
            self._show_empty_state()

    # -- preview ----------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#results")
    def _result_highlighted(self) -> None:
        hit = self.query_one("#results", ResultList).selected_hit
        if hit is not None:
            self._load_context(hit)

    def on_context_loaded(self, message: ContextLoaded) -> None:
        if message.hit == self.query_one("#results", ResultList).selected_hit:
            self.query_one("#preview", Preview).show(message.hit, message.rows)

    # -- status and messages ----------------------------------------------------------
    def on_query_model_loaded(self, message: QueryModelLoaded) -> None:
        self._set_status(f"model ready ({message.seconds:.1f} s)")

    def on_status_loaded(self, message: StatusLoaded) -> None:
        self._documents = message.status.documents
        self._coverage = message.status.coverage
        if not self.query_one("#query", Input).value.strip():
            self._show_empty_state()

    def on_work_failed(self, message: WorkFailed) -> None:
        self.notify(message.error.message, title=message.error.title, severity="error")

    def _show_empty_state(self) -> None:
        if self._documents == 0:
            self._set_message(
                "Your index is empty. Press "
                f"{key_label(self, 'show-index', 'f3')} to add a folder of documents, or run "
                "'xlsearch index FOLDER' in a shell."
            )
        elif self._documents is not None:
            self._set_message(
                f"{self._documents} documents indexed ({self._coverage}). Type a question above."
            )

    def _set_message(self, text: str) -> None:
        message = self.query_one("#message", Static)
        message.update(text)
        message.display = bool(text)

    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    @property
    def message_text(self) -> str:
        """What the message line says (empty state, nothing found), for tests."""
        return str(self.query_one("#message", Static).render())

    # -- actions ----------------------------------------------------------------------
    def _set_filters(self, filters: SearchFilters) -> None:
        self.filters = filters
        self.query_one("#filters", Static).update(filters.describe())
        self.search_now()

    def action_cycle_language(self) -> None:
        self._set_filters(self.filters.next_language())

    def action_cycle_mode(self) -> None:
        self._set_filters(self.filters.next_mode())

    def action_cycle_file_type(self) -> None:
        self._set_filters(self.filters.next_file_type())

    def action_choose_folder(self) -> None:
        def chosen(folder: str | None) -> None:
            if folder is not None:
                prefix = str(Path(folder).expanduser().absolute()) if folder.strip() else None
                self._set_filters(
                    SearchFilters(
                        self.filters.mode, self.filters.lang, prefix, self.filters.file_type
                    )
                )

        self.app.push_screen(FolderPrompt(self.filters.folder or ""), chosen)

    def action_focus_results(self) -> None:
        results = self.query_one("#results", ResultList)
        if results.hits:
            results.focus()

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_copy_path(self) -> None:
        copy_path(self.app, self.query_one("#results", ResultList).selected_hit)

    def action_open_file(self) -> None:
        open_file(self.app, self.query_one("#results", ResultList).selected_hit)

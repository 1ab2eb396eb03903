"""The evaluation screen: benchmark the search systems on datasets, per direction.

The run goes through :func:`~xlsearch.eval.runner.run_eval` in a thread worker: it
builds scratch indexes under ``<home>/eval-tmp`` with engines of its own, so the user's
index and the search screen are untouched meanwhile. Progress comes back as
``EvalProgressed`` messages; the results fill a table per direction, a bar chart of
every direction and a costs table (:class:`~xlsearch.tui.widgets.eval_outcome.EvalOutcome`),
and export as Markdown, CSV and JSON.

Query heads trained with ``xlsearch train`` are systems too: after the built-in ones the
screen lists ``multilingual+head:NAME`` and ``hybrid+head:NAME`` for each, unticked.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    ProgressBar,
    SelectionList,
    Static,
)
from textual.worker import Worker, WorkerState

from xlsearch import paths
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.errors import XlsearchError
from xlsearch.eval.datasets import BUILTIN
from xlsearch.eval.report import RunResult
from xlsearch.eval.runner import EvalProgress, load_datasets, run_eval
from xlsearch.eval.systems import HEAD_BASES, HEAD_MARK
from xlsearch.search.head import SavedHead, saved_heads
from xlsearch.tui.base import EngineScreen, key_label
from xlsearch.tui.eval_results import export, export_paths, parse_max_queries
from xlsearch.tui.messages import EvalFinished, EvalProgressed, EvalStopped, WorkFailed
from xlsearch.tui.widgets.eval_outcome import EvalOutcome
from xlsearch.tui.widgets.text_box import TextBox

SYSTEMS = (
    ("bm25 · keywords (FTS5)", "bm25"),
    ("monolingual · English MiniLM", "monolingual"),
    ("multilingual · e5-small", "multilingual"),
    ("hybrid · e5 + keywords", "hybrid"),
)
"""(label, name) of the systems ``run_eval`` knows."""
Choice = tuple[str, str, bool]
"""(label, system name, ticked) of one entry in the systems list."""
DEFAULT_MAX_QUERIES = "50"


def head_choices(heads: list[SavedHead]) -> list[Choice]:
    """Unticked entries for each head trained for e5 (head systems are e5 systems), one
    per base system: 'multilingual + head tico · cross arm'."""
    choices = []
    for head in heads:
        if head.model != E5_MODEL_ID:
            continue
        arm = f" · {head.arm} arm" if head.arm else ""
        for base in HEAD_BASES:
            choices.append(
                (f"{base} + head {head.name}{arm}", f"{base}{HEAD_MARK}{head.name}", False)
            )
    return choices


class _StopRequested(Exception):
    """Raised from the progress callback: run_eval takes no cancel flag, and its finally
    blocks close the scratch engines and remove their folder on the way out."""


class EvalScreen(EngineScreen):
    """Choose datasets and systems, run, read the tables and the chart, export."""

    CSS_PATH = "eval.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run_eval", "Run", id="run-eval"),
        Binding("ctrl+g", "stop_eval", "Stop", id="stop-eval"),
        Binding("ctrl+s", "export", "Export", id="export-eval"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._stop_asked = threading.Event()
        self.results: list[RunResult] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="body"):
            yield from self._choices()
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="progress-text", markup=False)
            yield Static("", id="hint", markup=False)
            yield EvalOutcome(id="outcome")
        yield Footer()

    def _choices(self) -> ComposeResult:
        with Horizontal(id="choices"):
            with Vertical(id="dataset-box"):
                yield Static("Datasets", classes="heading")
                yield SelectionList[str](("Built-in benchmark", BUILTIN, True), id="datasets")
                yield TextBox(placeholder="Also a dataset folder or .tmx file", id="dataset-path")
            with Vertical(id="system-box"):
                yield Static("Systems", classes="heading")
                yield SelectionList[str](
                    *((lbl, name, True) for lbl, name in SYSTEMS), id="systems"
                )
        with Horizontal(id="run-row"):
            yield Label("Max queries per direction", classes="field")
            yield TextBox(DEFAULT_MAX_QUERIES, placeholder="all", type="integer", id="max-queries")
            yield Button("Run", id="run", variant="primary")

    def on_mount(self) -> None:
        self._list_heads()
        self.query_one("#outcome").display = False
        self._show_running(False)
        self.query_one("#hint", Static).update(
            f"Choose datasets and systems, then press {key_label(self, 'run-eval', 'ctrl+r')}. "
            "Every document is embedded with the real models: the built-in benchmark "
            "takes a few minutes."
        )

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self._list_heads()  # one trained in a shell meanwhile

    def _list_heads(self) -> None:
        """Add the head systems not listed yet. The heads run_eval finds are the ones
        under the user's state dir, so those are the ones listed."""
        systems: SelectionList[str] = self.query_one("#systems", SelectionList)
        listed = {systems.get_option_at_index(i).value for i in range(systems.option_count)}
        systems.add_options(
            c for c in head_choices(saved_heads(paths.home())) if c[1] not in listed
        )

    # -- the worker -------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="eval", description="evaluation")
    def _evaluate(self, specs: list[str], systems: list[str], max_queries: int | None) -> None:
        started = time.perf_counter()
        try:
            datasets = load_datasets(specs)
            results = run_eval(
                datasets, systems, progress=self._post_progress, max_queries=max_queries
            )
        except _StopRequested:
            self.post_message(EvalStopped())
            return
        except XlsearchError as exc:
            self.post_message(WorkFailed(exc))
            return
        self.post_message(EvalFinished(results, time.perf_counter() - started))

    def _post_progress(self, progress: EvalProgress) -> None:
        if self._stop_asked.is_set():
            raise _StopRequested
        self.post_message(EvalProgressed(progress))  # thread-safe

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self._show_running(False)
            self.notify(
                str(event.worker.error),
                title=f"{event.worker.description} failed",
                severity="error",
            )

    @property
    def evaluating(self) -> bool:
        return any(not w.is_finished for w in self.workers if w.group == "eval")

    # -- running ----------------------------------------------------------------------
    def action_run_eval(self) -> None:
        if self.evaluating:
            self.notify(
                "An evaluation is running; wait for it or stop it first.", severity="warning"
            )
            return
        try:
            specs, systems, max_queries = self._request()
        except XlsearchError as exc:
            self.notify(exc.message, title=exc.title, severity="warning")
            return
        self._stop_asked.clear()
        self._show_running(True)
        self.query_one("#progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#progress-text", Static).update(f"Loading {', '.join(specs)}…")
        self._evaluate(specs, systems, max_queries)

    def _request(self) -> tuple[list[str], list[str], int | None]:
        """Datasets, systems and the query cap from the controls; XlsearchError if unusable."""
        specs = list(self.query_one("#datasets", SelectionList).selected)
        path = self.query_one("#dataset-path", Input).value.strip()
        if path:
            specs.append(path)
        systems = list(self.query_one("#systems", SelectionList).selected)
        if not specs:
            raise XlsearchError("No dataset chosen; tick the built-in one or type a path.")
        if not systems:
            raise XlsearchError("No system chosen; tick at least one.")
        return specs, systems, parse_max_queries(self.query_one("#max-queries", Input).value)

    @on(Button.Pressed, "#run")
    def _run_pressed(self) -> None:
        self.action_run_eval()

    @on(Input.Submitted, "#dataset-path, #max-queries")
    def _submitted(self) -> None:
        self.action_run_eval()

    @on(Input.Submitted, "#export-path")
    def _export_submitted(self) -> None:
        self.action_export()

    def on_unmount(self) -> None:
        # The worker's thread would otherwise keep the process alive after quitting.
        self._stop_asked.set()

    def action_stop_eval(self) -> None:
        if self.evaluating:
            self._stop_asked.set()
            self.query_one("#progress-text", Static).update("Stopping after this step…")

    def _show_running(self, running: bool) -> None:
        self.query_one("#run", Button).disabled = running
        self.query_one("#progress").display = running
        self.query_one("#progress-text").display = running
        self.query_one("#hint").display = not running and not self.results

    def on_eval_progressed(self, message: EvalProgressed) -> None:
        p = message.progress
        self.query_one("#progress", ProgressBar).update(total=p.total or None, progress=p.done)
        self.query_one("#progress-text", Static).update(f"{p.phase} · {p.done}/{p.total}")

    def on_eval_finished(self, message: EvalFinished) -> None:
        self.results = message.results
        self._show_running(False)
        outcome = self.query_one("#outcome", EvalOutcome)
        outcome.display = bool(self.results)
        outcome.show(self.results)
        outcome.scroll_visible(top=True, animate=False)
        self.notify(
            f"{len(self.results)} runs in {message.seconds:.0f} s.", title="Evaluation done"
        )

    def on_eval_stopped(self, _: EvalStopped) -> None:
        self._show_running(False)
        self.notify("Evaluation stopped; no results were kept.", title="Stopped")

    def on_work_failed(self, message: WorkFailed) -> None:
        self._show_running(False)
        self.notify(message.error.message, title=message.error.title, severity="error")

    # -- export -----------------------------------------------------------------------
    def action_export(self) -> None:
        if not self.results:
            self.notify("Nothing to export yet; run an evaluation first.", severity="warning")
            return
        target = self.query_one("#export-path", Input).value
        paths = export_paths(target, Path.cwd())
        try:
            export(self.results, paths)
        except XlsearchError as exc:
            self.notify(exc.message, title=exc.title, severity="error")
            return
        except OSError as exc:
            self.notify(
                f"Could not write {exc.filename or paths[0]} ({exc.strerror}); "
                "type another folder to export to.",
                title="Export failed",
                severity="error",
            )
            return
        names = ", ".join(p.name for p in paths)
        self.notify(f"Wrote {names} in {paths[0].parent}.", title="Exported")

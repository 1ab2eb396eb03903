"""The xlsearch app: screens as modes, app-wide keys, theme and key remaps.

The engine is injected (``XlsearchApp(engine, settings)``) so tests hand it a small
real index; ``run_app`` builds the one for ``XLSEARCH_HOME``. Nothing touches the
model or the database before the first frame: screens do that in thread workers.

While it is open the app follows the indexed folders (:mod:`xlsearch.tui.watcher`),
first catching up with what changed while it was closed, and after any indexing run
it publishes the report on ``index_changed``, so every screen can catch up whichever
screen or worker did the indexing.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from rich.segment import Segment
from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.signal import Signal
from textual.theme import BUILTIN_THEMES
from textual.worker import Worker, WorkerState

from xlsearch import display
from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.commands import XlsearchCommands
from xlsearch.tui.messages import FolderForgotten, IndexFinished, IndexSkipped, WatchStarted
from xlsearch.tui.screens.eval import EvalScreen
from xlsearch.tui.screens.help import HelpScreen
from xlsearch.tui.screens.index import IndexScreen
from xlsearch.tui.screens.search import SearchScreen
from xlsearch.tui.watcher import follow
from xlsearch.types import IndexReport


class _NoControls(LineFilter):
    """Drops control and bidi characters from drawn text (they take no cell)."""

    def apply(self, segments: list[Segment], _background: Color) -> list[Segment]:
        return [
            Segment(display.invisible(segment.text), segment.style, segment.control)
            if not segment.control
            else segment
            for segment in segments
        ]


_NO_CONTROLS = _NoControls()
UNMOUNT_WAIT_S = 10.0
"""Longest the app waits on quitting for its thread workers to finish."""


class XlsearchApp(App[None]):
    """Search (home), folders and evaluation screens over one engine."""

    CSS_PATH = "app.tcss"
    TITLE = "xlsearch"
    MODES: ClassVar[dict[str, str | type[Screen[None]]]] = {  # type: ignore[assignment]
        "search": SearchScreen,
        "index": IndexScreen,
        "eval": EvalScreen,
    }
    DEFAULT_MODE = "search"
    COMMANDS = App.COMMANDS | {XlsearchCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", id="help"),
        Binding("f2", "switch_mode('search')", "Search", id="show-search"),
        Binding("f3", "switch_mode('index')", "Folders", id="show-index"),
        # A function key: a plain letter would be typed into the search box.
        Binding("f4", "switch_mode('eval')", "Evaluate", id="show-eval"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, engine: Engine, settings: Settings) -> None:
        super().__init__()
        self.engine = engine
        self.settings = settings
        self.engine_lock = threading.Lock()
        self.index_lock = threading.Lock()
        self.index_changed: Signal[IndexReport] = Signal(self, "index-changed")
        self.index_note: Signal[str] = Signal(self, "index-note")
        self.watching: list[Path] = []
        self._stop_watching = threading.Event()
        # Set once a pass over every folder found what changed while the app was closed;
        # a watcher restarted after that (the folder list changed) need not walk them again.
        self._caught_up = threading.Event()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then the last guard of the display boundary: no control
        or bidi character in any drawn line, whichever widget drew it."""
        return [*super().get_line_filters(), _NO_CONTROLS]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Textual's notification, with file names and reasons shown safely: controls
        made visible, and no markup unless asked for (a name like ``[link=…]`` is text)."""
        super().notify(
            display.shown(message),
            title=display.shown(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        self.watch_folders()
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        else:
            self.notify(
                f"Unknown theme '{self.settings.theme}'; using {self.theme}. Themes: "
                f"{', '.join(sorted(BUILTIN_THEMES))}.",
                severity="warning",
            )

    # -- following the indexed folders -------------------------------------------------
    def watch_folders(self) -> None:
        """Follow the folders the index knows now (again), unless the setting is off."""
        previous, self._stop_watching = self._stop_watching, threading.Event()
        if self.settings.watch_folders:
            self._watch(self._stop_watching)  # started first, so no change slips between
        previous.set()

    @work(thread=True, exclusive=True, exit_on_error=False, group="watch", description="watch")
    def _watch(self, stop: threading.Event) -> None:
        with self.engine_lock:
            roots = [Path(r.path) for r in self.engine.status().roots]
        # A read-only index cannot take a batch: searching it is all the app can do.
        folders = [] if self.engine.store.read_only else [r for r in roots if r.is_dir()]
        if not folders:
            self._caught_up.set()  # a folder added later is indexed by its own job
            self.post_message(WatchStarted([]))
            return
        follow(self.engine, folders, self.index_lock, stop, self.post_message, self._caught_up)

    def on_watch_started(self, message: WatchStarted) -> None:
        self.watching = message.roots

    def on_index_finished(self, message: IndexFinished) -> None:
        # From the watcher, and bubbled up from the folders screen's own jobs.
        self.index_changed.publish(message.report)
        if not message.watched:
            self.watch_folders()  # the job may have added a folder

    def on_folder_forgotten(self, _: FolderForgotten) -> None:
        self.watch_folders()

    def on_index_skipped(self, message: IndexSkipped) -> None:
        self.index_note.publish(message.reason)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "watch" and event.state == WorkerState.ERROR:
            self.watching = []
            self.notify(
                f"{event.worker.error} Watching starts again when you next index from the "
                "folders screen.",
                title="Stopped watching folders",
                severity="warning",
            )

    async def on_unmount(self) -> None:
        # The watcher's thread would otherwise keep the process alive after quitting.
        self._stop_watching.set()
        # Thread workers read through the engine's store: let a search, preview or
        # status in flight finish before whoever made the engine closes it (a query on
        # a connection closed under it crashes the process). Bounded, so quitting
        # during a long indexing run does not hang.
        # Textual runs thread workers on the loop's default executor, and cancelling
        # one does not stop its thread: wait for the threads themselves.
        loop = asyncio.get_running_loop()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(loop.shutdown_default_executor(), UNMOUNT_WAIT_S)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(title, [(key, description)]) for the help screen, keys as remapped."""
        groups: list[tuple[str, list[BindingType]]] = [
            ("Everywhere", [*self.BINDINGS, Binding("ctrl+p", "", "Command palette")]),
            ("Search screen", SearchScreen.BINDINGS),
            ("Folders screen", IndexScreen.BINDINGS),
            ("Evaluation screen", EvalScreen.BINDINGS),
        ]
        return [
            (title, [self._describe(b) for b in bindings if isinstance(b, Binding)])
            for title, bindings in groups
        ]

    def _describe(self, binding: Binding) -> tuple[str, str]:
        key = self.settings.keys.get(binding.id or "", binding.key)
        shown = ", ".join(self.get_key_display(Binding(k.strip(), "")) for k in key.split(","))
        return shown, binding.description or binding.action

    async def action_on_search(self, action: str) -> None:
        """Run a search-screen action from anywhere (the command palette)."""
        await self.switch_mode("search")
        await self.screen.run_action(action)

    async def action_on_index(self, action: str) -> None:
        """Run a folders-screen action from anywhere (the command palette)."""
        await self.switch_mode("index")
        await self.screen.run_action(action)


def run_app() -> None:
    """Open the app on the index in ``XLSEARCH_HOME`` (or the user data dir)."""
    from xlsearch.tui.cells import count_spacing_marks

    count_spacing_marks()
    engine = Engine()
    try:
        XlsearchApp(engine, engine.settings).run()
    finally:
        engine.close()

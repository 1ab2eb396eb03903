"""What every screen needs from the app: the injected engine and settings, typed."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol, cast

from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.signal import Signal

from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.messages import StatusLoaded
from xlsearch.types import IndexReport


class HasEngine(Protocol):
    """The part of ``XlsearchApp`` screens rely on (avoids an import cycle)."""

    engine: Engine
    settings: Settings
    engine_lock: threading.Lock
    index_lock: threading.Lock
    index_changed: Signal[IndexReport]
    index_note: Signal[str]


class EngineScreen(Screen[None]):
    """A screen that calls the app's engine."""

    @property
    def engine(self) -> Engine:
        return cast(HasEngine, self.app).engine

    @property
    def engine_lock(self) -> threading.Lock:
        """Held around every call on the engine's own SQLite connection (one at a time)."""
        return cast(HasEngine, self.app).engine_lock

    @property
    def index_lock(self) -> threading.Lock:
        """Held around every indexing run in the app (folders screen, folder watcher), so
        one waits for the other instead of failing on the writer lock."""
        return cast(HasEngine, self.app).index_lock

    @work(thread=True, exclusive=True, exit_on_error=False, group="status", description="status")
    def _load_status(self) -> None:
        """Read the engine's status in a thread; a ``StatusLoaded`` message brings it back."""
        with self.engine_lock:
            status = self.engine.status()
        self.post_message(StatusLoaded(status))

    def follow_index(
        self, changed: Callable[[IndexReport], None], note: Callable[[str], None] | None = None
    ) -> None:
        """Call ``changed`` after every indexing run in the app, and ``note`` with the
        folder watcher's one-line notes (a batch left for later)."""
        app = cast(HasEngine, self.app)
        app.index_changed.subscribe(self, changed)
        if note is not None:
            app.index_note.subscribe(self, note)


def key_label(screen: Screen[Any], binding_id: str, default: str) -> str:
    """The key bound to ``binding_id`` after the user's remaps, as the footer shows it."""
    keys = cast(HasEngine, screen.app).settings.keys.get(binding_id, default)
    first = keys.split(",")[0].strip()
    return screen.app.get_key_display(Binding(first, "", id=binding_id))

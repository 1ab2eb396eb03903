"""What every screen needs from the app: the injected engine and settings, typed."""

from __future__ import annotations

import threading
from typing import Any, Protocol, cast

from textual.binding import Binding
from textual.screen import Screen

from xlsearch.config import Settings
from xlsearch.engine import Engine


class HasEngine(Protocol):
    """The part of ``XlsearchApp`` screens rely on (avoids an import cycle)."""

    engine: Engine
    settings: Settings
    engine_lock: threading.Lock


class EngineScreen(Screen[None]):
    """A screen that calls the app's engine."""

    @property
    def engine(self) -> Engine:
        return cast(HasEngine, self.app).engine

    @property
    def engine_lock(self) -> threading.Lock:
        """Held around every call on the engine's own SQLite connection (one at a time)."""
        return cast(HasEngine, self.app).engine_lock


def key_label(screen: Screen[Any], binding_id: str, default: str) -> str:
    """The key bound to ``binding_id`` after the user's remaps, as the footer shows it."""
    keys = cast(HasEngine, screen.app).settings.keys.get(binding_id, default)
    first = keys.split(",")[0].strip()
    return screen.app.get_key_display(Binding(first, "", id=binding_id))

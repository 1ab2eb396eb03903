"""The xlsearch app: screens as modes, app-wide keys, theme and key remaps.

The engine is injected (``XlsearchApp(engine, settings)``) so tests hand it a small
real index; ``run_app`` builds the one for ``XLSEARCH_HOME``. Nothing touches the
model or the database before the first frame: screens do that in thread workers.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from xlsearch.config import Settings
from xlsearch.engine import Engine
from xlsearch.tui.commands import XlsearchCommands
from xlsearch.tui.screens.eval import EvalScreen
from xlsearch.tui.screens.help import HelpScreen
from xlsearch.tui.screens.index import IndexScreen
from xlsearch.tui.screens.search import SearchScreen


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

    def on_mount(self) -> None:
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

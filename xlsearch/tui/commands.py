"""The app's own commands in the ctrl+p palette."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Search", "Go to the search screen", "switch_mode('search')"),
    ("Folders", "Indexed folders: add, remove, re-index", "switch_mode('index')"),
    ("Evaluate", "Benchmark the search systems on datasets", "switch_mode('eval')"),
    ("Help", "Every key", "help"),
    ("Language: next", "All, Nepali, English", "on_search('cycle_language')"),
    ("Mode: next", "Hybrid, meaning, keyword", "on_search('cycle_mode')"),
    ("File type: next", "Only one file type", "on_search('cycle_file_type')"),
    ("Folder filter", "Only files under a folder", "on_search('choose_folder')"),
    ("Re-index all folders", "Pick up new, changed and deleted files", "on_index('reindex')"),
    ("Theme", "Switch the colour theme", "change_theme"),
    ("Quit", "Leave xlsearch", "quit"),
)
"""(name, help, app action) for each command."""


class XlsearchCommands(Provider):
    """Screens, filters, indexing and theme, by name."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        return [
            (name, help_, partial(self.app.run_action, action)) for name, help_, action in COMMANDS
        ]

    async def discover(self) -> Hits:
        for name, help_, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_)

"""The results list: one wrapped entry per hit, never a fixed-width Devanagari column.

Each entry is a header line (language badge, file name, folder, score, why it matched,
where) and the snippet cut to about two lines with the query's words marked. Entries
wrap instead of being cropped, and the snippet is cut with terminal-true widths, so a
Nepali word is never chopped by a miscounted cell.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from xlsearch import display
from xlsearch.tui.cells import fit_cells
from xlsearch.types import Hit

LANG_BADGES = {"ne": "ने", "en": "EN", "hi": "हि"}
MATCH_LABELS = {"keyword": "keyword", "meaning": "meaning", "both": "keyword+meaning"}
HIGHLIGHT_STYLE = "bold reverse"
SNIPPET_LINES = 2


def badge(lang: str) -> str:
    """The short language tag shown before each result."""
    return LANG_BADGES.get(lang, (lang or "?")[:2].upper())


def folder_label(path: str, parts: int = 2) -> str:
    """The last ``parts`` folders of the file's folder ('…/law/notes'); the preview
    shows the whole path."""
    parent = Path(path).parent
    if len(parent.parts) <= parts:
        return str(parent)
    return str(Path("…", *parent.parts[-parts:]))


def snippet_text(hit: Hit, max_cells: int) -> Text:
    """The snippet cut to ``max_cells`` terminal cells with its highlight spans kept."""
    snippet, spans = display.marked_passage(hit.snippet, hit.highlights)
    cut = fit_cells(snippet, max_cells)
    text = Text(cut)
    kept = len(cut.rstrip("…"))
    for start, end in spans:
        if end <= kept:
            text.stylize(HIGHLIGHT_STYLE, start, end)
    return text


def hit_prompt(hit: Hit, width: int) -> Text:
    """The entry for one hit, for a list ``width`` cells wide."""
    header = Text.assemble(
        (f" {badge(hit.lang)} ", "bold reverse"),
        " ",
        (display.name(Path(hit.path).name), "bold"),
        "  ",
        (display.name(folder_label(hit.path)), "dim"),
    )
    details = f"{hit.score:.4f} · {MATCH_LABELS.get(hit.matched_by, hit.matched_by)}"
    if hit.location:
        details += f" · {display.name(hit.location)}"
    header.append(f"  {details}", style="italic")
    body = snippet_text(hit, SNIPPET_LINES * max(width - 2, 10))
    return Text.assemble(header, "\n", body)


class ResultList(OptionList):
    """Hits as options; the highlighted one drives the preview."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.hits: list[Hit] = []

    def show_hits(self, hits: list[Hit]) -> None:
        """Replace the entries with ``hits``, highlighting the first."""
        self.hits = list(hits)
        self._rebuild()

    def _rebuild(self) -> None:
        highlighted = self.highlighted
        width = max(self.content_size.width, 40)
        self.clear_options()
        self.add_options(Option(hit_prompt(hit, width)) for hit in self.hits)
        if self.hits:
            keep = highlighted if highlighted is not None else 0
            self.highlighted = min(keep, len(self.hits) - 1)

    @property
    def selected_hit(self) -> Hit | None:
        index = self.highlighted
        return None if index is None or index >= len(self.hits) else self.hits[index]

    def on_resize(self, event: events.Resize) -> None:
        # Snippets are cut to the width, so a new width needs new entries.
        if self.hits:
            self._rebuild()

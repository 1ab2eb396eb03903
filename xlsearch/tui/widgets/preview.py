"""The preview pane: the hit's passage between its neighbours, the match marked."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from xlsearch import display
from xlsearch.store.db import ChunkRow
from xlsearch.types import Hit, describe_location

MATCH_STYLE = "bold reverse"
PASSAGE_STYLE = "bold"
NEIGHBOUR_STYLE = "dim"


def marked_words(hit: Hit) -> list[str]:
    """The words the snippet marks, to mark again wherever they occur in the passage."""
    snippet, spans = display.marked_passage(hit.snippet, hit.highlights)
    return sorted({snippet[start:end] for start, end in spans if end > start})


def location_line(hit: Hit) -> str:
    """'path · line 12' (or page, or the path alone), '· converted from Preeti' if it was."""
    line = f"{hit.path} · {hit.location}" if hit.location else hit.path
    line = f"{line} · converted from {hit.converted_from}" if hit.converted_from else line
    return display.name(line)


def _readable(passage: str) -> str:
    return display.shown(display.passage(passage))


def preview_text(hit: Hit, rows: list[ChunkRow]) -> Text:
    """The header line and the passages; the hit's own chunk bold, neighbours dim."""
    text = Text(location_line(hit), style="italic")
    text.append("\n")
    chunks = rows or []
    if not chunks:
        text.append("\n" + _readable(hit.text), style=PASSAGE_STYLE)
    for row in chunks:
        where = display.name(describe_location(row.page, row.line, row.where, row.ocr))
        style = PASSAGE_STYLE if row.id == hit.chunk_id else NEIGHBOUR_STYLE
        if where:
            text.append(f"\n[{where}]\n", style="italic dim")
        else:
            text.append("\n")
        text.append(_readable(row.text), style=style)
        text.append("\n")
    text.highlight_words(marked_words(hit), style=MATCH_STYLE)
    return text


class Preview(VerticalScroll):
    """A scrollable passage; ``body`` holds what is shown, for tests and screenshots."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body = Text("")

    def compose(self) -> ComposeResult:
        yield Static(id="preview-body", markup=False)

    def show(self, hit: Hit, rows: list[ChunkRow]) -> None:
        self._set(preview_text(hit, rows))

    def _set(self, text: Text) -> None:
        self.body = text
        self.query_one("#preview-body", Static).update(text)
        self.scroll_home(animate=False)

"""The F1 help screen: every key, as remapped by the user's settings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

INTRO = (
    "xlsearch finds passages in your own Nepali and English documents, by meaning and by "
    "keyword, offline. Type a question in either language; the results say why each "
    "passage matched. ctrl+p opens the command palette."
)


def help_text(sections: list[tuple[str, list[tuple[str, str]]]]) -> Text:
    """Sections of (key, what it does) lines under a heading each."""
    text = Text(INTRO + "\n")
    for title, rows in sections:
        text.append(f"\n{title}\n", style="bold")
        for key, description in rows:
            text.append(f"  {key:<14}", style="bold")
            text.append(f"{description}\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Keys of the app, the search screen and the folders screen."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "close", "Close", id="close-help"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(help_text(self.sections), id="help-body", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

"""A small dialog that asks for a folder to limit the search to."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from xlsearch.tui.widgets.text_box import TextBox


class FolderPrompt(ModalScreen[str | None]):
    """Returns the typed folder, '' to clear the filter, or None when cancelled."""

    CSS_PATH = "folder_prompt.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel-prompt"),
    ]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Only search files under this folder (empty: everywhere)")
            yield TextBox(self.current, placeholder="~/Documents/notes", id="folder")
            yield Label("enter: apply · escape: cancel", classes="hint")

    @on(Input.Submitted, "#folder")
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)

"""What the app does with a chosen result: copy its path, open its file at the hit.

The commands come from :mod:`xlsearch.tui.opener` (pure); this module runs them from the
app, suspending it for a terminal editor, and says in a notification what went wrong.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from textual.app import App

from xlsearch.tui.opener import OpenCommand, open_command
from xlsearch.types import Hit


def copy_path(app: App[object], hit: Hit | None) -> None:
    """Put the hit's path on the clipboard (OSC 52, as Textual does it)."""
    if hit is None:
        app.notify("Select a result first.", severity="warning")
        return
    app.copy_to_clipboard(hit.path)
    app.notify(hit.path, title="Path copied")


def open_file(app: App[object], hit: Hit | None) -> None:
    """Open the hit's file at its line or page, or say why nothing can."""
    if hit is None:
        app.notify("Select a result first.", severity="warning")
        return
    command = open_command(hit.path, hit.file_type, hit.line, os.environ, page=hit.page)
    if command is None:
        app.notify(
            f"Nothing can open {Path(hit.path).name}: set $EDITOR, or install "
            "xdg-utils (xdg-open).",
            title="Cannot open file",
            severity="error",
        )
        return
    _run(app, command)


def _run(app: App[object], command: OpenCommand) -> None:
    try:
        if command.in_terminal:
            with app.suspend():
                subprocess.run(command.argv, check=False)
        else:
            subprocess.Popen(
                command.argv,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
    except Exception as exc:  # the opener's failure must not take the app down
        app.notify(f"{' '.join(command.argv)}: {exc}", title="Cannot open file", severity="error")

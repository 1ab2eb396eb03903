"""How to open a hit's file: $EDITOR at the line for text files, a PDF viewer that takes
a page at the hit's page (a scanned notice's page 7), else the system opener.

Commands are argument lists for ``subprocess`` (never a shell), so a file name with
spaces or quotes is passed as it is.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass

TEXT_TYPES = frozenset({"txt", "md"})


@dataclass(frozen=True)
class OpenCommand:
    """An argument list, and whether it takes over the terminal (a terminal editor)."""

    argv: list[str]
    in_terminal: bool


def editor_command(path: str, line: int | None, env: Mapping[str, str]) -> OpenCommand | None:
    """``$VISUAL`` or ``$EDITOR`` with ``+LINE`` before the path, when one is set."""
    editor = env.get("VISUAL") or env.get("EDITOR")
    if not editor:
        return None
    argv = shlex.split(editor)
    if line is not None:
        argv.append(f"+{line}")
    return OpenCommand([*argv, path], in_terminal=True)


PDF_VIEWERS: tuple[tuple[str, str], ...] = (
    ("zathura", "--page={page}"),
    ("evince", "--page-index={page}"),
    ("okular", "--page={page}"),
    ("qpdfview", ""),  # takes "file#page"
    ("mupdf", ""),  # takes the page after the file
)
"""Viewers that open a PDF at a page, in order of preference, with their page option."""


def pdf_command(path: str, page: int, env: Mapping[str, str]) -> OpenCommand | None:
    """The first installed PDF viewer of ``PDF_VIEWERS``, opening ``path`` at ``page``."""
    for viewer, option in PDF_VIEWERS:
        found = shutil.which(viewer, path=env.get("PATH"))
        if found is None:
            continue
        if viewer == "qpdfview":
            return OpenCommand([found, f"{path}#{page}"], in_terminal=False)
        if viewer == "mupdf":
            return OpenCommand([found, path, str(page)], in_terminal=False)
        return OpenCommand([found, option.format(page=page), path], in_terminal=False)
    return None


def system_command(path: str, platform: str = sys.platform) -> OpenCommand | None:
    """The desktop's opener (``open`` on macOS, ``xdg-open`` elsewhere) if installed."""
    opener = "open" if platform == "darwin" else "xdg-open"
    found = shutil.which(opener)
    return None if found is None else OpenCommand([found, path], in_terminal=False)


def open_command(
    path: str,
    file_type: str,
    line: int | None,
    env: Mapping[str, str],
    platform: str = sys.platform,
    page: int | None = None,
) -> OpenCommand | None:
    """The command that opens ``path``, or None when nothing on this machine can."""
    if file_type == "pdf" and page is not None:
        command = pdf_command(path, page, env)
        if command is not None:
            return command
    if file_type in TEXT_TYPES:
        command = editor_command(path, line, env)
        if command is not None and shutil.which(command.argv[0], path=env.get("PATH")):
            return command
    return system_command(path, platform)

"""Finding the files to index under the folders a person named.

Directory links are followed once: a visited set of (device, inode) pairs breaks
symlink loops. Hidden files and folders (a leading dot) are left alone. Links that
point nowhere are reported so the person learns why a file is missing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from xlsearch.extract import is_supported


@dataclass(frozen=True)
class Found:
    """A file met on the walk: where, under which root, and its stat (None if unreadable)."""

    path: str
    root: str
    size: int
    mtime: float
    problem: str | None = None


def walk(root: Path) -> Iterator[Found]:
    """Supported files under ``root`` (or ``root`` itself when it is a file)."""
    top = os.path.abspath(root)
    if os.path.isfile(top):
        yield _stat(top, top)
        return
    seen: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(top, followlinks=True, onerror=lambda _e: None):
        try:
            info = os.stat(folder)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs.clear()  # a link back into something already walked: a loop
            continue
        seen.add((info.st_dev, info.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not is_supported(Path(name)):
                continue
            yield _stat(os.path.join(folder, name), top)


def _stat(path: str, root: str) -> Found:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Found(path, root, 0, 0.0, "link points to a file that does not exist")
    except OSError as exc:
        return Found(path, root, 0, 0.0, f"cannot read file information ({exc.strerror})")
    if not stat.S_ISREG(info.st_mode):  # a named pipe would block the reader forever
        return Found(path, root, 0, 0.0, "not a regular file")
    return Found(path, root, info.st_size, info.st_mtime)

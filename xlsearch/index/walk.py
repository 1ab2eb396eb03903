"""Finding the files to index under the folders a person named.

Links are followed, to files and to folders, even when they point outside the folder
being indexed (a person who links a folder into Documents expects it searched); a
file is recorded under the path of the link. Directory links are followed once: a
visited set of (device, inode) pairs breaks symlink loops. Hard links are separate
paths and each is indexed. Hidden files and folders (a leading dot) are left alone.
Links that point nowhere, folders that cannot be listed and names that are not
UTF-8 are reported so the person learns why a file is missing. Files of a type no
extractor reads are counted by suffix (never opened), so that status can say what was
not read ("Not read: 3 .msg, 2 .dwg") instead of passing them over in silence.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
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


def walk(root: Path, unread: Counter[str] | None = None) -> Iterator[Found]:
    """Supported files under ``root`` (or ``root`` itself when it is a file).

    ``unread``, when given, counts the other (not hidden) files by lower-case suffix,
    "" for a name without one.
    """
    top = os.path.abspath(root)
    if os.path.isfile(top):
        yield _stat(top, top)
        return
    seen: set[tuple[int, int]] = set()
    unreadable: list[OSError] = []
    for folder, dirs, files in os.walk(top, followlinks=True, onerror=unreadable.append):
        yield from _folder_problems(unreadable, top)
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
            if name.startswith("."):
                continue
            if not is_supported(Path(name)):
                if unread is not None:
                    unread[Path(name).suffix.lower()] += 1
                continue
            yield _stat(os.path.join(folder, name), top)
    yield from _folder_problems(unreadable, top)


def _folder_problems(errors: list[OSError], root: str) -> Iterator[Found]:
    """A Found with the reason for each folder that could not be listed (then forgotten)."""
    for error in errors:
        if error.filename is not None:
            reason = (error.strerror or "unreadable").lower()
            yield Found(
                _printable(os.fsdecode(error.filename)),
                root,
                0,
                0.0,
                f"cannot open this folder ({reason})",
            )
    errors.clear()


def _printable(path: str) -> str:
    """``path`` with undecodable bytes (kept by Python as surrogates) shown as U+FFFD."""
    return os.fsencode(path).decode("utf-8", "replace")


def _stat(path: str, root: str) -> Found:
    if _printable(path) != path:
        # SQLite stores text as UTF-8: a name with bytes that are not UTF-8 cannot be
        # recorded faithfully, so the file is reported under a readable form of it.
        return Found(
            _printable(path),
            root,
            0,
            0.0,
            "the file name is not valid UTF-8; rename the file to index it",
        )
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Found(path, root, 0, 0.0, "link points to a file that does not exist")
    except OSError as exc:
        return Found(path, root, 0, 0.0, f"cannot read file information ({exc.strerror})")
    if not stat.S_ISREG(info.st_mode):  # a named pipe would block the reader forever
        return Found(path, root, 0, 0.0, "not a regular file")
    return Found(path, root, info.st_size, info.st_mtime)

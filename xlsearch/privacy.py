"""Private by default: the state directory and everything in it belong to one account.

``index.db`` holds every indexed passage in clear text, so on a shared computer it
must not be readable by other accounts. An xlsearch process therefore narrows its
umask to 077 before it creates anything (new folders 0700, new files 0600: the
database and its WAL and shared-memory files, the HNSW files, the lock, evaluation
scratch folders, converted models, reports it writes). A directory that already
exists with a looser mode is reported by ``xlsearch status``, never silently
changed: the person may have loosened it on purpose.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def make_private() -> None:
    """Make everything this process creates from now on private to its user."""
    if os.name == "posix":
        current = os.umask(PRIVATE_UMASK)
        os.umask(current | PRIVATE_UMASK)


def private_home(root: Path) -> Path:
    """``root``, created 0700 if it does not exist yet (its parents too)."""
    make_private()
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def exposure(root: Path) -> list[str]:
    """One sentence per part of the state directory other accounts can read.

    Looks at the directory itself and the files and folders directly in it that
    hold text (the database and its journals, the vectors folder).
    """
    if os.name != "posix":
        return []  # Windows profiles are private through ACLs, not mode bits
    warnings = []
    for path in [root, *_sensitive(root)]:
        try:
            mode = stat.S_IMODE(path.lstat().st_mode)
        except OSError:
            continue
        if mode & 0o077 and not path.is_symlink():
            kind = "folder" if path.is_dir() else "file"
            wanted = "700" if path.is_dir() else "600"
            warnings.append(
                f"The {kind} {path} can be read by other accounts (mode {mode:o}); "
                f"run 'chmod {wanted} {path}' to make it private."
            )
    return warnings


def _sensitive(root: Path) -> list[Path]:
    names = ("index.db", "index.db-wal", "index.db-shm", "vectors", "config.toml")
    return [root / name for name in names if (root / name).exists()]

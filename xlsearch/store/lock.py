"""One writer per index: the lock an indexing run holds on its state directory.

SQLite in WAL mode already lets many readers search while one connection writes, but
two indexing runs over the same folders would embed the same files twice and race
to commit them. So a run takes an exclusive lock on ``<home>/index.lock`` first. It
is an operating-system lock (``flock`` on Unix, ``LockFileEx`` on Windows, through
the ``filelock`` package): the OS drops it when the holder exits or is killed, so a
killed indexer never leaves a stale lock behind. Searches never take it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xlsearch.errors import IndexBusy

LOCK_NAME = "index.lock"
WAIT_SECONDS = 3.0
"""How long a second indexer waits for the first before it gives up."""


def lock_path(home: Path) -> Path:
    return home / LOCK_NAME


@contextmanager
def writer_lock(home: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the index's writer lock for the block; raise IndexBusy after ``wait`` s."""
    from filelock import FileLock, Timeout

    # No soft-lock fallback: a soft lock is a plain file that a kill would leave stale.
    lock = FileLock(lock_path(home), timeout=wait, mode=0o600, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout:
        raise IndexBusy(
            "Another xlsearch is indexing this index right now; wait for it to finish "
            "(or stop it) and run the command again."
        ) from None
    try:
        yield
    finally:
        lock.release()

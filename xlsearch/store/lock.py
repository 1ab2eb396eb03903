"""One writer per index: the lock an indexing run holds on its state directory.

SQLite in WAL mode already lets many readers search while one connection writes, but
two indexing runs over the same folders would embed the same files twice and race
to commit them. So a run takes an exclusive lock on ``<home>/index.lock`` first. It
is an operating-system lock (``flock`` on Unix; ``LockFileEx`` on Windows, through
the ``filelock`` package): the OS drops it when the holder exits or is killed, so a
killed indexer never leaves a stale lock behind. Searches never take it.
"""

from __future__ import annotations

import os
import time
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
    try:
        import fcntl
    except ImportError:  # Windows: filelock's LockFileEx
        with _filelock(home, wait):
            yield
        return
    # flock itself, as filelock does on Unix (importing filelock costs an indexing run
    # that has little to do some 20 ms). The lock belongs to this open file: closing
    # it, or the process ending, releases it.
    handle = os.open(lock_path(home), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy() from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)


@contextmanager
def _filelock(home: Path, wait: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    # No soft-lock fallback: a soft lock is a plain file that a kill would leave stale.
    lock = FileLock(lock_path(home), timeout=wait, mode=0o600, fallback_to_soft=False)
    try:
        lock.acquire()
    except Timeout:
        raise _busy() from None
    try:
        yield
    finally:
        lock.release()


def _busy() -> IndexBusy:
    return IndexBusy(
        "Another xlsearch is indexing this index right now; wait for it to finish "
        "(or stop it) and run the command again."
    )

"""The folder watcher: the indexed folders followed while the app is open.

A thread worker of the app runs :func:`follow` over the folders the index knows. It
first catches up, as ``xlsearch watch`` does: one incremental pass over every folder
finds what changed while the app was closed (unchanged files cost a stat). Then each
burst of changes goes through the same incremental ``Engine.index`` as the folders
screen's jobs, under the app's index lock: a batch and a job take turns, where the
writer lock would fail the second as if another process held it. When another process
does hold it (``xlsearch index`` in a shell), the batch waits for the next one and the
app says so on one line; nothing is lost, since indexing a folder again brings all of
it up to date.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.message import Message

from xlsearch.engine import Engine
from xlsearch.errors import IndexBusy
from xlsearch.index.watch import batches
from xlsearch.tui.messages import IndexFinished, IndexSkipped, WatchStarted
from xlsearch.types import IndexReport

BUSY_NOTE = (
    "Changes not indexed yet: another xlsearch is indexing; trying again at the next change."
)


def follow(
    engine: Engine,
    roots: Sequence[Path],
    index_lock: threading.Lock,
    stop: threading.Event,
    post: Callable[[Message], object],
    caught_up: threading.Event,
) -> None:
    """Catch up, then index the folders each burst of changes under ``roots`` touched,
    until ``stop`` is set. Catching up is one pass over all of ``roots`` unless
    ``caught_up`` is set, and sets it once done (a busy pass leaves the folders for the
    next change). ``post`` gets ``WatchStarted`` after the pass, then
    ``IndexFinished(watched=True)`` per run and ``IndexSkipped`` per run left for the
    next change; other errors end the watch (raised)."""
    # The watches go in place at the first batch asked for, after the pass: a file
    # changed during the pass after it was looked at waits for the next change in its folder.
    changes = batches(roots, stop)
    waiting: set[Path] = set() if caught_up.is_set() else set(roots)
    if waiting and _index_waiting(engine, waiting, index_lock, stop, post):
        caught_up.set()
    post(WatchStarted(list(roots)))
    for touched in changes:
        waiting.update(touched)
        if _index_waiting(engine, waiting, index_lock, stop, post):
            caught_up.set()  # after a busy pass, every folder waited for this run


def _index_waiting(
    engine: Engine,
    waiting: set[Path],
    index_lock: threading.Lock,
    stop: threading.Event,
    post: Callable[[Message], object],
) -> bool:
    """Index the waiting folders that still exist, emptying ``waiting``; True when that
    run went to its end. Another process holding the writer lock leaves them waiting."""
    with index_lock:
        folders = sorted(r for r in waiting if r.exists())
        if stop.is_set() or not folders:
            return False
        try:
            report = engine.index(folders, cancel=stop)
        except IndexBusy:
            post(IndexSkipped(BUSY_NOTE))
            return False
    waiting.clear()
    post(IndexFinished(report, watched=True))
    return not stop.is_set()


def changes_line(report: IndexReport) -> str:
    """'2 files updated (1 new, 1 removed)'; empty when nothing changed."""
    counts = {
        "new": report.added,
        "changed": report.updated,
        "moved": report.moved,
        "removed": report.removed,
    }
    total = sum(counts.values())
    if not total:
        return ""
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    return f"{total} file{'s' if total > 1 else ''} updated ({parts})"

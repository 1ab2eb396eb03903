"""The folder watcher: the indexed folders followed while the app is open.

A thread worker of the app runs :func:`follow` over the folders the index knows. Each
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
from xlsearch.tui.messages import IndexFinished, IndexSkipped
from xlsearch.types import IndexReport
from xlsearch.watch import batches

BUSY_NOTE = (
    "Changes not indexed yet: another xlsearch is indexing; trying again at the next change."
)


def follow(
    engine: Engine,
    roots: Sequence[Path],
    index_lock: threading.Lock,
    stop: threading.Event,
    post: Callable[[Message], object],
) -> None:
    """Index the folders each burst of changes under ``roots`` touched, until ``stop``
    is set. ``post`` gets ``IndexFinished(watched=True)`` per batch indexed and
    ``IndexSkipped`` per batch left for later; other errors end the watch (raised)."""
    waiting: set[Path] = set()
    for touched in batches(roots, stop):
        waiting.update(touched)
        with index_lock:
            folders = sorted(r for r in waiting if r.exists())
            if stop.is_set() or not folders:
                continue
            try:
                report = engine.index(folders, cancel=stop)
            except IndexBusy:
                post(IndexSkipped(BUSY_NOTE))
                continue
        waiting.clear()
        post(IndexFinished(report, watched=True))


def changes_line(report: IndexReport) -> str:
    """'2 files updated (1 new, 1 removed)'; empty when nothing changed."""
    counts = {"new": report.added, "changed": report.updated, "removed": report.removed}
    total = sum(counts.values())
    if not total:
        return ""
    parts = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    return f"{total} file{'s' if total > 1 else ''} updated ({parts})"

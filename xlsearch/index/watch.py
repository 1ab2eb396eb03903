"""Watching folders: new, changed, deleted and moved files reach the index in seconds.

watchfiles (the Rust ``notify`` crate underneath: inotify, FSEvents, ReadDirectoryChangesW)
reports batches of changes, already debounced. Each batch runs the same incremental path
as ``xlsearch index`` on the watched folders it touched: unchanged files cost a stat,
a moved file is a deletion plus an addition whose chunks and vectors come from its
indexed copy or the vector cache, so nothing is embedded again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch.types import IndexReport

if TYPE_CHECKING:
    from watchfiles import Change

    from xlsearch.engine import Engine

DEBOUNCE_MS = 400
"""How long a burst of changes may go on before it is indexed as one batch."""


def _visible(path: Path, roots: Sequence[Path]) -> bool:
    """Not hidden below its root (the walk leaves hidden files and folders alone)."""
    for root in roots:
        if path.is_relative_to(root):
            return not any(part.startswith(".") for part in path.relative_to(root).parts)
    return False


def touched_roots(changed: Iterable[str], roots: Sequence[Path]) -> list[Path]:
    """The watched folders that hold any of the changed paths, hidden ones ignored."""
    paths = [Path(p) for p in changed]
    return [r for r in roots if any(p.is_relative_to(r) and _visible(p, [r]) for p in paths)]


def batches(roots: Sequence[Path], stop: threading.Event | None = None) -> Iterator[list[Path]]:
    """The watched folders each burst of changes touched (those that still exist), until
    ``stop`` is set (or the process is interrupted); ``roots`` must exist to start."""
    # Imported on the call, not at the first batch: a caller that asks for the batches
    # before its first indexing pass then starts watching right after that pass.
    from watchfiles import watch as changes

    raw = changes(*roots, debounce=DEBOUNCE_MS, stop_event=stop, raise_interrupt=False)
    return _touched(raw, roots)


def _touched(raw: Iterable[set[tuple[Change, str]]], roots: Sequence[Path]) -> Iterator[list[Path]]:
    for batch in raw:
        touched = [r for r in touched_roots((path for _, path in batch), roots) if r.exists()]
        if touched:
            yield touched


def watch(
    engine: Engine,
    roots: Sequence[Path],
    on_report: Callable[[IndexReport], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Index ``roots`` now, then again whenever files under them change, until ``stop``
    is set (or the process is interrupted)."""
    folders = [r.absolute() for r in roots]
    changed = batches(folders, stop)
    report = engine.index(folders)
    if on_report is not None:
        on_report(report)
    for touched in changed:
        report = engine.index(touched)
        if on_report is not None:
            on_report(report)

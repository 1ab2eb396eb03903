"""`xlsearch watch`: new, changed, moved and deleted files reach the index in seconds."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest

from tests.support.fakes import CountingEmbedder, use_counting_embedder
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.engine import Engine
from xlsearch.index.watch import touched_roots, watch
from xlsearch.types import IndexReport

WAIT_S = 15.0


def test_touched_roots_ignore_hidden_files_and_other_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert touched_roots([str(a / "x.txt"), str(a / ".git" / "HEAD")], [a, b]) == [a]
    assert touched_roots([str(b / ".cache" / "y.txt"), str(tmp_path / "z.txt")], [a, b]) == []


def test_watch_picks_up_new_changed_moved_and_deleted_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter: CountingEmbedder = use_counting_embedder(monkeypatch, E5_MODEL_ID)
    root = tmp_path / "notes"
    root.mkdir()
    (root / "old.txt").write_text("Springs in the hills are drying up.")
    reports: queue.Queue[IndexReport] = queue.Queue()
    stop = threading.Event()
    engine = Engine()
    worker = threading.Thread(target=watch, args=(engine, [root], reports.put, stop))
    worker.start()
    try:
        assert reports.get(timeout=WAIT_S).added == 1  # the first pass
        (root / "new.txt").write_text("Dengue spreads where water stands.")
        assert _next(reports).added == 1
        (root / "new.txt").rename(root / "moved.txt")
        moved = _next(reports)
        assert (moved.moved, moved.added, moved.removed, moved.embedded) == (1, 0, 0, 0)
        (root / "old.txt").write_text("Springs in the hills are drying up. Plant trees.")
        assert _next(reports).updated == 1
        (root / "old.txt").unlink()
        assert _next(reports).removed == 1
    finally:
        stop.set()
        worker.join(timeout=WAIT_S)
    paths = Engine().store.document_paths()
    assert paths == {str(root / "moved.txt")}
    assert counter.documents == 3  # old, new, old changed; the move re-embedded nothing


def _next(reports: queue.Queue[IndexReport]) -> IndexReport:
    """The next report that did something (a burst may arrive as two batches)."""
    while True:
        report = reports.get(timeout=WAIT_S)
        if report.added or report.updated or report.removed or report.moved:
            return report

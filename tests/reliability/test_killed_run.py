"""An indexing run killed with SIGKILL mid-run resumes: nothing redone, nothing twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

pytestmark = pytest.mark.model


def _xlsearch() -> list[str]:
    return [sys.executable, "-c", "from xlsearch.cli import main; main()"]


def test_kill_9_during_indexing_resumes_without_duplicates(tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(240):
        (corpus / f"note{i:03d}.txt").write_text(f"Field note number {i}: token{i:03d}x was seen.")
    env = {**os.environ, "XLSEARCH_HOME": str(tmp_path / "home")}
    db = tmp_path / "home" / "index.db"
    proc = subprocess.Popen(
        [*_xlsearch(), "index", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed = 0
    deadline = time.monotonic() + 240
    while committed == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
        committed = _count(db, "SELECT count(*) FROM documents")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # Text and keywords are committed first, vectors after: either may be cut short.
    embedded = _count(db, "SELECT count(*) FROM embeddings")
    assert committed > 0 and (committed < 240 or embedded < 240), "the kill should land mid-run"
    done = subprocess.run(
        [*_xlsearch(), "index", str(corpus)], env=env, capture_output=True, text=True, check=True
    )
    assert "240" not in done.stdout.split("new")[0]  # committed files were not redone
    assert _count(db, "SELECT count(*) FROM documents") == 240
    assert _count(db, "SELECT count(DISTINCT document_id) FROM chunks") == 240
    assert _count(db, "SELECT count(*) FROM chunks") == 240
    assert _count(db, "SELECT count(*) FROM embeddings") == 240
    engine = Engine(home=tmp_path / "home")
    for i in (0, 119, 239):
        hits = engine.search(f"token{i:03d}x", SearchOptions(mode="lexical"))
        assert [Path(h.path).name for h in hits] == [f"note{i:03d}.txt"]
        dense = engine.search(
            f"Field note number {i}: token{i:03d}x was seen.", SearchOptions(mode="dense", k=240)
        )
        assert len({h.path for h in dense}) == 240  # every file once, none twice


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0

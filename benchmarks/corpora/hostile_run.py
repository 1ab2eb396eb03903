"""Index a hostile folder in a process of its own and write what happened as JSON.

Run as ``python -m benchmarks.corpora.hostile_run HOME FOLDER REPORT [SECONDS]``. The test (and
``benchmarks/hostile.py``) start it under ``setpriv`` when they run as root, so that
permission checks apply as they do for a person. It embeds with the test's hash
embedder: the outcome of each file, not the model, is under test. Between listing
and reading, ``GROWS`` is appended to and ``VANISHES`` deleted, the way a file being
saved or cleaned up by another program would be.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from benchmarks.corpora.hash_embedder import install_hash_embedder
from benchmarks.corpora.hostile_kinds import GROWS, VANISHES
from xlsearch.config import Settings
from xlsearch.extract import guard
from xlsearch.extract.guard import Reader
from xlsearch.types import IndexProgress, Section


class ChangingReader(Reader):
    """A reader that sees two files change after the walk listed them."""

    def extract(self, path: Path, max_bytes: int, detect_legacy: bool = True) -> list[Section]:
        if path.name == GROWS:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("more text arrives while reading\n" * 1000)
        elif path.name == VANISHES:
            path.unlink()
        return super().extract(path, max_bytes, detect_legacy)


def main(home: Path, folder: Path, report_path: Path, seconds: float) -> None:
    import xlsearch.engine as engine_module

    install_hash_embedder()
    guard.Reader = ChangingReader  # type: ignore[misc]
    engine = engine_module.Engine(home=home, settings=Settings(extract_seconds=seconds))
    times: dict[str, float] = {}
    last = [time.monotonic()]

    def progress(p: IndexProgress) -> None:
        now = time.monotonic()
        times[p.current] = now - last[0]
        last[0] = now

    started = time.monotonic()
    report = engine.index([folder], progress=progress)
    out = {
        "seconds": time.monotonic() - started,
        "added": report.added,
        "issues": [[i.path, i.status, i.reason] for i in report.issues],
        "times": times,
    }
    report_path.write_text(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))

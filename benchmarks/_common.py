"""Helpers shared by the benchmark scripts: corpora, timing, printing."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUILTIN = REPO / "assets" / "benchmark"
SHARED = REPO.parent / "shared" / "benchmarks"


def builtin_passages() -> list[dict[str, str]]:
    """The built-in benchmark's 420 passages (en and ne)."""
    lines = (BUILTIN / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def builtin_questions() -> list[dict[str, str]]:
    """The built-in benchmark's 624 questions (en and ne), as people would type them."""
    lines = (BUILTIN / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def shared_sentences() -> Iterator[str]:
    """Real sentences from ../shared/benchmarks (FLORES en/ne/hi), if present."""
    folder = SHARED / "flores200-dev"
    for name in ("eng.dev", "npi.dev", "hin.dev"):
        path = folder / name
        if path.exists():
            yield from (s for s in path.read_text(encoding="utf-8").splitlines() if s.strip())


def byte_compiled() -> None:
    """Byte-compile the xlsearch package, as installing it does, so that fresh processes
    started by a benchmark do not compile it each time (PYTHONDONTWRITEBYTECODE)."""
    import compileall

    compileall.compile_dir(REPO / "xlsearch", quiet=1)


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation."""
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def row(name: str, value: str) -> None:
    print(f"{name:<48} {value}")

"""The full hostile folder, indexed end to end: every kind meets its expected fate.

The run happens in a child process (``benchmarks/corpora/hostile_run.py``): under ``setpriv``
without the file-access capabilities when the tests run as root, so unreadable
files and folders are unreadable, and with a 5 s per-file time limit so the
runaway HTML is stopped quickly. Indexing must finish, exit cleanly, record every
refused file with its reason and index every other file findably. The per-kind
times are printed (``pytest -s``); ``benchmarks/hostile.py`` prints them too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.corpora.hostile_kinds import Kind, make_hostile_kinds
from tests.conftest import REPO
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pipes, sockets and modes are POSIX")
SECONDS = 5.0
Run = tuple[Path, dict[str, "Kind"], dict[str, Any]]


def as_person() -> list[str]:
    """A command prefix that runs without root's power to read anything, if needed."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permission checks cannot apply")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def run_hostile(base: Path, seconds: float = SECONDS) -> tuple[dict[str, Kind], dict[str, Any]]:
    """Build the folder under ``base``, index it in a child, return kinds and its report."""
    kinds = make_hostile_kinds(base / "hostile", base / "outside")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [*as_person(), sys.executable, "-m", "benchmarks.corpora.hostile_run"]
    command += [str(base / "home"), str(base / "hostile"), str(base / "report.json"), str(seconds)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return kinds, json.loads((base / "report.json").read_text())


@pytest.fixture(scope="module")
def hostile_run() -> Iterator[Run]:
    base = Path(tempfile.mkdtemp(prefix="xlsearch-hostile-"))
    try:
        kinds, report = run_hostile(base)
        yield base, kinds, report
    finally:
        for folder in (base / "hostile" / "closed",):
            if folder.exists():
                folder.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)


def recorded(base: Path) -> dict[str, tuple[str, str]]:
    """Relative path -> (status, reason) of every document row."""
    import sqlite3

    root = str(base / "hostile") + "/"
    with sqlite3.connect(base / "home" / "index.db") as conn:
        rows = conn.execute("SELECT path, status, coalesce(reason, '') FROM documents")
        return {p.removeprefix(root): (s, r) for p, s, r in rows}


def lookup(rows: dict[str, tuple[str, str]], key: str, kind: Kind) -> tuple[str, str] | None:
    if not kind.prefix:
        return rows.get(key)
    under = [v for p, v in rows.items() if p == key or p.startswith(key + "/")]
    return under[0] if under else None


def test_there_are_at_least_40_kinds(hostile_run: Run) -> None:
    _, kinds, _ = hostile_run
    assert len(kinds) >= 40
    assert {k.outcome for k in kinds.values()} >= {"indexed", "failed", "skipped"}


def test_every_kind_meets_its_expected_outcome(
    hostile_run: Run,
) -> None:
    base, kinds, _ = hostile_run
    rows = recorded(base)
    wrong = {}
    for key, kind in kinds.items():
        got = lookup(rows, key, kind)
        fine = got is not None and got[0] == kind.outcome and kind.reason.lower() in got[1].lower()
        if not fine:
            wrong[key] = (kind.what, kind.outcome, kind.reason, got)
    assert wrong == {}


def test_indexed_kinds_are_findable_and_nothing_else_was_lost(
    hostile_run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, kinds, report = hostile_run
    use_hash_embedder(monkeypatch)
    engine = Engine(home=base / "home")
    indexed = {k: v for k, v in kinds.items() if v.outcome == "indexed"}
    assert report["added"] == len(indexed)
    for key, kind in indexed.items():
        if kind.word:
            paths = {h.path for h in engine.search(kind.word, SearchOptions(mode="lexical", k=50))}
            assert str(base / "hostile" / key) in paths, (key, kind.word)
    # Nothing came out of the /etc/passwd entity, the unexpanded laughs stay small.
    assert not engine.search("root", SearchOptions(mode="lexical"))
    secret = engine.search("secretword", SearchOptions(mode="lexical"))
    assert secret == []  # the unreadable file's words are nowhere
    engine.close()


def test_no_kind_hangs_and_the_slowest_is_reported(
    hostile_run: Run,
) -> None:
    base, _, report = hostile_run
    times: dict[str, float] = report["times"]
    slowest = sorted(times.items(), key=lambda item: -item[1])[:5]
    prefix = str(base / "hostile") + "/"
    print("\nslowest hostile kinds:")
    for path, seconds in slowest:
        print(f"  {seconds:7.2f} s  {path.removeprefix(prefix)[:60]!r}")
    print(f"  whole run {report['seconds']:.1f} s")
    nested = times[str(base / "hostile" / "nested.html")]
    assert nested < SECONDS + 3  # stopped at the limit, not after minutes

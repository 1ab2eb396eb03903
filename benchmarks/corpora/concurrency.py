"""One writer, many readers: the three cases the concurrency test and benchmark repeat.

Each case runs real ``index``/``search`` commands as separate processes (through
``benchmarks.corpora.fake_cli``: the CLI with a hash embedder slowed per batch, so runs overlap)
and returns what went wrong, in words; an empty list is a pass.

- ``two_indexers``: two ``index`` commands at once. Each must succeed, or refuse
  with the one IndexBusy sentence; never a traceback; the index whole afterwards.
- ``killed_indexer``: SIGKILL an indexer mid-run, then index again at once: no
  stale lock (no refusal, no wait), everything indexed exactly once.
- ``search_while_indexing``: searches (keyword and hybrid) run while another
  process indexes; each must succeed and see at least the files committed before
  it started.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpora.consistency import problems

REPO = Path(__file__).resolve().parents[2]
BUSY = "Another xlsearch is indexing this index right now"
FILES = 120
COMMON = "sharedword"


def make_corpus(folder: Path, files: int = FILES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        text = f"Note {i} about {COMMON} and token{i:04d}q.\n\nनेपाल टिप्पणी {i}।\n"
        (folder / f"note{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "benchmarks.corpora.fake_cli", *args]


def environment(home: Path, delay: float) -> dict[str, str]:
    return {
        **os.environ,
        "XLSEARCH_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "XLSEARCH_TEST_EMBED_DELAY": str(delay),
        "HF_HUB_OFFLINE": "1",
    }


def committed(home: Path) -> int:
    try:
        with sqlite3.connect(home / "index.db", timeout=5) as conn:
            row = conn.execute("SELECT count(*) FROM documents WHERE status = 'indexed'")
            return int(row.fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _whole(home: Path, files: int) -> list[str]:
    found = problems(home)
    if committed(home) != files:
        found.append(f"{committed(home)} of {files} files indexed")
    return found


def _clean(name: str, done: subprocess.CompletedProcess[str], busy_ok: bool) -> list[str]:
    if "Traceback" in done.stderr:
        return [f"{name}: traceback: {done.stderr[-400:]}"]
    if done.returncode == 0:
        return []
    if busy_ok and done.returncode == 1 and done.stderr.strip().startswith(f"xlsearch: {BUSY}"):
        return []
    return [f"{name}: exit {done.returncode}: {done.stderr[-300:]}"]


def two_indexers(base: Path, rng: random.Random) -> list[str]:
    corpus, home = make_corpus(base / "corpus"), base / "home"
    env = environment(home, delay=rng.uniform(0.2, 1.5))
    first = subprocess.Popen(
        command("index", str(corpus)),
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(rng.uniform(0.0, 1.5))
    second = subprocess.run(
        command("index", str(corpus)), env=env, capture_output=True, text=True, timeout=300
    )
    out, err = first.communicate(timeout=300)
    one = subprocess.CompletedProcess(first.args, first.returncode, out, err)
    errors = _clean("first", one, busy_ok=True) + _clean("second", second, busy_ok=True)
    if one.returncode and second.returncode:
        errors.append("both indexers refused")
    if one.returncode or second.returncode:  # the one refused: finish, as a person would
        subprocess.run(command("index", str(corpus)), env=env, capture_output=True, timeout=300)
    return errors + _whole(home, FILES)


def killed_indexer(base: Path, rng: random.Random) -> list[str]:
    corpus, home = make_corpus(base / "corpus"), base / "home"
    env = environment(home, delay=0.5)
    proc = subprocess.Popen(
        command("index", str(corpus)), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while committed(home) == 0 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(rng.uniform(0.0, 0.5))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    env = environment(home, delay=0.0)
    started = time.monotonic()
    again = subprocess.run(
        command("index", str(corpus)), env=env, capture_output=True, text=True, timeout=300
    )
    errors = _clean("after the kill", again, busy_ok=False)
    if time.monotonic() - started > 20:
        errors.append("the run after the kill waited as if the lock were held")
    return errors + _whole(home, FILES)


def _search(env: dict[str, str], mode: str) -> tuple[list[str], int]:
    done = subprocess.run(
        command("search", "--json", "--mode", mode, "-k", "1000", COMMON),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0 or "Traceback" in done.stderr:
        return [f"search ({mode}): exit {done.returncode}: {done.stderr[-300:]}"], 0
    return [], len({hit["path"] for hit in json.loads(done.stdout)})


def search_while_indexing(base: Path, rng: random.Random) -> list[str]:
    corpus, home = make_corpus(base / "corpus"), base / "home"
    env = environment(home, delay=0.4)
    proc = subprocess.Popen(
        command("index", str(corpus)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    errors: list[str] = []
    searches = 0
    while proc.poll() is None or searches < 2:
        before = committed(home)
        mode = rng.choice(["lexical", "hybrid"])
        failed, seen = _search(env, mode)
        errors += failed
        if not failed and mode == "lexical" and seen < before:
            errors.append(f"a search saw {seen} files when {before} were committed")
        searches += 1
    _, stderr = proc.communicate()
    if proc.returncode != 0 or "Traceback" in stderr:
        errors.append(f"indexer: exit {proc.returncode}: {stderr[-300:]}")
    failed, seen = _search(env, "lexical")
    if seen != FILES:
        errors.append(f"the last search saw {seen} of {FILES} files")
    return errors + failed + _whole(home, FILES)


CASES = {
    "two indexers at once": two_indexers,
    "indexer killed, then index again": killed_indexer,
    "search while another process indexes": search_while_indexing,
}

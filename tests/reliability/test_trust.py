"""Trustworthy under other users, faults and a hostile network: the issue-10 guarantees.

One writer and many readers (real processes), a full disk (SQLite's own SQLITE_FULL,
and a real ENOSPC on a tiny tmpfs where the tests may mount one), a read-only state
folder, damaged databases, lost or broken HNSW files, private file modes, and no
socket ever opened by index, search or eval.
"""

from __future__ import annotations

import os
import random
import sqlite3
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpora.concurrency import CASES, command, environment, make_corpus
from benchmarks.corpora.consistency import problems
from tests.conftest import REPO
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine
from xlsearch.errors import IndexBusy, StorageError
from xlsearch.store.lock import writer_lock

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, mounts and signals")


# --- one writer, many readers ----------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_concurrency_cases_pass_a_few_times(case: str, tmp_path: Path) -> None:
    for i in range(2):
        assert CASES[case](tmp_path / str(i), random.Random(i)) == []


def test_a_second_writer_is_refused_with_one_sentence(tmp_path: Path) -> None:
    with writer_lock(tmp_path), pytest.raises(IndexBusy) as refused, writer_lock(tmp_path, 0.2):
        pass
    assert refused.value.message.count(".") == 1 and "wait for it" in refused.value.message
    with writer_lock(tmp_path, wait=0.2):  # released: free again
        pass


def _indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, files: int
) -> tuple[Path, Engine, Path]:
    """(home, engine, corpus): ``files`` generated files indexed with the hash embedder."""
    use_hash_embedder(monkeypatch)
    home = tmp_path / "home"
    engine = Engine(home=home)
    corpus = make_corpus(tmp_path / name, files)
    engine.index([corpus])
    return home, engine, corpus


def test_forget_and_reindex_wait_for_the_writer_lock_and_change_nothing_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, engine, corpus = _indexed(tmp_path, monkeypatch, "docs", 5)
    documents = "SELECT count(*) FROM documents"
    before = _count(home, documents)
    with writer_lock(home):  # an `xlsearch index` running in another shell
        with pytest.raises(IndexBusy):
            engine.forget(corpus)
        with pytest.raises(IndexBusy):
            engine.reindex()
    assert _count(home, documents) == before
    assert engine.forget(corpus) == before  # free again: it goes through
    assert _count(home, documents) == 0


# --- full disk -------------------------------------------------------------------------------


def _count(home: Path, sql: str) -> int:
    with sqlite3.connect(home / "index.db") as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_a_full_disk_stops_with_one_sentence_and_keeps_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsearch.index.service as indexing_module
    from xlsearch.store.db import Store

    home, engine, _ = _indexed(tmp_path, monkeypatch, "first", 30)
    before = _count(home, "SELECT count(*) FROM documents")

    class NearlyFull(Store):
        """SQLite refuses to grow the file past a few more pages: SQLITE_FULL."""

        def __init__(self, path: Path) -> None:
            super().__init__(path)
            pages = int(self.conn.execute("PRAGMA page_count").fetchone()[0])
            self.conn.execute(f"PRAGMA max_page_count = {pages + 3}")

    monkeypatch.setattr(indexing_module, "Store", NearlyFull)  # the run's own store
    second = tmp_path / "second"
    second.mkdir()
    for i in range(300):
        (second / f"long{i}.txt").write_text(f"Long note {i}. " + "filler words " * 300)
    with pytest.raises(StorageError, match="is full; free some space") as full:
        engine.index([second])
    assert full.value.message.count(";") == 1
    assert problems(home) == []  # whole: the failing batch left nothing behind
    assert _count(home, "SELECT count(*) FROM documents") >= before
    monkeypatch.setattr(indexing_module, "Store", Store)
    engine.index([second])  # with space again, the run resumes
    assert _count(home, "SELECT count(*) FROM documents WHERE path LIKE '%long%'") == 300
    assert problems(home) == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs, where the tests may mount one (root on Linux)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@POSIX
def test_a_real_enospc_on_a_tiny_disk(tiny_disk: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "big"
    corpus.mkdir()
    for i in range(400):
        (corpus / f"big{i}.txt").write_text(f"Big note {i}. " + f"word{i} filler " * 400)
    env = environment(tiny_disk / "home", delay=0.0)
    done = subprocess.run(
        command("index", str(corpus)), env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    said = done.stderr.strip()  # after the progress bar's blank line
    assert said.startswith("xlsearch: The disk holding the index"), said
    assert "free some space" in said and "\n" not in said
    assert problems(tiny_disk / "home") == [] or "HNSW" in " ".join(problems(tiny_disk / "home"))
    with sqlite3.connect(tiny_disk / "home" / "index.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# --- read-only state folder --------------------------------------------------------------------


@pytest.fixture
def read_only_home(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """An indexed home, then made read-only (a read-only bind mount as root)."""
    home = tmp_path / "home"
    env = environment(home, delay=0.0)
    corpus = make_corpus(tmp_path / "corpus", 20)
    subprocess.run(command("index", str(corpus)), env=env, check=True, capture_output=True)
    if os.geteuid() == 0:
        bound = subprocess.run(
            f"mount --bind {home} {home} && mount -o remount,ro,bind {home}",
            shell=True,
            capture_output=True,
        )
        if bound.returncode != 0:
            pytest.skip("cannot make a read-only mount here")
    else:
        home.chmod(0o500)
    try:
        yield home, env
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(home)], check=False)
        else:
            home.chmod(0o700)


@POSIX
def test_read_only_home_searches_but_refuses_to_index(
    read_only_home: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    home, env = read_only_home
    found = subprocess.run(
        command("search", "--mode", "lexical", "token0007q"),
        env=env,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0, found.stderr
    assert "note0007.txt" in found.stdout
    hybrid = subprocess.run(
        command("search", "sharedword"), env=env, capture_output=True, text=True
    )
    assert hybrid.returncode == 0 and "note" in hybrid.stdout, hybrid.stderr
    refused = subprocess.run(
        command("index", str(tmp_path / "corpus")), env=env, capture_output=True, text=True
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    said = refused.stderr.strip()
    assert said.startswith(f"xlsearch: The index folder {home} is read-only;") and "\n" not in said


# --- damage --------------------------------------------------------------------------------------


@pytest.fixture
def indexed_home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    home = tmp_path / "home"
    env = environment(home, delay=0.0)
    subprocess.run(
        command("index", str(make_corpus(tmp_path / "corpus", 200))),
        env=env,
        check=True,
        capture_output=True,
    )
    return home, env


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_database_is_reported_with_what_to_do(
    indexed_home: tuple[Path, dict[str, str]], damage: str
) -> None:
    home, env = indexed_home
    db = home / "index.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"not a database" * 99)
    status = subprocess.run(command("status"), env=env, capture_output=True, text=True)
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert status.stdout.startswith("Health:    damaged. The index at")
    assert "move it aside" in status.stdout and "xlsearch index" in status.stdout
    search = subprocess.run(command("search", "x"), env=env, capture_output=True, text=True)
    assert search.returncode == 1 and search.stderr.startswith("xlsearch: The index at")


def test_damage_inside_the_file_shows_in_status(indexed_home: tuple[Path, dict[str, str]]) -> None:
    home, env = indexed_home
    db = home / "index.db"
    data = bytearray(db.read_bytes())
    page = 4096
    data[3 * page : 5 * page] = b"\xde\xad" * page  # two pages in the middle
    db.write_bytes(bytes(data))
    status = subprocess.run(command("status"), env=env, capture_output=True, text=True)
    assert "Traceback" not in status.stderr
    health = [line for line in status.stdout.splitlines() if line.startswith("Health:")]
    damaged = status.returncode == 1 and "damaged" in status.stdout + status.stderr
    assert damaged or (health and health[0] != "Health:    ok"), status.stdout


@pytest.mark.parametrize("harm", ["deleted", "garbled"])
def test_a_lost_or_broken_hnsw_file_is_rebuilt_from_sqlite(
    indexed_home: tuple[Path, dict[str, str]], harm: str
) -> None:
    home, env = indexed_home
    for path in (home / "vectors").glob("*.bin"):
        if harm == "deleted":
            path.unlink()
        else:
            path.write_bytes(b"\x00garbage" * 100)
    found = subprocess.run(
        command("search", "--mode", "dense", "Note 17 about sharedword"),
        env=env,
        capture_output=True,
        text=True,
    )
    assert found.returncode == 0 and "note0017.txt" in found.stdout.splitlines()[0]
    assert problems(home) == []  # rebuilt and saved again, equal to SQLite


# --- private by default ------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@POSIX
def test_state_is_private_by_default(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"  # does not exist yet: xlsearch creates it
    env = {**environment(home, delay=0.0)}
    code = textwrap.dedent(
        f"""
        import os, sqlite3, sys
        sys.argv = ["xlsearch", "index", {str(make_corpus(tmp_path / "corpus", 5))!r}]
        os.umask(0o022)  # a typical, permissive user umask
        from benchmarks.corpora.fake_cli import main
        from xlsearch.eval.runner import _scratch
        with _scratch() as scratch:
            (scratch / "probe").write_text("x")
            modes = [os.stat(p).st_mode & 0o777 for p in (scratch, scratch / "probe")]
            print(*map(oct, modes))
        main()
        os.umask(0o022)  # SQLite gives its -wal and -shm the database's own mode
        conn = sqlite3.connect({str(home / "index.db")!r})
        conn.execute("INSERT INTO meta VALUES ('probe', 'x')")
        conn.commit()
        for name in ("index.db-wal", "index.db-shm"):
            print(name, oct(os.stat({str(home)!r} + "/" + name).st_mode & 0o777))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["0o700", "0o600"]  # evaluation scratch folders
    assert _mode(home) == 0o700
    files = [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()]
    names = {p.name for p in files}
    assert "index.db" in names and "index.lock" in names
    assert "index.db-wal 0o600" in done.stdout and "index.db-shm 0o600" in done.stdout
    assert any(p.suffix == ".bin" for p in files)
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert {_mode(p) for p in home.rglob("*") if p.is_dir() and not p.is_symlink()} == {0o700}


@POSIX
def test_a_looser_existing_home_is_reported_not_changed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    env = environment(home, delay=0.0)
    done = subprocess.run(command("status"), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stdout.splitlines() if line.startswith("Warning:")]
    assert warning and f"{home} can be read by other accounts (mode 755)" in warning[0]
    assert f"chmod 700 {home}" in warning[0]
    assert _mode(home) == 0o755  # reported, not silently changed


# --- no network, ever -----------------------------------------------------------------------------

_NO_SOCKETS = """
import os, socket, traceback

class _Refused(socket.socket):
    def __init__(self, *args, **kwargs):
        with open(os.environ["XLSEARCH_SOCKET_LOG"], "a") as log:
            log.write("socket attempted:\\n" + "".join(traceback.format_stack(limit=8)) + "\\n")
        raise OSError("network use is forbidden in this test")

def _refuse(*args, **kwargs):
    _Refused()

socket.socket = _Refused
socket.create_connection = _refuse
socket.socketpair = _refuse
socket.getaddrinfo = _refuse
"""


@pytest.mark.model
def test_index_search_and_eval_never_open_a_socket(tmp_path: Path, shared_models: Path) -> None:
    from tests.eval.test_runner import _tiny_beir

    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_NO_SOCKETS)
    log = tmp_path / "sockets.log"
    home = tmp_path / "home"
    home.mkdir()
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(
        XLSEARCH_HOME=str(home),
        XLSEARCH_SOCKET_LOG=str(log),
        PYTHONPATH=os.pathsep.join([str(site), str(REPO)]),
    )
    xlsearch = [sys.executable, "-c", "from xlsearch.cli import main; main()"]
    corpus = make_corpus(tmp_path / "corpus", 3)
    data = _tiny_beir(tmp_path / "tiny")
    for args in (
        ["index", str(corpus)],
        ["search", "Note 1 about sharedword"],
        ["eval", str(data), "--system", "bm25", "--system", "multilingual"],
    ):
        done = subprocess.run(
            [*xlsearch, *args], env=env, capture_output=True, text=True, timeout=900
        )
        assert done.returncode == 0, (args, done.stderr[-2000:])
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0  # the guard is really in place in these processes
    attempts = log.read_text() if log.exists() else ""
    starts = [line for line in attempts.splitlines() if line == "socket attempted:"]
    assert len(starts) == 1, attempts  # only the probe's

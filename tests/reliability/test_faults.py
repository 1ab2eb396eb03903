"""Faults in the state folder: a full disk (SQLite's own SQLITE_FULL, and a real ENOSPC on a
tiny tmpfs where the tests may mount one), a read-only state folder, damaged databases,
lost or broken HNSW files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpora.concurrency import command, environment, make_corpus
from benchmarks.corpora.consistency import problems
from tests.support.indexes import POSIX
from tests.support.indexes import count as _count
from tests.support.indexes import indexed as _indexed
from xlsearch.errors import StorageError

# --- full disk -------------------------------------------------------------------------------


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

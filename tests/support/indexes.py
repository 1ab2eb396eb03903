"""Small indexes for the reliability tests: generated notes (``make_corpus``) indexed with
the hash embedder, and row counts read straight from the index's SQLite file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from benchmarks.corpora.concurrency import make_corpus
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, mounts and signals")


def indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, files: int
) -> tuple[Path, Engine, Path]:
    """(home, engine, corpus): ``files`` generated files indexed with the hash embedder."""
    use_hash_embedder(monkeypatch)
    home = tmp_path / "home"
    engine = Engine(home=home)
    corpus = make_corpus(tmp_path / name, files)
    engine.index([corpus])
    return home, engine, corpus


def count(home: Path, sql: str) -> int:
    """The one number ``sql`` reads from the index in ``home``."""
    with sqlite3.connect(home / "index.db") as conn:
        return int(conn.execute(sql).fetchone()[0])

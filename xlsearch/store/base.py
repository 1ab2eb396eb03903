"""The store's core: the connection (migrated on open), transactions and meta values.

Plain reads and writes of one table go through ``db``, the sqlite-utils handle over
the same connection (``rows_where``, ``count_where``, ``insert``, ``insert_all``);
sqlite-utils wraps each of its writes in a SAVEPOINT when a transaction is open, so
they join ``transaction`` and never commit on their own. Joins, FTS5 and the search
path's one-round-trip reads stay hand-written SQL, and so does what every indexing run
does even when it changes nothing (meta values, roots, looking a file up by path or by
content): importing sqlite-utils (which imports numpy) costs such a run some 80 ms, half
of it (``benchmarks/do_less.py rename``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch.store import health
from xlsearch.store.migrations import database, migrate

if TYPE_CHECKING:  # imported when first used: a cold search never needs it
    import sqlite_utils

SUBSPACE_KEY = "language_subspace"
"""Meta key of the language subspace ``rank.balance`` measures; named here, so that an
indexing run can ask whether it is measured without importing numpy."""


class StoreBase:
    """The connection, its transactions and the meta table: what every part needs."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn, self.read_only = health.connect(path, migrate)
        self.path = path
        self.conn = conn
        self._languages: dict[int, str] = {}  # see chunk_languages

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils handle over the connection, made on first use (importing
        sqlite-utils and loading its plugins costs a cold search some 60 ms)."""
        return database(self.conn)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (or kill).

        Not ``db.atomic()``: that begins a deferred transaction, and a writer must take
        the write lock up front (a deferred one that later writes can fail with
        "database is locked" instead of waiting its turn)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            # SQLite may already have rolled back by itself (SQLITE_FULL does).
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A read transaction: every read inside sees one consistent state."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    # -- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        # Raw: read by every search, where importing sqlite-utils would cost a cold one.
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        # Raw: every indexing run writes meta (see the module's docstring).
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def delete_meta(self, key: str) -> None:
        self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))

    def vectors_version(self) -> int:
        return int(self.get_meta("vectors_version") or 0)

    def bump_vectors_version(self) -> None:
        self.set_meta("vectors_version", str(self.vectors_version() + 1))

    def vectors_replaced(self) -> int:
        """Bumped whenever stored vectors are overwritten (re-embedding by another
        encoder), so the HNSW cache knows to compare, not only add and delete."""
        return int(self.get_meta("vectors_replaced") or 0)

"""The store's core: the connection (migrated on open), transactions and meta values."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from xlsearch.store import health
from xlsearch.store.migrations import migrate

if TYPE_CHECKING:  # imported when first used: a cold search never needs it
    import sqlite_utils


class StoreBase:
    """The connection, its transactions and the meta table: what every part needs."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn, self.read_only = health.connect(path, migrate)
        self.path = path
        self.conn = conn
        # As sqlite-utils sets on a connection it wraps (REPLACE fires delete
        # triggers); set here, since the wrapper is only made when first used.
        conn.execute("PRAGMA recursive_triggers = ON")
        self._languages: dict[int, str] = {}  # see chunk_languages

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils handle over the connection, made on first use (importing
        sqlite-utils and loading its plugins costs a cold search some 60 ms)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (or kill)."""
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
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def vectors_version(self) -> int:
        return int(self.get_meta("vectors_version") or 0)

    def bump_vectors_version(self) -> None:
        self.set_meta("vectors_version", str(self.vectors_version() + 1))

    def vectors_replaced(self) -> int:
        """Bumped whenever stored vectors are overwritten (re-embedding by another
        encoder), so the HNSW cache knows to compare, not only add and delete."""
        return int(self.get_meta("vectors_replaced") or 0)

"""Numbered schema migrations; the schema changes only here, one function per step.

``meta.schema_version`` records the last applied step. Chunk ids use AUTOINCREMENT so
an id is never reused: the HNSW file labels vectors by chunk id, and a reused id could
make a stale vector look current.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# Keeps Devanagari vowel signs and the virama inside tokens; unicode61's default
# categories treat them as separators and cut नेपालको into fragments.
FTS_TOKENIZER = "unicode61 categories 'L* N* Co M*' remove_diacritics 0"


def m001_create_tables() -> str:
    return f"""
        CREATE TABLE roots (
            path TEXT PRIMARY KEY,
            added_at TEXT NOT NULL,
            updated_at TEXT
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            path TEXT NOT NULL UNIQUE,
            root TEXT,
            size INTEGER NOT NULL DEFAULT 0,
            mtime REAL NOT NULL DEFAULT 0,
            hash TEXT,
            type TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            reason TEXT,
            indexed_at TEXT NOT NULL
        );
        CREATE INDEX documents_root ON documents(root);
        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            page INTEGER,
            line INTEGER
        );
        CREATE INDEX chunks_document ON chunks(document_id, ordinal);
        CREATE TABLE embeddings (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        );
        CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, tokenize="{FTS_TOKENIZER}");
        CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
            DELETE FROM chunks_fts WHERE rowid = old.id;
        END;
        """


MIGRATIONS: list[Callable[[], str]] = [m001_create_tables]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every migration newer than the database, each in its own transaction.

    Two processes may open a new database at once (an indexer and a search): each
    step takes the write lock first (BEGIN IMMEDIATE) and reads the version again
    under it, so the second process finds the step done instead of failing on it.
    """
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    for number, step in enumerate(MIGRATIONS, start=1):
        if number <= _version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        if number <= _version(conn):
            conn.execute("COMMIT")
            continue
        # One step, one transaction: a migration is applied whole or not at all.
        try:
            for statement in _statements(step()):
                conn.execute(statement)
            conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(number),),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """The statements of ``script`` one by one (``executescript`` would commit first,
    dropping the lock the step runs under); triggers' inner semicolons are kept."""
    statements, pending = [], ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                statements.append(pending.strip())
            pending = ""
    return statements


def _version(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0

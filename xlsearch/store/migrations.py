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


def m004_embedding_cache() -> str:
    """Vectors keyed by (model, sha256 of the exact encoder input); chunks left out of
    meaning search on purpose; an index to find a file's indexed twin by content hash
    (a copy or a renamed file is not read again). Existing vectors are keyed on first
    open with the model (``embed_cache.backfill``): SQL cannot hash, and only the
    embedder knows its passage prefix."""
    return """
        CREATE TABLE vector_cache (
            model TEXT NOT NULL,
            key TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, key)
        ) WITHOUT ROWID;
        CREATE TABLE vector_skip (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            reason TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS documents_hash ON documents(hash);
        """


MIGRATIONS: list[Callable[[], str]] = [m001_create_tables, m004_embedding_cache]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every migration newer than the database, each in its own transaction."""
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    current = int(row[0]) if row else 0
    for number, step in enumerate(MIGRATIONS, start=1):
        if number <= current:
            continue
        # One script, one transaction: a migration is applied whole or not at all.
        conn.executescript(
            f"BEGIN; {step()}\n"
            f"INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', '{number}');"
            " COMMIT;"
        )

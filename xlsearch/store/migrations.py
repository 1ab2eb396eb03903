"""Numbered schema migrations; the schema changes only here, one function per step.

``meta.schema_version`` records the last applied step. Chunk ids use AUTOINCREMENT so
an id is never reused: the HNSW file labels vectors by chunk id, and a reused id could
make a stale vector look current.

The steps are SQL text, run through sqlite-utils' ``executescript`` inside the step's
own transaction. They stay hand-written: an applied step is history (every index
made since holds its exact text in ``sqlite_master``, and a fresh index must get the
same), and sqlite-utils' ``create`` would write other SQL text and cannot say
AUTOINCREMENT, WITHOUT ROWID or an FTS5 table. ``tests/store/test_schema.py``
holds the schema these seven steps make. A new step that only adds a plain table or
a column may use ``db[table].create`` / ``add_column`` / ``transform``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from xlsearch.search.phonetic import devanagari_words, fold, phonetic_key
from xlsearch.text import stem

if TYPE_CHECKING:  # imported when first used: an index already up to date never needs it
    import sqlite_utils

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


def m002_document_conversion() -> str:
    # The legacy font ("Preeti", ...) a document's text was converted from; NULL for
    # Unicode documents, so every existing row reads as unconverted.
    return "ALTER TABLE documents ADD COLUMN converted_from TEXT;"


def m003_term_keys() -> str:
    """Phonetic keys of the indexed Devanagari words, for romanized queries.

    One row per written word (पानीको, not just its keyword stem पानी): a romanized word
    is compared with whole words, and the reading embeds words as documents write them.
    ``stem`` is the word's keyword term in ``chunks_fts``; ``chunks_vocab`` reads the
    live term list, so a word's document frequency comes from there at query time and
    deletes need no bookkeeping (a word whose stem left the index joins nothing). The
    backfill splits every stored chunk with the same functions the write path uses.
    """
    return """
        CREATE TABLE term_keys (
            term TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            stem TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX term_keys_key ON term_keys(key);
        CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'row');
        WITH RECURSIVE split(word, rest) AS (
            SELECT '', xlsearch_devanagari_words(text) || ' ' FROM chunks
            UNION ALL
            SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
            FROM split WHERE rest != ''
        )
        INSERT OR IGNORE INTO term_keys (term, key, stem)
            SELECT word, xlsearch_phonetic_key(word), xlsearch_stem(word)
            FROM split WHERE word != '';
        """


def m004_embedding_cache() -> str:
    """Vectors keyed by (model, sha256 of the exact encoder input); chunks left out of
    meaning search on purpose; an index to find a file's indexed copy by content hash
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


def m005_chunk_places() -> str:
    """Where a chunk sits when that is neither a page nor a line (a sheet's row, a slide,
    an archive member), and the OCR confidence of text read from an image."""
    return """
        ALTER TABLE chunks ADD COLUMN location TEXT;
        ALTER TABLE chunks ADD COLUMN ocr_confidence REAL;
        """


def m006_ocr_cache() -> str:
    """Pages read by OCR, by the file's content hash, the page and the OCR settings key
    (so a copied, renamed or interrupted scan is never read twice, and a change of
    languages or models reads it again); and how many pages of a document still wait
    for OCR (a run that was stopped, or OCR not installed)."""
    return """
        CREATE TABLE ocr_cache (
            content_hash TEXT NOT NULL,
            page INTEGER NOT NULL,
            settings TEXT NOT NULL,
            text TEXT NOT NULL,
            confidence REAL,
            seconds REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (content_hash, page, settings)
        ) WITHOUT ROWID;
        ALTER TABLE documents ADD COLUMN ocr_pages INTEGER NOT NULL DEFAULT 0;
        """


def m007_embedding_encoder() -> str:
    """Which encoder made each vector (runtime and quantisation: ``torch-fp32``,
    ``openvino-int8``, ...), so a switch of document encoder re-embeds instead of
    mixing. Vectors stored before were made by the float model under torch."""
    return "ALTER TABLE embeddings ADD COLUMN encoder TEXT NOT NULL DEFAULT 'torch-fp32';"


def m008_term_folds() -> str:
    """Each indexed Devanagari word's fold (its letters in the folded Latin alphabet,
    see ``search.phonetic.fold``), made once when the word is written: reading a Latin
    query word compares it with the folds of the words that share its key, and folding
    Devanagari at query time imports the transliteration tables (some 100 ms of a cold
    search, for any English query one of whose words sounds like an indexed word)."""
    return """
        ALTER TABLE term_keys ADD COLUMN fold TEXT;
        UPDATE term_keys SET fold = xlsearch_fold(term);
        """


MIGRATIONS: list[Callable[[], str]] = [
    m001_create_tables,
    m002_document_conversion,
    m003_term_keys,
    m004_embedding_cache,
    m005_chunk_places,
    m006_ocr_cache,
    m007_embedding_encoder,
    m008_term_folds,
]


def database(conn: sqlite3.Connection) -> sqlite_utils.Database:
    """The sqlite-utils handle over ``conn``, leaving the connection as SQLite made it:
    recursive triggers stay off (sqlite-utils turns them on by default) and no plugin
    touches the index's connection.

    Never call its ``upsert``: the first one on a handle probes SQLite by creating and
    dropping a table in the index, a schema change that commits on its own and makes
    every other connection re-read the schema (a folder's delete then failed with "no
    such table: documents" under SQLite 3.40). ``insert(replace=True)`` is INSERT OR
    REPLACE, what the store means."""
    import sqlite_utils

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _devanagari_words(text: str) -> str:
    return " ".join(devanagari_words(text))


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions migrations call: m003_term_keys backfills with the same
    functions the write path uses."""
    conn.create_function("xlsearch_phonetic_key", 1, phonetic_key, deterministic=True)
    conn.create_function("xlsearch_fold", 1, fold, deterministic=True)
    conn.create_function("xlsearch_stem", 1, stem, deterministic=True)
    conn.create_function("xlsearch_devanagari_words", 1, _devanagari_words, deterministic=True)


def migrate(conn: sqlite3.Connection, steps: Sequence[Callable[[], str]] = MIGRATIONS) -> None:
    """Apply every migration newer than the database, each in its own transaction
    (``steps``: the first steps only, to make an index as an older version left it).

    Two processes may open a new database at once (an indexer and a search): each
    step takes the write lock first (BEGIN IMMEDIATE) and reads the version again
    under it, so the second process finds the step done instead of failing on it.
    """
    # Made before any step (the version lives in it): raw, as it has always been
    # written, so its text in sqlite_master stays what older indexes hold.
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    if _version(conn) >= len(steps):
        return  # every open of an index already up to date: nothing more to load
    db = database(conn)
    register_functions(conn)
    for number, step in enumerate(steps, start=1):
        if number <= _version(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        if number <= _version(conn):
            conn.execute("COMMIT")
            continue
        # One step, one transaction: a migration is applied whole or not at all
        # (inside a transaction, executescript runs the statements one by one and
        # does not commit first, as sqlite3's own would).
        try:
            db.executescript(step())
            db.table("meta").insert({"key": "schema_version", "value": str(number)}, replace=True)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def _version(conn: sqlite3.Connection) -> int:
    # Raw: read on every open, where importing sqlite-utils would cost a cold search.
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return 0 if row is None else int(row[0])

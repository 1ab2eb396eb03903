-- index chunks_document
CREATE INDEX chunks_document ON chunks(document_id, ordinal);

-- index documents_hash
CREATE INDEX documents_hash ON documents(hash);

-- index documents_root
CREATE INDEX documents_root ON documents(root);

-- index term_keys_key
CREATE INDEX term_keys_key ON term_keys(key);

-- table chunks
CREATE TABLE chunks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            text TEXT NOT NULL,
            lang TEXT NOT NULL,
            page INTEGER,
            line INTEGER
        , location TEXT, ocr_confidence REAL);

-- table chunks_fts
CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, tokenize="unicode61 categories 'L* N* Co M*' remove_diacritics 0");

-- table chunks_vocab
CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab(chunks_fts, 'row');

-- table documents
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
        , converted_from TEXT, ocr_pages INTEGER NOT NULL DEFAULT 0);

-- table embeddings
CREATE TABLE embeddings (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        , encoder TEXT NOT NULL DEFAULT 'torch-fp32');

-- table meta
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

-- table ocr_cache
CREATE TABLE ocr_cache (
            content_hash TEXT NOT NULL,
            page INTEGER NOT NULL,
            settings TEXT NOT NULL,
            text TEXT NOT NULL,
            confidence REAL,
            seconds REAL NOT NULL DEFAULT 0,
            PRIMARY KEY (content_hash, page, settings)
        ) WITHOUT ROWID;

-- table roots
CREATE TABLE roots (
            path TEXT PRIMARY KEY,
            added_at TEXT NOT NULL,
            updated_at TEXT
        );

-- table term_keys
CREATE TABLE term_keys (
            term TEXT PRIMARY KEY,
            key TEXT NOT NULL,
            stem TEXT NOT NULL
        ) WITHOUT ROWID;

-- table vector_cache
CREATE TABLE vector_cache (
            model TEXT NOT NULL,
            key TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model, key)
        ) WITHOUT ROWID;

-- table vector_skip
CREATE TABLE vector_skip (
            chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
            reason TEXT NOT NULL
        );

-- trigger chunks_fts_delete
CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
            DELETE FROM chunks_fts WHERE rowid = old.id;
        END;


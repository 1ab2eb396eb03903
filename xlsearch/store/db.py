"""The Store: every read and write of the SQLite database goes through here.

One transaction per batch of files: a file's document row, chunks, keyword terms and
vectors land together or not at all, so an interrupted run never leaves a
half-indexed file. ``vectors_version`` is bumped in the same transaction; the HNSW
cache compares it with its manifest to know it is stale.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlite_utils

from xlsearch.phonetic import devanagari_words, phonetic_key
from xlsearch.store import health
from xlsearch.store.migrations import migrate
from xlsearch.text import stem
from xlsearch.types import Chunk, FileIssue, RootInfo

_UNREAD = "unread:"  # meta key prefix: per root, the files of a type not read, by suffix


def now() -> str:
    """UTC timestamp in ISO 8601, seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DocumentRow:
    """A file as recorded: where it is, what it was when read, and how reading went."""

    id: int
    path: str
    size: int
    mtime: float
    hash: str | None
    status: str


@dataclass(frozen=True)
class ChunkRow:
    """A chunk joined with its document, as search results need it."""

    id: int
    document_id: int
    ordinal: int
    text: str
    lang: str
    page: int | None
    line: int | None
    path: str
    type: str
    converted_from: str | None = None  # the legacy font the document was converted from
    where: str | None = None  # see Section.where
    ocr: float | None = None  # see Section.ocr


@dataclass(frozen=True)
class NewDocument:
    """Everything written for one indexed file."""

    path: str
    root: str | None
    size: int
    mtime: float
    hash: str
    type: str
    chunks: Sequence[Chunk]
    terms: Sequence[str]  # one space-joined term string per chunk
    # (len(chunks), dim) float32, L2-normalised; None: vectors come later (vector_todo)
    vectors: np.ndarray | None = None
    converted_from: str | None = None  # legacy font ("Preeti", ...) the text came from


@dataclass(frozen=True)
class Filters:
    """Restrictions on which chunks a search may return; None means any."""

    lang: str | None = None
    path_prefix: str | None = None
    file_type: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.lang, self.path_prefix, self.file_type))


class Store:
    """A library object over one ``sqlite_utils.Database``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn, self.read_only = health.connect(path, migrate)
        self.path = path
        self.db = sqlite_utils.Database(conn)
        self.conn = conn
        self._languages: dict[int, str] = {}  # see chunk_languages

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

    # -- documents --------------------------------------------------------------------
    def document(self, path: str) -> DocumentRow | None:
        row = self.conn.execute(
            "SELECT id, path, size, mtime, hash, status FROM documents WHERE path = ?", (path,)
        ).fetchone()
        return None if row is None else DocumentRow(*row)

    def document_paths(self, root: str | None = None) -> set[str]:
        if root is None:
            rows = self.conn.execute("SELECT path FROM documents")
        else:
            rows = self.conn.execute("SELECT path FROM documents WHERE root = ?", (root,))
        return {str(r[0]) for r in rows}

    def write_document(self, doc: NewDocument, model: str) -> None:
        """Replace whatever was stored for ``doc.path``; call inside ``transaction``."""
        self.delete_documents([doc.path])
        doc_id = self._insert_document(
            doc.path, doc.root, doc.size, doc.mtime, doc.type, "indexed", None, doc.hash
        )
        if doc.converted_from is not None:
            self.conn.execute(
                "UPDATE documents SET converted_from = ? WHERE id = ?", (doc.converted_from, doc_id)
            )
        chunk_ids: list[int] = []
        for chunk, terms in zip(doc.chunks, doc.terms, strict=True):
            cur = self.conn.execute(
                "INSERT INTO chunks (document_id, ordinal, text, lang, page, line, location,"
                " ocr_confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc_id,
                    chunk.ordinal,
                    chunk.text,
                    chunk.lang,
                    chunk.page,
                    chunk.line,
                    chunk.where,
                    chunk.ocr,
                ),
            )
            chunk_id = cur.lastrowid
            chunk_ids.append(int(chunk_id or 0))
            self.conn.execute(
                "INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)", (chunk_id, terms)
            )
            self._key_words(chunk.text)
        if doc.vectors is not None:
            self.write_vectors(zip(chunk_ids, doc.vectors, strict=True), model)

    def _key_words(self, text: str) -> None:
        """Keep the phonetic key of each new Devanagari word (romanized queries)."""
        rows = [(w, phonetic_key(w), stem(w)) for w in devanagari_words(text)]
        self.conn.executemany(
            "INSERT OR IGNORE INTO term_keys (term, key, stem) VALUES (?, ?, ?)", rows
        )

    def record_issue(
        self,
        path: str,
        root: str | None,
        size: int,
        mtime: float,
        file_type: str,
        status: str,
        reason: str,
    ) -> None:
        """Record a file that failed or was skipped, with its reason; no chunks."""
        self.delete_documents([path])
        self._insert_document(path, root, size, mtime, file_type, status, reason, None)

    def _insert_document(
        self,
        path: str,
        root: str | None,
        size: int,
        mtime: float,
        file_type: str,
        status: str,
        reason: str | None,
        digest: str | None,
    ) -> int:
        cur = self.conn.execute(
            "INSERT INTO documents (path, root, size, mtime, hash, type, status, reason,"
            " indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (path, root, size, mtime, digest, file_type, status, reason, now()),
        )
        return int(cur.lastrowid or 0)

    def touch_document(self, path: str, mtime: float) -> None:
        """A file whose content hash is unchanged: remember the new mtime only."""
        self.conn.execute("UPDATE documents SET mtime = ? WHERE path = ?", (mtime, path))

    def delete_documents(self, paths: Iterable[str]) -> int:
        removed = 0
        for path in paths:
            removed += self.conn.execute("DELETE FROM documents WHERE path = ?", (path,)).rowcount
        return removed

    def keep_documents_embedded_by(self, model: str) -> None:
        """Delete the documents none of whose chunks has a vector of ``model`` (before
        re-indexing with it: they are read and embedded again)."""
        self.conn.execute(
            "DELETE FROM documents WHERE id NOT IN (SELECT c.document_id FROM chunks c"
            " JOIN embeddings e ON e.chunk_id = c.id WHERE e.model = ?)",
            (model,),
        )

    def delete_under(self, prefix: str) -> int:
        """Delete every document at or below a folder path."""
        where, params = _filter_sql(Filters(path_prefix=prefix))
        return self.conn.execute(f"DELETE FROM documents AS d WHERE 1{where}", params).rowcount

    # -- roots ------------------------------------------------------------------------
    def add_root(self, path: str) -> None:
        self.conn.execute(
            "INSERT INTO roots (path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING",
            (path, now()),
        )

    def touch_root(self, path: str) -> None:
        self.conn.execute("UPDATE roots SET updated_at = ? WHERE path = ?", (now(), path))

    def remove_root(self, path: str) -> None:
        self.conn.execute("DELETE FROM roots WHERE path = ?", (path,))
        self.conn.execute("DELETE FROM meta WHERE key = ?", (_UNREAD + path,))

    def set_unread(self, root: str, counts: Mapping[str, int]) -> None:
        """Record how many files under ``root`` are of a type not read, by suffix."""
        self.set_meta(_UNREAD + root, json.dumps(dict(sorted(counts.items()))))

    def unread(self) -> dict[str, int]:
        """Suffix -> files of a type not read, summed over the roots still indexed."""
        rows = self.conn.execute(
            "SELECT m.value FROM meta m JOIN roots r ON m.key = ? || r.path", (_UNREAD,)
        )
        total: Counter[str] = Counter()
        for (value,) in rows:
            total.update(json.loads(value))
        return dict(total)

    def roots(self) -> list[RootInfo]:
        rows = self.conn.execute(
            "SELECT r.path, r.updated_at,"
            " (SELECT count(*) FROM documents d WHERE d.root = r.path AND d.status = 'indexed'),"
            " (SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id"
            "  WHERE d.root = r.path)"
            " FROM roots r ORDER BY r.path"
        )
        return [RootInfo(str(p), int(n), int(c), str(u or "")) for p, u, n, c in rows]

    # -- vectors (filled after the keyword entries, see xlsearch/fill.py) ---------------
    def write_vectors(
        self, pairs: Iterable[tuple[int, np.ndarray]], model: str, encoder: str = "torch-fp32"
    ) -> int:
        """Store (chunk id, vector) pairs made by ``encoder``, skipping chunks deleted
        meanwhile; call inside ``transaction``. Returns the vectors written; replacing
        a stored vector bumps ``vectors_replaced``."""
        rows = [(int(i), np.asarray(v, dtype=np.float32).tobytes()) for i, v in pairs]
        alive = set(self.chunk_texts([i for i, _ in rows]))
        if self.count_replacing(list(alive)):
            self.set_meta("vectors_replaced", str(self.vectors_replaced() + 1))
        self.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (chunk_id, model, vector, encoder)"
            " VALUES (?, ?, ?, ?)",
            [(i, model, blob, encoder) for i, blob in rows if i in alive],
        )
        return sum(1 for i, _ in rows if i in alive)

    def count_replacing(self, ids: Sequence[int]) -> int:
        """How many of ``ids`` already have a vector."""
        marks = ",".join("?" * len(ids))
        sql = f"SELECT count(*) FROM embeddings WHERE chunk_id IN ({marks})"
        return int(self.conn.execute(sql, list(ids)).fetchone()[0]) if ids else 0

    def vector_todo(self, encoder: str | None = None) -> list[tuple[int, int]]:
        """(chunk id, document id) of chunks still waiting for a vector, then (given an
        ``encoder``) of chunks whose vector another encoder made; each file's first
        chunks first, so one huge file does not hold back the rest of a folder."""
        stale = "" if encoder is None else " OR e.encoder != :encoder"
        rows = self.conn.execute(
            "SELECT c.id, c.document_id FROM chunks c"
            " LEFT JOIN embeddings e ON e.chunk_id = c.id"
            f" WHERE (e.chunk_id IS NULL{stale})"
            " AND NOT EXISTS (SELECT 1 FROM vector_skip s WHERE s.chunk_id = c.id)"
            " ORDER BY e.chunk_id IS NOT NULL, c.ordinal, c.id",
            {"encoder": encoder},
        )
        return [(int(i), int(d)) for i, d in rows]

    def encoders(self, model: str) -> dict[str, int]:
        """Encoder -> vectors of ``model`` it made."""
        rows = self.conn.execute(
            "SELECT encoder, count(*) FROM embeddings WHERE model = ? GROUP BY encoder", (model,)
        )
        return {str(e): int(n) for e, n in rows}

    def chunk_texts(self, ids: Sequence[int]) -> dict[int, str]:
        """Chunk id -> text, for the ids that still exist."""
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT id, text FROM chunks WHERE id IN ({marks})", part)
            found.update((int(i), str(t)) for i, t in rows)
        return found

    def skip_vectors(self, chunk_ids: Iterable[int], reason: str) -> None:
        """Leave chunks out of meaning search on purpose (degenerate text), with why."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO vector_skip (chunk_id, reason) VALUES (?, ?)",
            [(int(i), reason) for i in chunk_ids],
        )

    def chunk_ids(self, path: str) -> dict[int, int]:
        """Ordinal -> chunk id of one document's chunks."""
        rows = self.conn.execute(
            "SELECT c.ordinal, c.id FROM chunks c JOIN documents d ON d.id = c.document_id"
            " WHERE d.path = ?",
            (path,),
        )
        return {int(o): int(i) for o, i in rows}

    def twin(self, digest: str, path: str) -> int | None:
        """An indexed document other than ``path`` with this content hash, if any."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE hash = ? AND status = 'indexed' AND ocr_pages = 0"
            " AND path != ? LIMIT 1",
            (digest, path),
        ).fetchone()
        return None if row is None else int(row[0])

    def document_font(self, document_id: int) -> str | None:
        """The legacy font a document was converted from, None for Unicode text."""
        row = self.conn.execute(
            "SELECT converted_from FROM documents WHERE id = ?", (document_id,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def document_chunks(self, document_id: int) -> list[Chunk]:
        """A document's chunks as they were made, in order."""
        rows = self.conn.execute(
            "SELECT text, lang, ordinal, page, line, location, ocr_confidence FROM chunks"
            " WHERE document_id = ? ORDER BY ordinal",
            (document_id,),
        )
        return [Chunk(str(t), str(lang), int(o), *rest) for t, lang, o, *rest in rows]

    def count_vectors(self, model: str) -> int:
        row = self.conn.execute("SELECT count(*) FROM embeddings WHERE model = ?", (model,))
        return int(row.fetchone()[0])

    def note_document(self, path: str, reason: str) -> None:
        """Say why an indexed file is only partly in meaning search (degenerate text)."""
        self.conn.execute("UPDATE documents SET reason = ? WHERE path = ?", (reason, path))

    def noted_documents(self) -> list[tuple[str, str]]:
        """(path, reason) of indexed files only partly in meaning search."""
        rows = self.conn.execute(
            "SELECT path, reason FROM documents WHERE status = 'indexed' AND reason IS NOT NULL"
            " ORDER BY path"
        )
        return [(str(p), str(r)) for p, r in rows]

    # -- reading for search -----------------------------------------------------------
    def vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, float32 matrix) of every stored vector of ``model``."""
        ids: list[int] = []
        blobs: list[bytes] = []
        for chunk_id, blob in self.conn.execute(
            "SELECT chunk_id, vector FROM embeddings WHERE model = ? ORDER BY chunk_id", (model,)
        ):
            ids.append(int(chunk_id))
            blobs.append(blob)
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)
        return np.asarray(ids, dtype=np.int64), matrix

    def lexical(self, query: str, limit: int, filters: Filters) -> list[tuple[int, float]]:
        """(chunk id, BM25 score, higher is better) for an FTS5 MATCH expression."""
        where, params = _filter_sql(filters)
        sql = (
            "SELECT f.rowid, bm25(chunks_fts) AS score FROM chunks_fts f"
            + (
                " JOIN chunks c ON c.id = f.rowid JOIN documents d ON d.id = c.document_id"
                if filters.active
                else ""
            )
            + " WHERE chunks_fts MATCH ?"
            + where
            + " ORDER BY score, f.rowid LIMIT ?"
        )
        rows = self.conn.execute(sql, (query, *params, limit))
        return [(int(i), -float(s)) for i, s in rows]

    def query_facts(
        self, terms: Sequence[str], filters: Filters
    ) -> tuple[int, int, dict[str, int], set[int] | None]:
        """(vectors version, chunk count, term -> chunks holding it for the ``terms``
        the index has, the chunks ``filters`` allow or None when none is active): what
        ranking needs before it searches, in one round trip."""
        where, params = _filter_sql(filters)
        marks = ",".join("?" * len(terms))
        parts = [
            "SELECT 'v', value, 0 FROM meta WHERE key = 'vectors_version'",
            "SELECT 'n', '', count(*) FROM chunks",
        ]
        values: list[object] = []
        if terms:
            parts.append(f"SELECT 't', term, doc FROM chunks_vocab WHERE term IN ({marks})")
            values += terms
        if filters.active:
            parts.append(
                "SELECT 'a', '', c.id FROM chunks c JOIN documents d ON d.id = c.document_id"
                " WHERE 1" + where
            )
            values += params
        version, chunks, held = 0, 0, {}
        allowed: set[int] | None = set() if filters.active else None
        for kind, key, value in self.conn.execute(" UNION ALL ".join(parts), values):
            if kind == "v":
                version = int(key)
            elif kind == "n":
                chunks = int(value)
            elif kind == "t":
                held[str(key)] = int(value)
            elif allowed is not None:
                allowed.add(int(value))
        return version, chunks, held, allowed

    def chunk_facts(
        self, ids: Sequence[int], keyword_ids: Sequence[int], model: str, best: int | None
    ) -> tuple[dict[int, str], set[int], set[str]]:
        """(chunk id -> language for ``ids``, those of ``keyword_ids`` without a vector
        of ``model``, the lower-cased stored terms of chunk ``best``): what fusion needs
        to know of its candidates, in one round trip (none when every language is
        remembered and there is nothing else to ask; see ``chunk_languages``)."""
        missing = [i for i in dict.fromkeys(ids) if i not in self._languages]
        parts: list[str] = []
        values: list[object] = []
        if missing:
            parts.append(
                "SELECT 'l', id, lang FROM chunks WHERE id IN (SELECT value FROM json_each(?))"
            )
            values.append(json.dumps(missing))
        if keyword_ids:
            parts.append(
                "SELECT 'e', chunk_id, '' FROM embeddings WHERE model = ?"
                " AND chunk_id IN (SELECT value FROM json_each(?))"
            )
            values += [model, json.dumps(list(keyword_ids))]
        if best is not None:
            parts.append("SELECT 't', rowid, terms FROM chunks_fts WHERE rowid = ?")
            values.append(best)
        embedded: set[int] = set()
        terms: set[str] = set()
        if parts:
            for kind, chunk, value in self.conn.execute(" UNION ALL ".join(parts), values):
                if kind == "l":
                    self._languages[int(chunk)] = str(value)
                elif kind == "e":
                    embedded.add(int(chunk))
                else:
                    terms = set(str(value).lower().split())
        languages = {i: self._languages[i] for i in ids if i in self._languages}
        return languages, set(keyword_ids) - embedded, terms

    def allowed_chunks(self, filters: Filters) -> set[int]:
        where, params = _filter_sql(filters)
        sql = "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE 1" + where
        return {int(r[0]) for r in self.conn.execute(sql, params)}

    def chunk_languages(self, ids: Sequence[int]) -> dict[int, str]:
        """Chunk id -> language tag, for the ids that exist (or existed: answers are
        remembered, since a chunk id is never reused and a chunk's language never
        changes; balancing asks for a thousand ids per query)."""
        missing = [i for i in ids if i not in self._languages]
        for start in range(0, len(missing), 900):
            part = missing[start : start + 900]
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT id, lang FROM chunks WHERE id IN ({marks})", part)
            self._languages.update((int(i), str(lang)) for i, lang in rows)
        return {i: self._languages[i] for i in ids if i in self._languages}

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT c.id, c.document_id, c.ordinal, c.text, c.lang, c.page, c.line, d.path,"
            " d.type, d.converted_from, c.location, c.ocr_confidence"
            " FROM chunks c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.id IN ({marks})",
            list(ids),
        )
        return {int(r[0]): ChunkRow(*r) for r in rows}

    def neighbours(self, chunk: ChunkRow, before: int, after: int) -> list[ChunkRow]:
        """The chunk with up to ``before``/``after`` chunks around it in its document."""
        rows = self.conn.execute(
            "SELECT c.id, c.document_id, c.ordinal, c.text, c.lang, c.page, c.line, d.path,"
            " d.type, d.converted_from, c.location, c.ocr_confidence"
            " FROM chunks c JOIN documents d ON d.id = c.document_id"
            " WHERE c.document_id = ? AND c.ordinal BETWEEN ? AND ? ORDER BY c.ordinal",
            (chunk.document_id, chunk.ordinal - before, chunk.ordinal + after),
        )
        return [ChunkRow(*r) for r in rows]

    # -- vocabulary (romanized queries) -----------------------------------------------
    def words_by_key(
        self, keys: Sequence[str], starting: str | None = None
    ) -> list[tuple[str, str, int]]:
        """(word, its keyword stem, chunks holding the stem) for the indexed Devanagari
        words whose phonetic key is one of ``keys`` or starts with ``starting``."""
        marks = ",".join("?" * len(keys))
        where = [f"k.key IN ({marks})"] if keys else []
        params: list[str] = list(keys)
        if starting:
            # Keys are ASCII letters, all below "~".
            where.append("(k.key >= ? AND k.key < ?)")
            params += [starting, starting + "~"]
        if not where:
            return []
        rows = self.conn.execute(
            "SELECT k.term, k.stem, v.doc FROM term_keys k JOIN chunks_vocab v ON v.term = k.stem"
            f" WHERE {' OR '.join(where)}",
            params,
        )
        return [(str(t), str(s), int(n)) for t, s, n in rows]

    def term_documents(self, terms: Sequence[str]) -> dict[str, int]:
        """Term -> number of chunks holding it, for the keyword ``terms`` the index has."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self.conn.execute(
            f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", list(terms)
        )
        return {str(t): int(n) for t, n in rows}

    # -- counts -----------------------------------------------------------------------
    def count(self, sql: str) -> int:
        return int(self.conn.execute(sql).fetchone()[0])

    def count_documents(self) -> int:
        """Documents indexed (not those recorded as failed, skipped or waiting)."""
        return self.count("SELECT count(*) FROM documents WHERE status = 'indexed'")

    def count_chunks(self) -> int:
        return self.count("SELECT count(*) FROM chunks")

    def has_chunks(self) -> bool:
        return self.conn.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    def languages(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT lang, count(*) FROM chunks GROUP BY lang ORDER BY 2 DESC")
        return {str(lang): int(n) for lang, n in rows}

    def converted(self) -> dict[str, str]:
        """Path -> legacy font, for every indexed document converted from one."""
        rows = self.conn.execute(
            "SELECT path, converted_from FROM documents"
            " WHERE status = 'indexed' AND converted_from IS NOT NULL ORDER BY path"
        )
        return {str(p): str(f) for p, f in rows}

    def issues(self) -> list[FileIssue]:
        rows = self.conn.execute(
            "SELECT path, status, reason FROM documents WHERE status != 'indexed' ORDER BY path"
        )
        return [FileIssue(str(p), str(s), str(r or "")) for p, s, r in rows]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filter_sql(filters: Filters) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if filters.lang is not None:
        clauses.append("c.lang = ?")
        params.append(filters.lang)
    if filters.file_type is not None:
        clauses.append("d.type = ?")
        params.append(filters.file_type)
    if filters.path_prefix is not None:
        prefix = filters.path_prefix.rstrip("/")
        clauses.append("(d.path = ? OR d.path LIKE ? ESCAPE '\\')")
        params.extend([prefix, _escape_like(prefix) + "/%"])
    return "".join(f" AND {c}" for c in clauses), params

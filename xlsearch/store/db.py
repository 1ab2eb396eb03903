"""The Store: every read and write of the SQLite database goes through here.

One transaction per batch of files: a file's document row, chunks, keyword terms and
vectors land together or not at all, so an interrupted run never leaves a
half-indexed file. ``vectors_version`` is bumped in the same transaction; the HNSW
cache compares it with its manifest to know it is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sqlite_utils

from xlsearch.store import health
from xlsearch.store.migrations import migrate
from xlsearch.types import Chunk, FileIssue, RootInfo


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
    vectors: np.ndarray  # (len(chunks), dim) float32, L2-normalised


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
        for chunk, terms, vector in zip(doc.chunks, doc.terms, doc.vectors, strict=True):
            cur = self.conn.execute(
                "INSERT INTO chunks (document_id, ordinal, text, lang, page, line)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (doc_id, chunk.ordinal, chunk.text, chunk.lang, chunk.page, chunk.line),
            )
            chunk_id = cur.lastrowid
            self.conn.execute(
                "INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)", (chunk_id, terms)
            )
            self.conn.execute(
                "INSERT INTO embeddings (chunk_id, model, vector) VALUES (?, ?, ?)",
                (chunk_id, model, np.asarray(vector, dtype=np.float32).tobytes()),
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

    def roots(self) -> list[RootInfo]:
        rows = self.conn.execute(
            "SELECT r.path, r.updated_at,"
            " (SELECT count(*) FROM documents d WHERE d.root = r.path AND d.status = 'indexed'),"
            " (SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id"
            "  WHERE d.root = r.path)"
            " FROM roots r ORDER BY r.path"
        )
        return [RootInfo(str(p), int(n), int(c), str(u or "")) for p, u, n, c in rows]

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

    def models_used(self) -> set[str]:
        return {str(r[0]) for r in self.conn.execute("SELECT DISTINCT model FROM embeddings")}

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

    def allowed_chunks(self, filters: Filters) -> set[int]:
        where, params = _filter_sql(filters)
        sql = "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE 1" + where
        return {int(r[0]) for r in self.conn.execute(sql, params)}

    def chunk_languages(self, ids: Sequence[int]) -> dict[int, str]:
        """Chunk id -> language tag, for the ids that exist."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(f"SELECT id, lang FROM chunks WHERE id IN ({marks})", list(ids))
        return {int(r[0]): str(r[1]) for r in rows}

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRow]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT c.id, c.document_id, c.ordinal, c.text, c.lang, c.page, c.line, d.path,"
            " d.type FROM chunks c JOIN documents d ON d.id = c.document_id"
            f" WHERE c.id IN ({marks})",
            list(ids),
        )
        return {int(r[0]): ChunkRow(*r) for r in rows}

    def neighbours(self, chunk: ChunkRow, before: int, after: int) -> list[ChunkRow]:
        """The chunk with up to ``before``/``after`` chunks around it in its document."""
        rows = self.conn.execute(
            "SELECT c.id, c.document_id, c.ordinal, c.text, c.lang, c.page, c.line, d.path,"
            " d.type FROM chunks c JOIN documents d ON d.id = c.document_id"
            " WHERE c.document_id = ? AND c.ordinal BETWEEN ? AND ? ORDER BY c.ordinal",
            (chunk.document_id, chunk.ordinal - before, chunk.ordinal + after),
        )
        return [ChunkRow(*r) for r in rows]

    # -- counts -----------------------------------------------------------------------
    def count(self, sql: str) -> int:
        return int(self.conn.execute(sql).fetchone()[0])

    def languages(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT lang, count(*) FROM chunks GROUP BY lang ORDER BY 2 DESC")
        return {str(lang): int(n) for lang, n in rows}

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

"""The Store: every read and write of the SQLite database goes through here.

One transaction per batch of files: a file's document row, chunks, keyword terms and
vectors land together or not at all, so an interrupted run never leaves a
half-indexed file. ``vectors_version`` is bumped in the same transaction; the HNSW
cache compares it with its manifest to know it is stale.
"""

from __future__ import annotations

from xlsearch.store.documents import Documents
from xlsearch.store.embeddings import Embeddings
from xlsearch.store.reads import SearchReads
from xlsearch.store.rows import ChunkRow, DocumentRow, Filters, NewDocument, now
from xlsearch.store.vocabulary import VocabularyReads
from xlsearch.types import FileIssue

__all__ = ["ChunkRow", "DocumentRow", "Filters", "NewDocument", "Store", "now"]


class Store(Documents, Embeddings, SearchReads, VocabularyReads):
    """A library object over one SQLite database, by concern: documents and roots
    (``store.documents``), vectors (``store.embeddings``), search reads
    (``store.reads``), vocabulary (``store.vocabulary``); the connection, transactions
    and meta values (``store.base``); and the counts status reports, here."""

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

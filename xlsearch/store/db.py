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
    def count_documents(self) -> int:
        """Documents indexed (not those recorded as failed, skipped or waiting)."""
        return self.db.table("documents").count_where("status = 'indexed'")

    def count_chunks(self) -> int:
        return self.db.table("chunks").count

    def has_chunks(self) -> bool:
        return next(self.db.table("chunks").rows_where(select="id", limit=1), None) is not None

    def languages(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT lang, count(*) FROM chunks GROUP BY lang ORDER BY 2 DESC")
        return {str(lang): int(n) for lang, n in rows}

    def converted(self) -> dict[str, str]:
        """Path -> legacy font, for every indexed document converted from one."""
        rows = self.db.table("documents").rows_where(
            "status = 'indexed' AND converted_from IS NOT NULL",
            select="path, converted_from",
            order_by="path",
        )
        return {str(row["path"]): str(row["converted_from"]) for row in rows}

    def issues(self) -> list[FileIssue]:
        rows = self.db.table("documents").rows_where(
            "status != 'indexed'", select="path, status, reason", order_by="path"
        )
        return [FileIssue(str(r["path"]), str(r["status"]), str(r["reason"] or "")) for r in rows]

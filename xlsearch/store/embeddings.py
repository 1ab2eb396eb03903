"""Meaning vectors in the store: the to-do list the fill works through, which encoder
made each vector, the chunks left out on purpose, and a file's indexed copy by content."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from xlsearch.store.base import StoreBase
from xlsearch.types import Chunk

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np


class Embeddings(StoreBase):
    """Reads and writes of chunk vectors and what they need."""

    # -- vectors (filled after the keyword entries, see xlsearch/embed/fill.py) ---------------
    def write_vectors(
        self, pairs: Iterable[tuple[int, np.ndarray]], model: str, encoder: str = "torch-fp32"
    ) -> int:
        """Store (chunk id, vector) pairs made by ``encoder``, skipping chunks deleted
        meanwhile; call inside ``transaction``. Returns the vectors written; replacing
        a stored vector bumps ``vectors_replaced``."""
        import numpy as np

        rows = [(int(i), np.asarray(v, dtype=np.float32).tobytes()) for i, v in pairs]
        alive = set(self.chunk_texts([i for i, _ in rows]))
        if self.count_replacing(list(alive)):
            self.set_meta("vectors_replaced", str(self.vectors_replaced() + 1))
        # Raw, as count_replacing: every vector passes here (per file and per fill slice),
        # and each sqlite-utils write costs ~0.1 ms more CPU, a fifth of what the store
        # spends on a small file (benchmarks/store_writes.py).
        written = [(i, model, blob, encoder) for i, blob in rows if i in alive]
        self.conn.executemany(
            "INSERT OR REPLACE INTO embeddings (chunk_id, model, vector, encoder)"
            " VALUES (?, ?, ?, ?)",
            written,
        )
        return len(written)

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
        # Raw, as the other reads of many ids by IN (...): on the write and search paths,
        # where rows as tuples are cheaper than sqlite-utils' dicts.
        found: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = self.conn.execute(f"SELECT id, text FROM chunks WHERE id IN ({marks})", part)
            found.update((int(i), str(t)) for i, t in rows)
        return found

    def skip_vectors(self, chunk_ids: Iterable[int], reason: str) -> None:
        """Leave chunks out of meaning search on purpose (degenerate text), with why."""
        rows = [{"chunk_id": int(i), "reason": reason} for i in chunk_ids]
        self.db.table("vector_skip").insert_all(rows, replace=True)

    def chunk_ids(self, path: str) -> dict[int, int]:
        """Ordinal -> chunk id of one document's chunks."""
        rows = self.conn.execute(
            "SELECT c.ordinal, c.id FROM chunks c JOIN documents d ON d.id = c.document_id"
            " WHERE d.path = ?",
            (path,),
        )
        return {int(o): int(i) for o, i in rows}

    def same_content(self, digest: str, path: str) -> int | None:
        """An indexed document other than ``path`` with this content hash, if any."""
        rows = self.db.table("documents").rows_where(
            "hash = ? AND status = 'indexed' AND ocr_pages = 0 AND path != ?",
            [digest, path],
            select="id",
            limit=1,
        )
        return next((int(row["id"]) for row in rows), None)

    def document_font(self, document_id: int) -> str | None:
        """The legacy font a document was converted from, None for Unicode text."""
        rows = self.db.table("documents").rows_where(
            "id = ?", [document_id], select="converted_from"
        )
        font = next(rows, {}).get("converted_from")
        return None if font is None else str(font)

    def document_chunks(self, document_id: int) -> list[Chunk]:
        """A document's chunks as they were made, in order."""
        rows = self.db.table("chunks").rows_where(
            "document_id = ?",
            [document_id],
            select="text, lang, ordinal, page, line, location AS [where], ocr_confidence AS ocr",
            order_by="ordinal",
        )
        return [Chunk(**row) for row in rows]

    def document_terms(self, document_id: int) -> list[str]:
        """A document's keyword terms, one space-joined string per chunk, in order."""
        rows = self.conn.execute(
            "SELECT f.terms FROM chunks c JOIN chunks_fts f ON f.rowid = c.id"
            " WHERE c.document_id = ? ORDER BY c.ordinal",
            (document_id,),
        )
        return [str(t) for (t,) in rows]

    def copy_vectors(self, source: int, path: str, model: str) -> int:
        """Give the chunks of the document at ``path`` the ``model`` vectors (and their
        encoders) of the same chunks of document ``source``, which has the same content;
        call inside ``transaction``. Returns the vectors copied."""
        return self.conn.execute(
            "INSERT OR IGNORE INTO embeddings (chunk_id, model, vector, encoder)"
            " SELECT t.id, e.model, e.vector, e.encoder FROM chunks s"
            " JOIN embeddings e ON e.chunk_id = s.id"
            " JOIN documents d ON d.path = ?"
            " JOIN chunks t ON t.document_id = d.id AND t.ordinal = s.ordinal"
            " WHERE s.document_id = ? AND e.model = ?",
            (path, source, model),
        ).rowcount

    def count_vectors(self, model: str) -> int:
        return self.db.table("embeddings").count_where("model = ?", [model])

    def note_document(self, path: str, reason: str) -> None:
        """Say why an indexed file is only partly in meaning search (degenerate text)."""
        # Raw, as every UPDATE here: sqlite-utils updates by primary key, not by path.
        self.conn.execute("UPDATE documents SET reason = ? WHERE path = ?", (reason, path))

    def noted_documents(self) -> list[tuple[str, str]]:
        """(path, reason) of indexed files only partly in meaning search."""
        rows = self.db.table("documents").rows_where(
            "status = 'indexed' AND reason IS NOT NULL", select="path, reason", order_by="path"
        )
        return [(str(row["path"]), str(row["reason"])) for row in rows]

"""What a search reads: vectors for the HNSW graph, BM25 matches, the facts the ranking
policy needs in one round trip, chunks with their documents, and neighbours.

Hand-written SQL throughout: these are FTS5 queries, joins, unions answered in one
round trip, or reads of every vector, on the path a query waits for (sqlite-utils
reads one table, as dicts)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from xlsearch.store.base import StoreBase
from xlsearch.store.rows import ChunkRow, Filters, _filter_sql

if TYPE_CHECKING:  # imported where used: indexing that changes no vector needs no numpy
    import numpy as np


class SearchReads(StoreBase):
    """Reads for answering queries."""

    # -- reading for search -----------------------------------------------------------
    def vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(chunk ids, float32 matrix) of every stored vector of ``model``."""
        import numpy as np

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

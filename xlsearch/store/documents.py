"""Documents and the folders they were found under: writing a file's rows, recording a
file that failed or was skipped, forgetting, and what each folder holds."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping

from xlsearch.search.phonetic import devanagari_words, phonetic_key
from xlsearch.store.embeddings import Embeddings
from xlsearch.store.rows import DocumentRow, Filters, NewDocument, _filter_sql, now
from xlsearch.text import stem
from xlsearch.types import RootInfo

_UNREAD = "unread:"  # meta key prefix: per root, the files of a type not read, by suffix


class Documents(Embeddings):
    """Reads and writes of documents and roots (a document brings its vectors when it has them)."""

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
            if doc.new_words:
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

"""Documents and the folders they were found under: writing a file's rows, recording a
file that failed or was skipped, forgetting, and what each folder holds."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping

from xlsearch.search.phonetic import devanagari_words, fold, phonetic_key
from xlsearch.store.embeddings import Embeddings
from xlsearch.store.rows import DocumentRow, Filters, NewDocument, _filter_sql, now
from xlsearch.text import stem
from xlsearch.types import RootInfo

_UNREAD = "unread:"  # meta key prefix: per root, the files of a type not read, by suffix
_DOCUMENT_COLUMNS = "id, path, size, mtime, hash, status"  # a DocumentRow's fields


class Documents(Embeddings):
    """Reads and writes of documents and roots (a document brings its vectors when it has them)."""

    # -- documents --------------------------------------------------------------------
    # Raw, the lookups by path, content and root and the writes of roots: every indexing
    # run makes them, even one that changes nothing (see store/base.py's docstring).
    def document(self, path: str) -> DocumentRow | None:
        row = self.conn.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE path = ?", (path,)
        ).fetchone()
        return None if row is None else DocumentRow(*row)

    def document_paths(self, root: str | None = None) -> set[str]:
        if root is None:
            rows = self.conn.execute("SELECT path FROM documents")
        else:
            rows = self.conn.execute("SELECT path FROM documents WHERE root = ?", (root,))
        return {str(path) for (path,) in rows}

    def write_document(self, doc: NewDocument, model: str) -> None:
        """Replace whatever was stored for ``doc.path``; call inside ``transaction``."""
        doc_id = self._replace_document(
            {
                "path": doc.path,
                "root": doc.root,
                "size": doc.size,
                "mtime": doc.mtime,
                "hash": doc.hash,
                "type": doc.type,
                "status": "indexed",
                "converted_from": doc.converted_from,
            }
        )
        # Raw, one INSERT per chunk: each chunk's id is needed for its keyword entry and
        # vector, and insert_all returns no ids for several rows (reading them back made
        # writing files ~30% slower, benchmarks/store_writes.py).
        chunk_ids: list[int] = []
        for chunk in doc.chunks:
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
            chunk_ids.append(int(cur.lastrowid or 0))
        # The keyword entry's rowid is its chunk's id (the delete trigger relies on it).
        self.conn.executemany(
            "INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)",
            zip(chunk_ids, doc.terms, strict=True),
        )
        if doc.new_words:  # a copy of an indexed file brings none
            self._key_words(" ".join(chunk.text for chunk in doc.chunks))
        if doc.vectors is not None:
            self.write_vectors(zip(chunk_ids, doc.vectors, strict=True), model)

    def _key_words(self, text: str) -> None:
        """Keep the phonetic key of each new Devanagari word (romanized queries)."""
        rows = [
            (w, phonetic_key(w), stem(w), fold(w)) for w in dict.fromkeys(devanagari_words(text))
        ]
        # Raw: term_keys is WITHOUT ROWID, and sqlite-utils' insert_all(ignore=True) of a
        # single row that is already there looks that row up by rowid (and fails).
        self.conn.executemany(
            "INSERT OR IGNORE INTO term_keys (term, key, stem, fold) VALUES (?, ?, ?, ?)", rows
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
        self._replace_document(
            {
                "path": path,
                "root": root,
                "size": size,
                "mtime": mtime,
                "type": file_type,
                "status": status,
                "reason": reason,
            }
        )

    def _replace_document(self, row: dict[str, object]) -> int:
        """Delete what was stored for ``row["path"]`` and write ``row`` (column -> value
        of a documents row, but for its id and time); the new id."""
        self.delete_documents([str(row["path"])])
        # Raw, one row per file on the write path: sqlite-utils' insert of it made the
        # store's writing ~20% slower (CPU time, benchmarks/store_writes.py).
        row = {**row, "indexed_at": now()}
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        cur = self.conn.execute(f"INSERT INTO documents ({names}) VALUES ({marks})", row)
        return int(cur.lastrowid or 0)

    def touch_document(self, path: str, mtime: float) -> None:
        """A file whose content hash is unchanged: remember the new mtime only."""
        # Raw, as every UPDATE here: sqlite-utils' update is by primary key (not by path)
        # and raises for a row that is not there.
        self.conn.execute("UPDATE documents SET mtime = ? WHERE path = ?", (mtime, path))

    def indexed_with_content(self, digest: str) -> list[str]:
        """Paths of the indexed documents with this content hash (a new file with it may
        be one of them, moved); documents with pages waiting for OCR are left out."""
        rows = self.conn.execute(
            "SELECT path FROM documents WHERE hash = ? AND status = 'indexed' AND ocr_pages = 0",
            (digest,),
        )
        return [str(path) for (path,) in rows]

    def move_document(self, old: str, path: str, root: str | None, size: int, mtime: float) -> None:
        """A file moved (or renamed) from ``old`` to ``path``: its document keeps its id,
        and so its chunks, keywords and vectors."""
        self.conn.execute(
            "UPDATE documents SET path = ?, root = ?, size = ?, mtime = ? WHERE path = ?",
            (path, root, size, mtime, old),
        )

    def delete_documents(self, paths: Iterable[str]) -> int:
        # Raw: the count of rows deleted is wanted, and delete_where does not return it.
        removed = 0
        for path in paths:
            removed += self.conn.execute("DELETE FROM documents WHERE path = ?", (path,)).rowcount
        return removed

    def keep_documents_embedded_by(self, model: str) -> None:
        """Delete the documents none of whose chunks has a vector of ``model`` (before
        re-indexing with it: they are read and embedded again)."""
        # Raw, as every query here that joins tables (sqlite-utils reads one table).
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
            "INSERT OR IGNORE INTO roots (path, added_at) VALUES (?, ?)", (path, now())
        )

    def touch_root(self, path: str) -> None:
        self.conn.execute("UPDATE roots SET updated_at = ? WHERE path = ?", (now(), path))

    def root_paths(self) -> list[str]:
        return [str(path) for (path,) in self.conn.execute("SELECT path FROM roots")]

    def indexed_under_root(self, root: str) -> int:
        """How many indexed documents were found under the folder ``root``."""
        query = "SELECT count(*) FROM documents WHERE root = ? AND status = 'indexed'"
        return int(self.conn.execute(query, (root,)).fetchone()[0])

    def remove_root(self, path: str) -> None:
        self.conn.execute("DELETE FROM roots WHERE path = ?", (path,))
        self.delete_meta(_UNREAD + path)

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

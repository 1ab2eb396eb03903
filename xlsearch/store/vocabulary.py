"""The index's own vocabulary, for reading romanized Nepali: Devanagari words by their
phonetic key, and how many documents hold each term.

Hand-written SQL: both read ``chunks_vocab``, an FTS5 vocabulary table."""

from __future__ import annotations

from collections.abc import Sequence

from xlsearch.store.base import StoreBase


class VocabularyReads(StoreBase):
    """Reads of the words the index holds."""

    # -- vocabulary (romanized queries) -----------------------------------------------
    def words_by_key(
        self, keys: Sequence[str], starting: str | None = None
    ) -> list[tuple[str, str, int, str | None]]:
        """(word, its keyword stem, chunks holding the stem, its fold) for the indexed
        Devanagari words whose phonetic key is one of ``keys`` or starts with
        ``starting``."""
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
            "SELECT k.term, k.stem, v.doc, k.fold FROM term_keys k"
            f" JOIN chunks_vocab v ON v.term = k.stem WHERE {' OR '.join(where)}",
            params,
        )
        return [(str(t), str(s), int(n), None if f is None else str(f)) for t, s, n, f in rows]

    def term_documents(self, terms: Sequence[str]) -> dict[str, int]:
        """Term -> number of chunks holding it, for the keyword ``terms`` the index has."""
        if not terms:
            return {}
        marks = ",".join("?" * len(terms))
        rows = self.conn.execute(
            f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", list(terms)
        )
        return {str(t): int(n) for t, n in rows}

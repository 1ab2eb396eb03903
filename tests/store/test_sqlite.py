"""The SQLite store: migrations, Nepali-correct FTS5, cascades and filters."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from xlsearch.search.lexical import any_of, query_terms
from xlsearch.store.db import Filters, NewDocument, Store
from xlsearch.store.migrations import FTS_TOKENIZER, MIGRATIONS
from xlsearch.text import terms
from xlsearch.types import Chunk


def _doc(path: str, texts: list[str], lang: str = "ne", kind: str = "txt") -> NewDocument:
    chunks = [Chunk(t, lang, i, line=i + 1) for i, t in enumerate(texts)]
    vectors = np.eye(len(texts), 4, dtype=np.float32)
    return NewDocument(
        path, "/root", 10, 1.0, "h", kind, chunks, [" ".join(terms(t)) for t in texts], vectors
    )


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "index.db")


def test_default_unicode61_cuts_nepali_words_and_ours_does_not() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE stock USING fts5(x)")
    conn.execute(f'CREATE VIRTUAL TABLE ours USING fts5(x, tokenize="{FTS_TOKENIZER}")')
    for table in ("stock", "ours"):
        conn.execute(f"INSERT INTO {table} VALUES ('नेपालको किताब')")
    query = "SELECT count(*) FROM {} WHERE {} MATCH ?"
    assert conn.execute(query.format("stock", "stock"), ('"कुतुब"',)).fetchone()[0] == 1
    assert conn.execute(query.format("ours", "ours"), ('"कुतुब"',)).fetchone()[0] == 0
    assert conn.execute(query.format("ours", "ours"), ('"किताब"',)).fetchone()[0] == 1


def test_lexical_matches_suffixed_nepali_forms(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.transaction():
        store.write_document(_doc("/root/a.txt", ["नेपालका किताबहरू पुस्तकालयमा छन्।"]), "m")
        store.write_document(_doc("/root/b.txt", ["कुतुब मिनार दिल्लीमा छ।"]), "m")
    for query in ("किताब", "नेपालको किताब", "पुस्तकालय"):
        expression = any_of(query_terms(query))
        assert expression is not None
        found = store.lexical(expression, 10, Filters())
        assert len(found) == 1, query
        assert store.chunks([found[0][0]])[found[0][0]].path == "/root/a.txt"


def test_query_terms_drop_function_words_unless_nothing_is_left() -> None:
    assert query_terms("how do I get a citizenship certificate") == terms("citizenship certificate")
    assert query_terms("नागरिकता लिन के के चाहिन्छ") == terms("नागरिकता लिन")
    assert query_terms("the") == terms("the")


def test_match_expression_quotes_operators() -> None:
    # Typed operators are searched as words, never parsed by FTS5.
    assert any_of(query_terms('NEAR "x* ^y')) == '"near" OR "x" OR "y"'
    assert any_of(query_terms("   ...  ")) is None


def test_deleting_a_document_removes_chunks_terms_and_vectors(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.transaction():
        store.write_document(_doc("/root/a.txt", ["पहिलो खण्ड", "दोस्रो खण्ड"]), "m")
    assert store.db.table("chunks_fts").count == 2
    with store.transaction():
        store.delete_documents(["/root/a.txt"])
    for table in ("chunks", "chunks_fts", "embeddings", "documents"):
        assert store.db.table(table).count == 0, table


def test_chunk_ids_are_never_reused(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.transaction():
        store.write_document(_doc("/root/a.txt", ["one", "two"], "en"), "m")
    first = set(store.vectors("m")[0].tolist())
    with store.transaction():
        store.write_document(_doc("/root/a.txt", ["one", "two"], "en"), "m")
    assert first.isdisjoint(set(store.vectors("m")[0].tolist()))


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path)
    try:
        with store.transaction():
            store.write_document(_doc("/root/a.txt", ["one"], "en"), "m")
            raise RuntimeError("killed")
    except RuntimeError:
        pass
    assert store.db.table("documents").count == 0


def test_filters_by_language_type_and_folder(tmp_path: Path) -> None:
    store = _store(tmp_path)
    with store.transaction():
        store.write_document(_doc("/root/ne/a.txt", ["नेपाल"], "ne"), "m")
        store.write_document(_doc("/root/en/b.md", ["nepal"], "en", "md"), "m")
        store.write_document(_doc("/root/en_x/c.md", ["nepal"], "en", "md"), "m")

    def paths(f: Filters) -> set[str]:
        return {store.chunks([i])[i].path for i in store.allowed_chunks(f)}

    assert paths(Filters(lang="ne")) == {"/root/ne/a.txt"}
    assert paths(Filters(file_type="md")) == {"/root/en/b.md", "/root/en_x/c.md"}
    assert paths(Filters(path_prefix="/root/en")) == {"/root/en/b.md"}
    assert paths(Filters(path_prefix="/root/en/")) == {"/root/en/b.md"}


def test_migrations_run_once(tmp_path: Path) -> None:
    _store(tmp_path).close()
    store = _store(tmp_path)
    assert store.get_meta("schema_version") == str(len(MIGRATIONS))


def test_chunk_places_and_ocr_confidence_round_trip(tmp_path: Path) -> None:
    store = _store(tmp_path)
    chunks = [
        Chunk("जिल्ला: धादिङ, बिरामी: 12", "ne", 0, where="sheet Patients, row 2"),
        Chunk("Notice of vaccination camp", "en", 1, page=3, ocr=87.4),
    ]
    doc = NewDocument(
        "/root/a.xlsx",
        "/root",
        10,
        1.0,
        "h",
        "xlsx",
        chunks,
        [" ".join(terms(c.text)) for c in chunks],
    )
    with store.transaction():
        store.write_document(doc, "m")
    assert store.document_chunks(1) == chunks
    rows = store.chunks([1, 2])
    assert (rows[1].where, rows[1].ocr) == ("sheet Patients, row 2", None)
    assert (rows[2].page, rows[2].where, rows[2].ocr) == (3, None, 87.4)

"""The schema the migrations make never changes under an index already made.

``tests/data/schema_e8bfc55.sql`` is the ``sqlite_master`` text a fresh index got from
the code at commit e8bfc55, before the store moved onto sqlite-utils (made by running
``migrate`` there on an empty database and writing out each object's SQL, minus
SQLite's own tables and the FTS5 shadow tables SQLite derives from ``chunks_fts``).
The first seven steps must make exactly that text today, and an index made from it
must open, take the later steps and work.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from xlsearch.extract.ocr import PageText
from xlsearch.search.lexical import any_of, query_terms
from xlsearch.search.phonetic import fold, phonetic_key
from xlsearch.store import ocr_cache
from xlsearch.store.db import Filters, NewDocument, Store
from xlsearch.store.migrations import MIGRATIONS, migrate
from xlsearch.text import stem, terms
from xlsearch.types import Chunk

SNAPSHOT = Path(__file__).resolve().parents[1] / "data" / "schema_e8bfc55.sql"
STEPS = 7  # the migrations the snapshot holds


def _schema(conn: sqlite3.Connection) -> str:
    """Every table, index and trigger the migrations wrote, as the snapshot has them."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite_%'"
        " AND NOT (type = 'table' AND name LIKE 'chunks_fts_%') ORDER BY type, name"
    )
    return "".join(f"-- {kind} {name}\n{sql};\n\n" for kind, name, sql in rows)


def _snapshot() -> str:
    return SNAPSHOT.read_text(encoding="utf-8")


def test_the_first_seven_steps_make_the_schema_they_always_made() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    migrate(conn, MIGRATIONS[:STEPS])
    assert _schema(conn) == _snapshot()


def test_a_fresh_index_is_migrated_to_the_last_step(tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db")
    assert store.get_meta("schema_version") == str(len(MIGRATIONS))
    if len(MIGRATIONS) == STEPS:
        assert _schema(store.conn) == _snapshot()


def _old_index(path: Path) -> None:
    """An index as the code at e8bfc55 left it: its schema from the snapshot and one
    file written with that code's own statements."""
    conn = sqlite3.connect(path, isolation_level=None)
    blocks = [b for b in _snapshot().split("\n\n") if b.strip()]
    order = {"table": 0, "index": 1, "trigger": 2}
    for block in sorted(blocks, key=lambda b: order[b.split()[1]]):
        conn.execute(block.split("\n", 1)[1])
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(STEPS),))
    conn.execute(
        "INSERT INTO documents (path, root, size, mtime, hash, type, status, reason,"
        " indexed_at) VALUES ('/root/old.txt', '/root', 10, 1.0, 'h1', 'txt', 'indexed',"
        " NULL, '2026-12-07T00:00:00+00:00')"
    )
    conn.execute(
        "INSERT INTO chunks (document_id, ordinal, text, lang, page, line, location,"
        " ocr_confidence) VALUES (1, 0, 'नेपालका किताबहरू', 'ne', NULL, 1, NULL, NULL)"
    )
    conn.execute(
        "INSERT INTO chunks_fts (rowid, terms) VALUES (1, ?)",
        (" ".join(terms("नेपालका किताबहरू")),),
    )
    conn.execute(
        "INSERT INTO term_keys (term, key, stem) VALUES ('किताबहरू', ?, ?)",
        (phonetic_key("किताबहरू"), stem("किताबहरू")),
    )
    vector = np.eye(1, 4, dtype=np.float32)[0].tobytes()
    conn.execute(
        "INSERT INTO embeddings (chunk_id, model, vector, encoder) VALUES (1, 'm', ?,"
        " 'torch-fp32')",
        (vector,),
    )
    conn.close()


def test_an_index_made_before_the_move_opens_and_works(tmp_path: Path) -> None:
    _old_index(tmp_path / "index.db")
    store = Store(tmp_path / "index.db")  # migrated from the snapshot's step to the last
    assert store.get_meta("schema_version") == str(len(MIGRATIONS))
    keyed = store.conn.execute("SELECT fold FROM term_keys WHERE term = 'किताबहरू'").fetchone()
    assert keyed == (fold("किताबहरू"),)  # m008 folded the words already keyed
    old = store.document("/root/old.txt")
    assert old is not None and (old.id, old.hash, old.status) == (1, "h1", "indexed")
    chunks = [Chunk("पुस्तकालयमा किताब छन्", "ne", 0, line=1)]
    new = NewDocument(
        "/root/new.txt", "/root", 5, 2.0, "h2", "txt", chunks, [" ".join(terms(chunks[0].text))]
    )
    with store.transaction():
        store.write_document(new, "m")
        store.write_vectors([(2, np.eye(1, 4, 1, dtype=np.float32)[0])], "m")
    expression = any_of(query_terms("किताब"))
    assert expression is not None
    assert {i for i, _ in store.lexical(expression, 10, Filters())} == {1, 2}
    assert store.vectors("m")[0].tolist() == [1, 2]
    assert (store.count_documents(), store.count_chunks()) == (2, 2)
    with store.transaction():
        store.delete_documents(["/root/old.txt"])
    assert store.vectors("m")[0].tolist() == [2]
    assert store.db.table("chunks_fts").count == 1
    assert _schema(store.conn) == _schema(Store(tmp_path / "fresh.db").conn)


def test_reading_and_writing_never_change_the_schema(tmp_path: Path) -> None:
    # A schema change (sqlite-utils' upsert probes with a table of its own) would commit
    # on its own and make every other connection to the index re-read the schema.
    store = Store(tmp_path / "index.db")
    before = store.conn.execute("PRAGMA schema_version").fetchone()[0]
    chunks = [Chunk("पानी पर्‍यो", "ne", 0), Chunk("rain fell", "en", 1, page=2, ocr=80.0)]
    doc = NewDocument(
        "/root/a.pdf",
        "/root",
        5,
        1.0,
        "h",
        "pdf",
        chunks,
        [" ".join(terms(c.text)) for c in chunks],
    )
    with store.transaction():
        store.set_meta("model", "m")
        store.add_root("/root")
        store.write_document(doc, "m")
        store.write_vectors([(1, np.eye(1, 4, dtype=np.float32)[0])], "m")
        store.skip_vectors([2], "degenerate")
        store.record_issue("/root/b.txt", "/root", 1, 1.0, "txt", "failed", "unreadable")
        ocr_cache.put_page(store, "h", 2, "nep+eng", PageText("rain fell", 80.0, 1.5))
    assert store.get_meta("model") == "m"
    assert ocr_cache.cached_pages(store, "h", "nep+eng")[2].text == "rain fell"
    assert [i.path for i in store.issues()] == ["/root/b.txt"]
    assert store.document_chunks(1) == chunks
    with store.transaction():
        store.remove_root("/root")
        store.delete_under("/root")
    assert store.count_documents() == 0
    assert store.conn.execute("PRAGMA schema_version").fetchone()[0] == before

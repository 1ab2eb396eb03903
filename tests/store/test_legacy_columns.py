"""The store side of legacy fonts and digits: m002 carries an old index over, the font is
recorded, and Devanagari and ASCII digits match each other in keyword search."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from xlsearch.search.lexical import any_of, query_terms
from xlsearch.store.db import Filters, NewDocument, Store
from xlsearch.store.migrations import MIGRATIONS, m001_create_tables
from xlsearch.text import terms
from xlsearch.types import Chunk


def _doc(path: str, text: str, converted_from: str | None = None) -> NewDocument:
    return NewDocument(
        path,
        "/root",
        10,
        1.0,
        "h",
        "txt",
        [Chunk(text, "ne", 0, line=1)],
        [" ".join(terms(text))],
        np.eye(1, 4, dtype=np.float32),
        converted_from,
    )


def _found(store: Store, query: str) -> set[str]:
    expression = any_of(query_terms(query))
    assert expression is not None
    hits = store.lexical(expression, 10, Filters())
    rows = store.chunks([chunk_id for chunk_id, _ in hits])
    return {row.path for row in rows.values()}


def test_converted_font_is_recorded_and_read_back(tmp_path: Path) -> None:
    store = Store(tmp_path / "index.db")
    with store.transaction():
        store.write_document(_doc("/root/a.txt", "नेपालको राजधानी", "Preeti"), "m")
        store.write_document(_doc("/root/b.txt", "पोखरा ताल"), "m")
    assert store.converted() == {"/root/a.txt": "Preeti"}
    rows = store.chunks(sorted(store.allowed_chunks(Filters())))
    assert {row.path: row.converted_from for row in rows.values()} == {
        "/root/a.txt": "Preeti",
        "/root/b.txt": None,
    }


def test_an_index_built_before_m002_carries_over(tmp_path: Path) -> None:
    path = tmp_path / "index.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.executescript(m001_create_tables())
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute(
        "INSERT INTO documents (path, root, status, indexed_at)"
        " VALUES ('/root/old.txt', '/root', 'indexed', 'then')"
    )
    conn.execute(
        "INSERT INTO chunks (document_id, ordinal, text, lang) VALUES (1, 0, 'पुरानो पाठ', 'ne')"
    )
    conn.execute(
        "INSERT INTO chunks_fts (rowid, terms) VALUES (1, ?)", (" ".join(terms("पुरानो पाठ")),)
    )
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.get_meta("schema_version") == str(len(MIGRATIONS))
    assert _found(store, "पुरानो") == {"/root/old.txt"}
    assert store.converted() == {}
    assert store.chunks([1])[1].converted_from is None


@pytest.mark.parametrize(
    ("stored", "query"),
    [("बजेट २०८१ सालको", "2081"), ("budget for 2081", "२०८१"), ("दफा १२ को उपदफा", "12")],
)
def test_devanagari_and_ascii_digits_match_both_ways(
    tmp_path: Path, stored: str, query: str
) -> None:
    store = Store(tmp_path / "index.db")
    with store.transaction():
        store.write_document(_doc("/root/hit.txt", stored), "m")
        store.write_document(_doc("/root/miss.txt", "अर्को कागज 1999 ११९९"), "m")
    assert _found(store, query) == {"/root/hit.txt"}

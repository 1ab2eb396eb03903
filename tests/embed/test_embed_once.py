"""Each text embedded once: renames, copies, repeats, old indexes, evaluation scratch homes.

These test indexing mechanics, so they count encoder calls through a wrapper around the
fake embedder (tests/support/fakes.py) rather than loading a model.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import numpy as np
import pytest

from benchmarks.corpora.hash_embedder import HashEmbedder
from tests.support.fakes import CountingEmbedder, use_counting_embedder
from xlsearch.embed.fill import SLICE
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions
from xlsearch.store.embed_cache import text_key
from xlsearch.store.migrations import MIGRATIONS, m001_create_tables
from xlsearch.types import IndexProgress, Section, TextRecord

TEXTS = {
    "kheti.txt": "पहाडमा खेती गर्न पानी चाहिन्छ। मुहान सुक्दै गएका छन्।",
    "dengue.md": "Dengue spreads where water stands. Empty the pots near the house.",
    "school.txt": "विद्यालयमा बालबालिका पढ्छन्। किताबहरू पुस्तकालयमा छन्।",
}


def _folder(root: Path) -> Path:
    root.mkdir(parents=True)
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _vectors_by_text(engine: Engine) -> dict[str, bytes]:
    rows = engine.store.conn.execute(
        "SELECT c.text, e.vector FROM embeddings e JOIN chunks c ON c.id = e.chunk_id"
    )
    return {str(t): bytes(v) for t, v in rows}


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> CountingEmbedder:
    return use_counting_embedder(monkeypatch, E5_MODEL_ID)


def test_a_renamed_folder_re_embeds_nothing(tmp_path: Path, counter: CountingEmbedder) -> None:
    engine = Engine()
    first = engine.index([_folder(tmp_path / "notes")])
    assert counter.documents == first.chunks == 3
    before = _vectors_by_text(engine)
    (tmp_path / "notes").rename(tmp_path / "renamed")
    engine.forget(tmp_path / "notes")
    again = engine.index([tmp_path / "renamed"])
    assert (again.added, again.embedded, again.reused) == (3, 0, 3)
    assert counter.documents == 3
    assert _vectors_by_text(engine) == before
    hits = engine.search("dengue water", SearchOptions(mode="dense", k=1))
    assert hits[0].path == str(tmp_path / "renamed" / "dengue.md")


def test_ten_copies_cost_one(
    tmp_path: Path, counter: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsearch.extract.guard import Reader

    read: list[Path] = []
    real_extract = Reader.extract

    def counted(reader: Reader, path: Path, limit: int, detect: bool = True) -> list[Section]:
        read.append(path)
        return real_extract(reader, path, limit, detect)

    monkeypatch.setattr(Reader, "extract", counted)
    root = tmp_path / "copies"
    root.mkdir()
    for n in range(10):
        (root / f"copy{n}.md").write_text(TEXTS["dengue.md"], encoding="utf-8")
    engine = Engine()
    report = engine.index([root])
    assert (report.added, report.chunks) == (10, 10)
    assert counter.documents == 1
    assert report.reused == 9
    assert len(read) == 1  # the copies are the first one's indexed copies
    hits = engine.search("pots near the house", SearchOptions(mode="lexical", k=10))
    assert len({h.path for h in hits}) == 10


def test_repeated_paragraphs_in_one_file_are_embedded_once(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    root = tmp_path / "one"
    root.mkdir()
    footer = "This page is part of the clinic handbook. Keep it safe and share it."
    pages = [f"Page {n} talks about topic number {n} in plain words. {footer}" for n in range(3)]
    (root / "book.txt").write_text("\n\n".join([footer, *pages, footer, footer]))
    engine = Engine()
    engine.settings.chunk_tokens = 20  # one paragraph per chunk with the fake counter
    report = engine.index([root])
    texts = [r[0] for r in engine.store.conn.execute("SELECT text FROM chunks")]
    assert report.chunks == len(texts) > len(set(texts))
    assert counter.documents == len(set(texts))


def _old_index(home: Path, folder: Path) -> None:
    """An index as the schema before the cache wrote it: chunks with their vectors."""
    conn = sqlite3.connect(home / "index.db")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.executescript(m001_create_tables())
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1'), ('model', ?)", (E5_MODEL_ID,))
    fake = HashEmbedder(E5_MODEL_ID)
    for n, name in enumerate(sorted(TEXTS), start=1):
        path = folder / name
        stat = path.stat()
        conn.execute(
            "INSERT INTO documents (id, path, root, size, mtime, hash, type, status,"
            " indexed_at) VALUES (?, ?, ?, ?, ?, 'h', 'txt', 'indexed', 'then')",
            (n, str(path), str(folder), stat.st_size, stat.st_mtime),
        )
        conn.execute(
            "INSERT INTO chunks (id, document_id, ordinal, text, lang) VALUES (?, ?, 0, ?, 'ne')",
            (n, n, TEXTS[name]),
        )
        vector = fake.encode_documents([TEXTS[name]])[0]
        conn.execute("INSERT INTO embeddings VALUES (?, ?, ?)", (n, E5_MODEL_ID, vector.tobytes()))
    conn.commit()
    conn.close()


def test_an_old_index_carries_over_without_re_embedding(
    tmp_path: Path, xlsearch_home: Path, counter: CountingEmbedder
) -> None:
    folder = _folder(tmp_path / "docs")
    _old_index(xlsearch_home, folder)
    engine = Engine()
    assert engine.store.get_meta("schema_version") == str(len(MIGRATIONS))
    assert engine.status().embedded == 3  # the old vectors are there, unkeyed so far
    assert engine.index([folder]).unchanged == 3
    keyed = engine.store.db.table("vector_cache").count
    assert keyed == 3
    expected = text_key("passage: ", TEXTS["dengue.md"])
    assert engine.store.conn.execute(
        "SELECT 1 FROM vector_cache WHERE key = ?", (expected,)
    ).fetchone()
    folder.rename(tmp_path / "moved")
    engine.forget(folder)
    moved = engine.index([tmp_path / "moved"])
    assert (moved.added, moved.embedded) == (3, 0)
    assert counter.documents == 0


def test_an_interrupted_vector_fill_resumes_where_it_stopped(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for n in range(SLICE + 30):
        (root / f"note{n:03}.txt").write_text(f"Note number {n} says word{n} and more{n}.")
    stop = threading.Event()

    def after_first_slice(p: IndexProgress) -> None:
        if p.phase == "embedding":
            stop.set()

    engine = Engine()
    first = engine.index([root], progress=after_first_slice, cancel=stop)
    assert first.added == SLICE + 30  # every file's text and keywords are in
    assert first.vectors_pending == 30
    assert engine.status().embedded == SLICE
    hits = engine.search(
        "word70", SearchOptions(mode="lexical")
    )  # keyword search finds the unembedded
    assert [h.path for h in hits] == [str(root / "note070.txt")]
    assert engine.search("word70", SearchOptions(mode="hybrid"))[0].path == str(
        root / "note070.txt"
    )
    second = Engine().index([root])
    assert (second.unchanged, second.embedded, second.vectors_pending) == (SLICE + 30, 30, 0)
    assert counter.documents == SLICE + 30
    assert Engine().status().embedded == SLICE + 30


def test_a_degenerate_file_is_recorded_and_costs_a_sample(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    root = tmp_path / "odd"
    root.mkdir()
    (root / "word.txt").write_text("buffalo " * 20000)
    (root / "blob.txt").write_text("data:" + "QUJDRGVmZ2hpamtsbW5vcA" * 3000)
    (root / "fine.txt").write_text(TEXTS["dengue.md"])
    engine = Engine()
    report = engine.index([root])
    status = engine.status()
    reasons = {Path(i.path).name: i.reason for i in status.left_out}
    assert set(reasons) == {"word.txt", "blob.txt"}
    assert reasons["word.txt"].startswith("one word repeated")
    assert reasons["blob.txt"].startswith("encoded data (base64)")
    assert report.added == 3 and status.chunks > 100
    assert status.embedded <= 2 * 4 + 1
    assert counter.documents <= 2 * 4 + 1
    assert engine.search("buffalo", SearchOptions(mode="lexical"))[0].path == str(root / "word.txt")
    assert (
        status.coverage == f"meaning search covers {status.embedded} of {status.chunks:,} passages"
    )


def test_queries_are_embedded_once_for_every_mode_and_filter(counter: CountingEmbedder) -> None:
    engine = Engine()
    engine.add_texts([TextRecord(k, v) for k, v in TEXTS.items()])
    questions = ["where does dengue spread", "पहाडमा पानी"]
    engine.embed_queries(questions * 3)
    assert counter.queries == 2
    for question in questions:
        for mode in ("dense", "hybrid"):
            for lang in (None, "en", "ne"):
                engine.search(question, SearchOptions(mode=mode, lang=lang))
    assert counter.queries == 2
    engine.search("a new question")
    assert counter.queries == 3


def test_scratch_homes_share_one_cache_across_runs(
    tmp_path: Path, counter: CountingEmbedder
) -> None:
    shared = tmp_path / "cache" / "vectors.db"
    records = [TextRecord(k, v) for k, v in TEXTS.items()]
    vectors = []
    for run in range(2):
        home = tmp_path / f"scratch{run}"
        engine = Engine(home=home, vector_cache=shared)
        engine.add_texts(records)
        engine.embed_queries(["dengue"])
        vectors.append(_vectors_by_text(engine))
        engine.close()
        shutil.rmtree(home)
    assert (counter.documents, counter.queries) == (3, 1)
    assert vectors[0] == vectors[1]
    assert np.frombuffer(next(iter(vectors[0].values())), dtype=np.float32).shape == (64,)

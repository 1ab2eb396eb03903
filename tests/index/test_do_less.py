"""Search and re-index paths do only their work: what they leave undone, not their time.

A cold ``xlsearch search`` imports nothing a search does not use and reads the model's
lexicon only for romanized words the index cannot read; indexing a copied folder of
indexed files reads, stems, embeds and decides nothing, and catches the HNSW graph up
instead of rebuilding it (a renamed folder: tests/index/test_moves.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks.corpora.hash_embedder import fake_encoder
from tests.support.cold_search import cli_search_modules
from tests.support.fakes import CountingEmbedder, use_counting_embedder, use_hash_embedder
from xlsearch.embed.nano import E5_MODEL_ID
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

REPO = Path(__file__).resolve().parents[2]
DENGUE = "Dengue spreads where water stands. Empty the pots near the house every week."
NOT_FOR_SEARCH = (
    "sqlite_utils",  # the Store's sqlite-utils handle is made on first use
    "rich",  # the progress bar of indexing
    "filelock",  # the writer lock and the encoder build lock
    "importlib.metadata",  # runtime versions, for the encoder build record
    "xlsearch.embed.encoder_choice",
    "xlsearch.embed.encoder_gate",
    "xlsearch.store.embed_cache",  # the vector cache, when there is one
    "xlsearch.extract",
    "xlsearch.index.indexer",
    "snowballstemmer",  # its 30-odd stemmers: the two used are loaded alone (text._stemmer)
    "openvino",
    "torch",
    "sentence_transformers",
    "textual",
)


def test_a_cold_search_imports_none_of_what_indexing_and_building_need(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = cli_search_modules(tmp_path, monkeypatch, DENGUE, "dengue pots near the house")
    assert {m for m in NOT_FOR_SEARCH if m in loaded} == set()
    assert {"hnswlib", "xlsearch.search.snippet"} <= loaded  # what it does use


def test_an_english_query_that_sounds_like_indexed_nepali_words_folds_nothing_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsearch.search.romanize import candidates

    mixed = f"{DENGUE} डेङ्गु रोग पानी जमेको ठाउँमा फैलिन्छ।"
    loaded = cli_search_modules(tmp_path, monkeypatch, mixed, "dengue pots house")
    # The words' folds were made when they were written: no transliteration tables.
    assert {m for m in loaded if m.startswith(("indic_transliteration", "tqdm"))} == set()
    found = candidates("dengue", Engine().store)  # what the query looked up
    assert [c.word for c in found][:1] == ["डेङ्गु"]


def test_the_store_makes_its_sqlite_utils_handle_on_first_use(tmp_path: Path) -> None:
    from xlsearch.store.db import Store

    store = Store(tmp_path / "index.db")
    assert "db" not in vars(store)
    assert store.db.conn is store.conn
    # Making the handle leaves the connection as SQLite made it (store.migrations.database).
    assert store.conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0


def test_the_model_lexicon_is_read_only_for_romanized_words_the_index_cannot_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from xlsearch.search.lexicon import model_lexicon

    use_hash_embedder(monkeypatch)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dengue.txt").write_text(DENGUE, encoding="utf-8")
    engine = Engine()
    engine.index([tmp_path / "docs"])
    model_lexicon.cache_clear()
    engine.search("where do mosquitoes breed near the house")
    engine.search("डेङ्गु पानी")
    assert model_lexicon.cache_info().misses == 0  # English and Devanagari: never read
    found = engine.find("pani jamchha muhan")
    assert model_lexicon.cache_info().misses == 1  # romanized Nepali over English files
    assert found.query is not None and found.query.searched_as


def test_snippets_stem_only_words_that_can_match_and_mark_the_same_words() -> None:
    # Snowball stems (and the postpositions peeled before them) keep a word's first
    # letter, which lets a snippet skip stemming the words no query term starts like.
    from xlsearch import text
    from xlsearch.search.snippet import make_snippet

    # Every word of the built-in benchmark's 420 passages, Nepali and English.
    lines = (REPO / "assets" / "benchmark" / "corpus.jsonl").read_text("utf-8").splitlines()
    corpus = " ".join(json.loads(line)["text"] for line in lines if line.strip())
    vocabulary = set(text.words(corpus))
    assert len(vocabulary) > 5000
    assert all(text.stem(w)[:1] == w[:1] for w in vocabulary)
    terms = set(text.terms("mosquito breeding water पानी"))
    text.stem.cache_clear()
    snippet, spans = make_snippet(DENGUE + " पानीमा लामखुट्टे।", terms)
    marked = {snippet[a:b] for a, b in spans}
    assert marked == {"water", "पानीमा"}
    assert text.stem.cache_info().currsize < len(set(text.words(snippet)))


def test_the_two_stemmers_loaded_alone_stem_as_snowballstemmer_does() -> None:
    import snowballstemmer

    from xlsearch import text

    lines = (REPO / "assets" / "benchmark" / "corpus.jsonl").read_text("utf-8").splitlines()
    vocabulary = set(text.words(" ".join(json.loads(line)["text"] for line in lines if line)))
    for language in ("english", "nepali"):
        ours, theirs = text._stemmer(language), snowballstemmer.stemmer(language)
        assert type(ours) is not type(theirs)  # loaded apart from the package
        assert [ours.stemWord(w) for w in vocabulary] == [theirs.stemWord(w) for w in vocabulary]


@pytest.fixture
def counter(monkeypatch: pytest.MonkeyPatch) -> CountingEmbedder:
    return use_counting_embedder(monkeypatch, E5_MODEL_ID)


def _copies(folder: Path, count: int = 10) -> Path:
    folder.mkdir()
    text = "\n\n".join(f"{DENGUE} Paragraph {n} of the leaflet, पानी {n}." for n in range(12))
    for n in range(count):
        (folder / f"copy-{n}.txt").write_text(text, encoding="utf-8")
    return folder


def test_indexing_a_copied_folder_of_copies_reads_embeds_and_decides_nothing(
    tmp_path: Path, counter: CountingEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsearch.embed.loaded as loaded_module
    import xlsearch.index.batch as batch_module
    import xlsearch.index.scans as scans_module
    import xlsearch.text as text_module
    from xlsearch.extract.guard import Reader
    from xlsearch.store.ann import VectorIndex

    folder = _copies(tmp_path / "leaflets")
    first = Engine().index([folder])
    assert counter.documents == first.chunks // 10  # the copies cost one
    copied = Path(shutil.copytree(folder, tmp_path / "leaflets-copied"))

    calls: list[str] = []

    def counted(name: str, real: object) -> object:
        def call(*args: object, **kwargs: object) -> object:
            calls.append(name)
            return real(*args, **kwargs)  # type: ignore[operator]

        return call

    monkeypatch.setattr(loaded_module, "document_encoder", counted("encoder", fake_encoder))
    monkeypatch.setattr(scans_module, "plan", counted("ocr plan", scans_module.plan))
    monkeypatch.setattr(batch_module, "terms", counted("terms", text_module.terms))
    monkeypatch.setattr(Reader, "extract", counted("read", Reader.extract))
    monkeypatch.setattr(VectorIndex, "_build", counted("graph rebuilt", VectorIndex._build))
    engine = Engine()  # a fresh process's engine
    again = engine.index([copied])

    assert (again.added, again.embedded, again.reused) == (10, 0, first.chunks)
    assert counter.documents == first.chunks // 10  # nothing embedded
    assert calls == []  # nothing read, stemmed, decided, planned or rebuilt
    assert engine.models.document is None and engine.models.query is None  # no model
    # The copies have their sources' vectors and encoders, and the graph holds them.
    rows = engine.store.conn.execute(
        "SELECT d.root, c.ordinal, e.vector, e.encoder FROM embeddings e"
        " JOIN chunks c ON c.id = e.chunk_id JOIN documents d ON d.id = c.document_id"
    ).fetchall()
    by_root: dict[str, set[tuple[int, bytes, str]]] = {}
    for root, ordinal, vector, encoder in rows:
        by_root.setdefault(str(root), set()).add((int(ordinal), bytes(vector), str(encoder)))
    assert by_root[str(folder)] == by_root[str(copied)]
    engine._vectors.sync(engine.store)
    ids = engine.store.vectors(E5_MODEL_ID)[0]
    assert len(engine._vectors) == len(ids) == 2 * first.chunks
    hits = engine.search("Paragraph 7 of the leaflet", SearchOptions(mode="dense", k=20))
    assert any(h.path.startswith(str(copied)) for h in hits)
    keyword = engine.search("leaflet", SearchOptions(mode="lexical", k=40))
    assert {h.path for h in keyword} >= {str(copied / f"copy-{n}.txt") for n in range(10)}


def test_an_index_with_ocr_text_asks_for_the_ocr_plan_and_one_without_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xlsearch.index.scans as scans_module
    from xlsearch.config import Settings
    from xlsearch.extract.ocr import PageText
    from xlsearch.index.scans import OcrPlan
    from xlsearch.store import ocr_cache

    use_hash_embedder(monkeypatch)
    asked: list[bool] = []
    real_plan = scans_module.plan

    def plan(settings: Settings) -> OcrPlan:
        asked.append(True)
        return real_plan(settings)

    monkeypatch.setattr(scans_module, "plan", plan)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dengue.txt").write_text(DENGUE, encoding="utf-8")
    engine = Engine()
    engine.index([tmp_path / "docs"])
    assert asked == []  # no file needs OCR and no text was read by OCR
    with engine.store.transaction():  # a page read by OCR in an earlier run
        ocr_cache.put_page(engine.store, "digest", 1, "settings", PageText("पानी", 90.0))
    Engine().index([tmp_path / "docs"])
    assert asked == [True]  # its settings may have changed: they are checked

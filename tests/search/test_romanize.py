"""Romanized Nepali: the phonetic key, the term keys in the store, and query reading."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from xlsearch.search.phonetic import fold, phonetic_key, without_nasals
from xlsearch.search.query import analyse
from xlsearch.search.romanize import candidates
from xlsearch.store.db import NewDocument, Store
from xlsearch.store.migrations import MIGRATIONS, migrate
from xlsearch.text import stem, terms, words
from xlsearch.types import Chunk


@pytest.mark.parametrize(
    ("devanagari", "typed"),
    [
        ("पानी", ["pani", "paani", "PAANEE"]),
        ("राम्रो", ["ramro", "raamro"]),
        ("छ", ["chha", "cha", "6", "xa"]),
        ("बच्चा", ["bacha", "bachha", "baccha"]),
        ("नागरिकता", ["nagarikta", "nagarikata"]),
        ("भएको", ["bhaeko", "bhayeko"]),
        ("सँग", ["saga"]),
        ("हुँदा", ["huda", "hudaa"]),
        ("जीवनजल", ["jeevanjal", "jiwanjal"]),
        ("स्वास्थ्य", ["swasthya", "swaasthya"]),
        ("ज्ञान", ["gyan", "gyaan"]),
    ],
)
def test_devanagari_and_its_casual_spellings_share_a_key(devanagari: str, typed: list[str]) -> None:
    for spelling in typed:
        assert phonetic_key(spelling) == phonetic_key(devanagari), spelling


def test_keys_hand_computed() -> None:
    # पानी: HK pAnI -> fold pAnI -> no length, no non-initial a -> pni
    assert phonetic_key("पानी") == "pni"
    assert phonetic_key("छ") == "c"
    # राम्रो: HK rAmro; m before a consonant folds to n: rnro
    assert phonetic_key("राम्रो") == "rnro"
    assert without_nasals(phonetic_key("sanga")) == phonetic_key("सँग") == "sg"
    assert fold("पानी") == "pAnI" and fold("paani") == "pAni" and fold("pani") == "pani"


def test_different_words_keep_different_keys() -> None:
    assert phonetic_key("पानी") != phonetic_key("पुन")
    assert phonetic_key("ramro") != phonetic_key("naramro")
    assert phonetic_key("dudh") != phonetic_key("dahi")


def _doc(path: str, texts: list[str], lang: str) -> NewDocument:
    chunks = [Chunk(t, lang, i) for i, t in enumerate(texts)]
    vectors = np.eye(len(texts), 4, dtype=np.float32)
    return NewDocument(
        path, "/r", 1, 1.0, "h", "txt", chunks, [" ".join(terms(t)) for t in texts], vectors
    )


NEPALI = [
    "पहाडका धेरै पानीको मुहान सुक्दैछन्।",
    "गाउँमा खानेपानीको मुहान जोगाउन वृक्षरोपण गरिन्छ।",
    "नागरिकता बनाउन जन्मदर्ता र बसाइँसराइ प्रमाणपत्र चाहिन्छ।",
    "डेंगुको उपचार: धेरै झोल पदार्थ खानुहोस्।",
]
ENGLISH = ["Springs in the hills are drying up because of less rain.", "How to apply for a loan."]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "index.db")
    with store.transaction():
        store.write_document(_doc("/r/ne.txt", NEPALI, "ne"), "m")
        store.write_document(_doc("/r/en.txt", ENGLISH, "en"), "m")
    return store


def test_write_path_keys_written_devanagari_words_only(store: Store) -> None:
    keyed = {t: (k, s) for t, k, s in store.conn.execute("SELECT term, key, stem FROM term_keys")}
    assert keyed["पानीको"] == (phonetic_key("पानीको"), "पानी")
    assert keyed["मुहान"] == (phonetic_key("मुहान"), "मुहान")
    assert not any(t.isascii() for t in keyed)
    # Each word keeps its fold, made when it was written (reading needs no transliteration).
    assert store.words_by_key([phonetic_key("muhan")]) == [("मुहान", "मुहान", 2, fold("मुहान"))]


def test_document_frequency_follows_deletes(store: Store) -> None:
    with store.transaction():
        store.write_document(_doc("/r/more.txt", ["मुहान"], "ne"), "m")
    assert store.words_by_key([phonetic_key("muhan")]) == [("मुहान", "मुहान", 3, fold("मुहान"))]
    with store.transaction():
        store.delete_documents(["/r/ne.txt", "/r/more.txt"])
    assert store.words_by_key([phonetic_key("muhan")]) == []


def test_candidates_of_joined_postpositions(store: Store) -> None:
    assert candidates("paniko", store)[0].word == "पानीको"
    assert candidates("muhaan", store)[0].word == "मुहान"
    # The typed word runs past the indexed one by a known ending (ma): cheap.
    joined = candidates("muhaanma", store)[0]
    assert (joined.word, joined.stem) == ("मुहान", "मुहान")
    assert joined.cost < candidates("muhaanoi", store)[0].cost


def test_romanized_nepali_is_read_in_devanagari(store: Store) -> None:
    query = analyse("paani ko muhan kina sukdai cha", store)
    assert query is not None
    assert query.searched_as is not None
    assert "मुहान" in query.searched_as and "पानी" in query.searched_as
    assert [r.source for r in query.readings] == ["romanized"]
    assert "मुहान" in query.expansions
    assert "Devanagari" in query.scripts
    assert query.expression is not None and '"मुहान"' in query.expression


def test_english_stays_english(store: Store) -> None:
    for text in (
        "why are the springs drying up",
        "How do I apply for a loan?",
        "springs drying",
        "What is the capital of Nepal",
    ):
        query = analyse(text, store)
        assert query is not None
        assert query.readings == () and query.expansions == (), text
        assert query.searched_as is None


def test_mixed_or_ambiguous_queries_search_both_readings(store: Store) -> None:
    # As many English keywords of the index (springs, drying) as Nepali words: both.
    query = analyse("springs drying ko upachar", store)
    assert query is not None
    assert [r.source for r in query.readings] == ["typed", "romanized"]
    assert query.searched_as is not None and "उपचार" in query.searched_as
    assert "springs" in query.searched_as
    # Mostly Nepali with one English keyword: read as Nepali only.
    nepali = analyse("hills ko pani kina sukdai", store)
    assert nepali is not None and [r.source for r in nepali.readings] == ["romanized"]
    # More English stopwords than romanized function words: English.
    english = analyse("what is the ko of the springs", store)
    assert english is not None and english.readings == ()
    mixed = analyse("नागरिकता banauna ke chahinchha", store)
    assert mixed is not None and mixed.searched_as is not None
    assert mixed.searched_as.startswith("नागरिकता ")


def test_reading_off_and_typed_vector(store: Store) -> None:
    plain = analyse("paani ko muhan", None)
    assert plain is not None and plain.readings == () and plain.dense_texts == ["paani ko muhan"]
    both = analyse("paani ko muhan", store, typed_vector=True)
    assert both is not None and both.dense_texts[0] == "paani ko muhan"
    assert len(both.dense_texts) == 2


def test_migration_backfills_an_existing_index(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.executescript(f"BEGIN; {MIGRATIONS[0]()} COMMIT;")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO documents (path, status, indexed_at) VALUES ('/a', 'indexed', '')")
    for rowid, text in enumerate(NEPALI + ENGLISH, start=1):
        conn.execute(
            "INSERT INTO chunks (id, document_id, ordinal, text, lang) VALUES (?, 1, ?, ?, 'ne')",
            (rowid, rowid, text),
        )
        conn.execute(
            "INSERT INTO chunks_fts (rowid, terms) VALUES (?, ?)", (rowid, " ".join(terms(text)))
        )
    conn.close()
    store = Store(path)
    assert store.get_meta("schema_version") == str(len(MIGRATIONS))
    keyed = {t: (k, s) for t, k, s in store.conn.execute("SELECT term, key, stem FROM term_keys")}
    expected = {w for text in NEPALI for w in words(text)}
    assert set(keyed) == expected
    assert all(keyed[w] == (phonetic_key(w), stem(w)) for w in expected)


def test_migrate_twice_is_harmless(tmp_path: Path) -> None:
    conn = sqlite3.connect(str(tmp_path / "x.db"), isolation_level=None)
    migrate(conn)
    migrate(conn)
    assert conn.execute("SELECT count(*) FROM term_keys").fetchone()[0] == 0


def test_a_function_word_that_is_also_an_indexed_word_is_read_both_ways(store: Store) -> None:
    # "pani" is पनि (also) as a function word and पानी (water) in this index: the
    # spelling cannot tell them apart, so both readings are searched.
    with store.transaction():
        store.write_document(_doc("/r/water.txt", ["सफा पानी पिउनुहोस्।"], "ne"), "m")
    query = analyse("pani ko muhan", store)
    assert query is not None
    texts = [r.text for r in query.readings]
    assert any("पनि" in t.split() for t in texts) and any("पानी" in t.split() for t in texts)
    assert "पानी" in query.expansions
    # Before a postposition the noun leads (पानी को: of water); elsewhere the particle.
    assert query.searched_as is not None and query.searched_as.startswith("पानी को ")
    also = analyse("muhan pani sukdai cha", store)
    assert also is not None and also.searched_as is not None
    assert also.searched_as.split()[1] == "पनि" and len(also.readings) == 2
    # A function word with no indexed look-alike keeps one reading.
    only = analyse("muhan kina sukdai cha", store)
    assert only is not None and len(only.readings) == 1

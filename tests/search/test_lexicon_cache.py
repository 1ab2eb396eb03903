"""The model lexicon is read from the model file once per machine: a later process
restores it from ``models/lexicon.json`` (the same lookups and spellings) instead of
reading 250,000 pieces and folding five thousand words again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import xlsearch.embed.e5_convert as e5_convert
from xlsearch import paths
from xlsearch.search.lexicon import model_lexicon
from xlsearch.search.phonetic import phonetic_key

WORDS = ["muhan", "sarkar", "bhukampa", "garna", "aphno", "upachar"]


@pytest.fixture
def fresh_lexicon() -> Iterator[None]:
    model_lexicon.cache_clear()
    yield
    model_lexicon.cache_clear()


def _answers() -> list[object]:
    lexicon = model_lexicon()
    assert lexicon is not None
    return [(lexicon.spell(w), lexicon.words_by_key([phonetic_key(w)])) for w in WORDS]


@pytest.mark.model
def test_a_second_process_restores_the_lexicon_without_reading_the_model(
    xlsearch_home: Path, fresh_lexicon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = paths.models_dir(xlsearch_home) / "lexicon.json"
    cache.unlink(missing_ok=True)
    first = _answers()  # read from the model file, and kept
    assert cache.is_file()

    def no_model(*_: object) -> None:
        raise AssertionError("the model file was read again")

    monkeypatch.setattr(e5_convert, "read_e5", no_model)
    model_lexicon.cache_clear()  # as a new process
    assert _answers() == first


@pytest.mark.model
def test_a_cache_of_another_model_file_is_made_anew(
    xlsearch_home: Path, fresh_lexicon: None
) -> None:
    cache = paths.models_dir(xlsearch_home) / "lexicon.json"
    cache.parent.mkdir(parents=True, exist_ok=True)
    stale = {"source": ["/elsewhere/e5.bin", 1, 1, 1], "entries": [], "pieces": {}}
    cache.write_text(json.dumps(stale), encoding="utf-8")
    lexicon = model_lexicon()
    assert lexicon is not None and len(lexicon) > 1000  # read from the model, not the cache
    assert json.loads(cache.read_text(encoding="utf-8"))["source"] != stale["source"]

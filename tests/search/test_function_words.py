"""The romanized function words' Devanagari, read from ``data/function_words.tsv`` so that
a cold search folds no stopword, is what deriving it from the stopwords gives."""

from __future__ import annotations

from pathlib import Path

from xlsearch.search.function_words import (
    FUNCTION_WORDS_FILE,
    ROMANIZED_FUNCTION_WORDS,
    derive_function_word,
    function_word,
    write_function_words,
)


def test_the_shipped_table_is_what_the_stopwords_derive(tmp_path: Path) -> None:
    write_function_words(tmp_path / "function_words.tsv")
    written = (tmp_path / "function_words.tsv").read_text(encoding="utf-8")
    assert written == FUNCTION_WORDS_FILE.read_text(encoding="utf-8")
    derived = {w: derive_function_word(w) for w in ROMANIZED_FUNCTION_WORDS}
    assert {w: function_word(w) for w in ROMANIZED_FUNCTION_WORDS} == derived
    assert derived["ko"] == "को" and derived["chha"] == "छ" and derived["lai"] == "लाई"

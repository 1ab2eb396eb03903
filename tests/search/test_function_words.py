"""The romanized function words' Devanagari, read from ``data/function_words.tsv`` so that
a cold search folds no stopword, is what deriving it from the stopwords gives."""

from __future__ import annotations

from xlsearch.search.function_words import (
    ROMANIZED_FUNCTION_WORDS,
    derive_function_word,
    function_word,
)


def test_the_function_word_table_is_what_the_stopwords_derive() -> None:
    derived = {w: derive_function_word(w) for w in ROMANIZED_FUNCTION_WORDS}
    assert {w: function_word(w) for w in ROMANIZED_FUNCTION_WORDS} == derived
    assert derived["ko"] == "को" and derived["chha"] == "छ" and derived["lai"] == "लाई"

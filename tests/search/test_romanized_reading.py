"""Romanized words the index cannot read, spelled in Devanagari by the model's pieces."""

from __future__ import annotations

import pytest

from tests.support.fakes import EnglishOnlyIndex
from xlsearch.search.lexicon import Lexicon, model_lexicon
from xlsearch.search.romanize import read
from xlsearch.search.spelling import (
    LETTER_BONUS,
    LONG,
    UNKNOWN,
    UNWRITTEN_A,
    Pieces,
    groups,
    spellings,
)

# A toy vocabulary: whole words carry the word-start marker, endings do not.
PIECES = Pieces(
    {
        "▁आफ्नो": -10.0,
        "▁अ": -11.0,
        "▁आ": -11.0,
        "फ": -11.0,
        "्": -10.0,
        "न": -9.5,
        "ो": -10.0,
        "▁नेपाल": -10.0,
        "को": -8.5,
        "▁भाषा": -12.0,
        "▁बस": -10.0,
    }
)


def test_casual_spellings_are_cut_into_letter_groups() -> None:
    assert groups("chhatima") == ["chh", "a", "t", "i", "m", "a"]
    assert groups("aaphno") == ["aa", "ph", "n", "o"]
    # ri after a consonant may be the vowel ृ; at the start it is र + i.
    assert groups("mrityu") == ["m", "ri", "t", "y", "u"]
    assert groups("rin") == ["r", "i", "n"]
    assert groups("nepal2080") is None


def test_the_likeliest_spelling_is_one_the_vocabulary_holds() -> None:
    # aphno could be अफ्नो, आफनो, ...: only आफ्नो is a piece of its own.
    assert spellings("aphno", PIECES)[0][0] == "आफ्नो"
    # A word and its joined postposition: two pieces, both held.
    assert spellings("nepalko", PIECES)[0][0] == "नेपालको"
    # The whole typed word is spelled: bhasa is भाषा, never the shorter बस.
    assert spellings("bhasa", PIECES)[0][0] == "भाषा"
    best, second = spellings("aphno", PIECES, keep=2)
    assert best[1] > second[1]


def test_a_spelling_scores_its_likeliest_segmentation_less_its_choices() -> None:
    # नेपालको: ▁नेपाल + को = -18.5, better than any split into letters, less two
    # choices (ा for a typed a, an a between l and k that was not typed), plus the
    # bonus for its 7 letters.
    spelling, score = spellings("nepalko", PIECES)[0]
    assert spelling == "नेपालको"
    assert score == pytest.approx(-18.5 - LONG - UNWRITTEN_A + 7 * LETTER_BONUS)
    # Letters no piece holds cost UNKNOWN each: क्ष is क, the virama piece and ष.
    assert spellings("ksh", PIECES)[0][1] == pytest.approx(2 * UNKNOWN - 10.0 + 3 * LETTER_BONUS)


def test_a_lexicon_without_pieces_spells_nothing() -> None:
    assert Lexicon({"नेपाल": -8.0}).spell("nepal") is None
    assert Lexicon({}, PIECES).spell("aphno") == "आफ्नो"


@pytest.mark.model
@pytest.mark.parametrize(
    ("typed", "devanagari"),
    [
        ("sarpale toknu ko upachar", "सर्पले टोक्नु को उपचार"),
        ("nayan niyam", "नयाँ नियम"),
        ("aphno bhasa ma", "आफ्नो भाषा मा"),
        ("swasthya manisharu", "स्वास्थ्य मानिसहरु"),
        ("mrityu bhairaheko", "मृत्यु भइरहेको"),
        ("krishi bikas", "कृषि विकास"),
        # A final a: ा after a lone consonant, the said inherent a after a conjunct.
        ("nepalma kam garna", "नेपालमा काम गर्न"),
    ],
)
def test_casual_romanizations_read_as_the_words_meant(typed: str, devanagari: str) -> None:
    lexicon = model_lexicon()
    assert lexicon is not None
    found = read(typed, EnglishOnlyIndex(), lexicon)
    assert found is not None and found.text == devanagari


@pytest.mark.model
def test_english_words_of_the_index_stay_as_typed() -> None:
    lexicon = model_lexicon()
    assert lexicon is not None
    index = EnglishOnlyIndex(frozenset({"snake", "bite"}))
    found = read("snake bite ko upachar", index, lexicon)
    assert found is not None and found.text == "snake bite को उपचार"
    assert read("treatment of snake bite", index, lexicon) is None

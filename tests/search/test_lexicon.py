"""The Devanagari lexicon beyond the index, and the casual romanizer of the headline sets."""

from __future__ import annotations

import pytest

from tests.support.fakes import EnglishOnlyIndex
from xlsearch.eval.loaders.headlines import half_of, romanize
from xlsearch.search.lexicon import Lexicon, documents, model_lexicon, model_words
from xlsearch.search.phonetic import phonetic_key
from xlsearch.search.romanize import read, spell_out

LEXICON = Lexicon({"नेपाल": -8.0, "सरकार": -9.0, "बजेट": -10.0, "बजे": -9.5, "नेपाली": -9.0})


def test_whole_word_devanagari_pieces_become_the_lexicon() -> None:
    words = model_words(
        ["▁नेपाल", "नेपाल", "▁क", "▁the", "▁सरकार", "▁नेपालmix"], [-8, -1, -2, -3, -9, -4]
    )
    assert words == {"नेपाल": -8, "सरकार": -9}
    assert documents(-8.0, -8.0) > documents(-10.0, -8.0) >= 1
    found = LEXICON.words_by_key([phonetic_key("sarkar")])
    assert [word for word, *_ in found] == ["सरकार"]


def test_a_romanized_query_over_an_english_index_reads_its_words_from_the_lexicon() -> None:
    index = EnglishOnlyIndex({"budget"})
    text = "nepal sarkar ko bajet kati chha"
    # Without a lexicon the words are only spelled out letter by letter.
    without = read(text, index)
    assert without is not None and "सरकार" not in without.text
    assert without.text.split()[1] == spell_out("sarkar") == "सर्कर्"
    found = read(text, index, LEXICON)
    assert found is not None
    assert "सरकार" in found.text and "बजेट" in found.text and "नेपाल" in found.text
    # A name no lexicon holds is spelled out; an English word of the index is not.
    named = read("ramesh ko budget kati chha", index, LEXICON)
    assert named is not None and named.text.split()[:3] == [spell_out("ramesh"), "को", "budget"]


def test_the_lexicon_never_turns_an_english_query_nepali() -> None:
    index = EnglishOnlyIndex({"budget", "nepal", "govern"})
    assert read("what is the budget of the government of nepal", index, LEXICON) is None
    assert read("nepal government budget", index, LEXICON) is None


@pytest.mark.model
def test_the_bundled_model_knows_common_nepali_words() -> None:
    lexicon = model_lexicon()
    assert lexicon is not None and len(lexicon) > 3000
    found = read("nepalko swasthya mantralaya le bhaneko chha", EnglishOnlyIndex(set()), lexicon)
    assert found is not None
    assert "स्वास्थ्य" in found.text and "नेपाल" in found.text


@pytest.mark.parametrize(
    ("devanagari", "casual"),
    [
        ("नेपालको पानी", "nepalko pani"),
        ("गर्न छ", "garna chha"),
        ("विकास", "bikas"),
        ("स्वास्थ्य मन्त्रालयले भनेको छ।", "swasthya mantralayle bhaneko chha"),
        ("ज्ञान २०८०", "gyan 2080"),
    ],
)
def test_headlines_are_romanized_casually(devanagari: str, casual: str) -> None:
    assert romanize(devanagari) == casual


def test_halves_are_fixed_by_the_article_id() -> None:
    halves = [half_of(f"flores-{n}") for n in range(200)]
    assert set(halves) == {"tune", "held"}
    assert 70 < halves.count("tune") < 130
    # The split must not move between runs: these ids were tuned on.
    assert [half_of(f"flores-{n}") for n in (6, 7, 8, 9)] == ["tune", "held", "tune", "held"]

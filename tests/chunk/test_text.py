"""Normalisation, words, stems, sentences, language tags and chunking, Nepali first."""

from __future__ import annotations

import unicodedata

from xlsearch.chunk.sections import chunk_sections, rough_tokens
from xlsearch.text import (
    detect_language,
    normalize,
    sentences,
    terms,
    words,
)
from xlsearch.types import Section, describe_location


def test_normalize_composes_and_drops_joiners() -> None:
    decomposed = unicodedata.normalize("NFD", "क़ानून")  # NUKTA form decomposes
    assert normalize(decomposed) == unicodedata.normalize("NFC", "क़ानून")
    assert normalize("क्\u200dष") == "क्ष"
    assert normalize("र्\u200cय") == "र्य"


def test_words_keep_devanagari_words_whole() -> None:
    assert words("नेपालको राजधानी काठमाडौं हो।") == ["नेपालको", "राजधानी", "काठमाडौं", "हो"]
    assert words("Hello, World") == ["hello", "world"]


def test_devanagari_digits_read_as_ascii() -> None:
    assert words("२०८१ साल") == ["2081", "साल"]


def test_terms_stem_nepali_suffixes() -> None:
    assert terms("नेपालको") == terms("नेपाल")
    assert terms("किताबहरू") == terms("किताब")
    assert terms("घरहरूमा") == terms("घर")
    assert terms("किताब") != terms("कुतुब")
    forms = ["लामखुट्टे", "लामखुट्टेको", "लामखुट्टेहरू", "लामखुट्टेबाट", "लामखुट्टेहरूलाई"]
    assert {t for f in forms for t in terms(f)} == {"लामखुट्टे"}
    assert all(terms("मामा"))  # a word that looks like a suffix never stems to nothing


def test_terms_stem_english() -> None:
    assert terms("vaccinations") == terms("vaccination")
    assert terms("Mosquitoes") == terms("mosquito")


def test_sentences_end_at_danda_and_double_danda() -> None:
    found = [s for _, s in sentences("पहिलो वाक्य हो। दोस्रो वाक्य॥तेस्रो? Fourth one.")]
    assert found == ["पहिलो वाक्य हो।", "दोस्रो वाक्य॥", "तेस्रो?", "Fourth one."]


def test_sentence_offsets_point_into_the_text() -> None:
    text = "एक। दुई।\n\nतीन"
    for offset, sentence in sentences(text):
        assert text[offset : offset + len(sentence)] == sentence


def test_detect_language() -> None:
    assert detect_language("मलाई ज्वरो आएको छ, के गर्ने?") == "ne"
    assert detect_language("नेपालको राजधानी काठमाडौं हो।") == "ne"
    assert detect_language("मुझे बुखार है, क्या करूँ?") == "hi"
    assert detect_language("How do I register a birth?") == "en"
    assert detect_language("12345 !!!") == "other"
    assert detect_language("Привет, как дела?") == "other"


def test_chunks_keep_line_numbers_and_overlap() -> None:
    text = "\n".join(f"Sentence number {i} is here." for i in range(1, 41))
    chunks = chunk_sections([Section(text, line=1)], target=40, overlap=1)
    assert len(chunks) > 3
    assert chunks[0].line == 1
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    # The last sentence of a chunk opens the next one.
    first_last = chunks[0].text.split(". ")[-1]
    assert chunks[1].text.startswith(first_last.rstrip("."))
    # Each chunk's line is the line of its first new sentence.
    second_fresh = chunks[1].text.split(". ")[1]
    number = int(second_fresh.split()[2])
    assert chunks[1].line == number


def test_chunks_never_exceed_one_and_a_half_targets() -> None:
    text = " ".join(["नेपालको राजधानी काठमाडौं हो र यहाँ धेरै मन्दिरहरू छन्।"] * 200)
    chunks = chunk_sections([Section(text, page=3)], target=60)
    assert all(rough_tokens(c.text) <= 90 + 5 for c in chunks)
    assert {c.page for c in chunks} == {3}
    assert {c.lang for c in chunks} == {"ne"}


def test_huge_single_line_is_cut_into_bounded_chunks() -> None:
    line = ("word " * 320_000).strip()  # 1.6 MB, no newline, no sentence end
    chunks = chunk_sections([Section(line, line=1)], target=200)
    assert sum(len(c.text.split()) for c in chunks) >= 320_000
    assert all(rough_tokens(c.text) <= 300 + 5 for c in chunks)


def test_chunks_keep_section_places_and_ocr_confidence() -> None:
    sections = [
        Section("बिरामी संख्या बढ्यो।", where="sheet Patients, row 2"),
        Section("Camp on Sunday.", page=2, ocr=81.0),
    ]
    chunks = chunk_sections(sections, target=8, overlap=0)
    assert [(c.where, c.page, c.ocr) for c in chunks] == [
        ("sheet Patients, row 2", None, None),
        (None, 2, 81.0),
    ]


def test_locations_say_ocr_page_and_confidence() -> None:
    assert describe_location(3, None, None, 86.6) == "read by OCR, page 3, 87%"
    assert describe_location(None, None, "slide 2", None) == "slide 2"
    assert describe_location(None, None, None, 50.0) == "read by OCR, 50%"
    assert describe_location(None, 12) == "line 12"
    assert describe_location(None, None) == ""

"""Text as the index and queries see it: normalisation, words, sentences, language tags,
lexical terms. Chunking is :mod:`xlsearch.chunk.sections`.

Documents and queries pass through the same ``normalize`` so a word typed with or
without a zero-width joiner finds the same passages. Word splitting uses the
``regex`` module, whose ``\\w`` keeps Devanagari vowel signs and the virama inside
words (Python's ``re`` and FTS5's default tokenizer cut them apart).
"""

from __future__ import annotations

import importlib.util
import sys
import types
import unicodedata
from functools import lru_cache
from typing import Any

import regex

# Zero-width space, ZWNJ, ZWJ, BOM and soft hyphen: invisible, and typed inconsistently.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00ad"))
_DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
_WORD = regex.compile(r"\w+")
# A sentence ends at . ! ? and the danda / double danda, or at a blank line.
_SENTENCE_END = regex.compile(r"(?<=[.!?।॥])[\"'”’)\]]*\s+|(?<=[।॥])|\n\s*\n")
_DEVANAGARI = regex.compile(r"\p{Devanagari}")
_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")


def normalize(text: str) -> str:
    """NFC, without zero-width joiners and other invisible marks, same for docs and queries."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def words(text: str) -> list[str]:
    """Whole words (Devanagari words stay whole), case-folded, ०-९ read as 0-9."""
    return [w.casefold().translate(_DEVANAGARI_DIGITS) for w in _WORD.findall(normalize(text))]


_STEMMERS = "_xlsearch_snowball"
"""snowballstemmer's folder as a package of its own, to load only the stemmers used."""


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    """Snowball's stemmer for ``language`` ("english", "nepali"): its module alone.

    ``import snowballstemmer`` builds all of its 30-odd stemmers (some 20 ms, an eighth of
    a cold search); the two used here are loaded from the same files, the same code.
    """
    package = sys.modules.get(_STEMMERS)
    if package is None:
        found = importlib.util.find_spec("snowballstemmer")
        if found is None or found.submodule_search_locations is None:
            raise ImportError("snowballstemmer is not installed")
        package = types.ModuleType(_STEMMERS)
        package.__path__ = list(found.submodule_search_locations)
        sys.modules[_STEMMERS] = package
    module = importlib.import_module(f"{_STEMMERS}.{language}_stemmer")
    return getattr(module, f"{language.capitalize()}Stemmer")()


# Postpositions and the plural marker that Nepali writes joined to nouns. Snowball's
# Nepali stemmer handles them unevenly (लामखुट्टेको -> लामखुट्ट, लामखुट्टेबाट unchanged,
# लामखुट्टेहरू -> लामखुट्टे), so they are peeled off first and Snowball does the rest.
_NE_POSTPOSITIONS = (
    "हरू",
    "हरु",
    "लाई",
    "बाट",
    "देखि",
    "सम्म",
    "सँग",
    "संग",
    "भन्दा",
    "तिर",
    "को",
    "का",
    "की",
    "ले",
    "मा",
)


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """The Snowball stem: Nepali for Devanagari words, English otherwise.

    Cached: snippets and the indexer stem the same words over and over, and Snowball
    in pure Python costs tens of microseconds a word.
    """
    if _DEVANAGARI.search(word):
        base = _strip_postpositions(word)
        return str(_stemmer("nepali").stemWord(base)) or base
    return str(_stemmer("english").stemWord(word))


def _strip_postpositions(word: str) -> str:
    stripped = True
    while stripped:
        stripped = False
        for suffix in _NE_POSTPOSITIONS:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word = word[: -len(suffix)]
                stripped = True
                break
    return word


def terms(text: str) -> list[str]:
    """Stemmed lexical terms, the unit of keyword search (नेपालको and नेपाल share one)."""
    return [stem(w) for w in words(text)]


def sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their start offsets; the danda and double danda end sentences."""
    found: list[tuple[int, str]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        _add_sentence(found, text, start, match.start())
        start = match.end()
    _add_sentence(found, text, start, len(text))
    return found


def _add_sentence(found: list[tuple[int, str]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        found.append((start + len(piece) - len(piece.lstrip()), stripped))


def script_shares(text: str) -> tuple[float, float, int]:
    """(Devanagari share, Latin share, letter count) of the letters in ``text``."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0, 0.0, 0
    return len(_DEVANAGARI.findall(text)) / letters, len(_LATIN.findall(text)) / letters, letters


LANGUAGE_SCRIPT = {"ne": "Devanagari", "hi": "Devanagari", "en": "Latin"}
"""The script each language tag is written in ('other' has none we can name)."""


def scripts(text: str) -> set[str]:
    """The scripts, among Devanagari and Latin, that ``text`` has letters in."""
    found = set()
    if _DEVANAGARI.search(text):
        found.add("Devanagari")
    if _LATIN.search(text):
        found.add("Latin")
    return found


def detect_language(text: str) -> str:
    """'ne', 'hi', 'en' or 'other'.

    Script decides first: mostly Latin letters is English (the corpora xlsearch serves
    hold no other Latin-script language worth telling apart), mostly Devanagari goes to
    py3langid restricted to Nepali, Hindi and Marathi, which tells Nepali from Hindi by
    their function words.
    """
    devanagari, latin, letters = script_shares(text[:2000])
    if letters == 0:
        return "other"
    if latin >= 0.5:
        return "en"
    if devanagari >= 0.5:
        return _devanagari_language(text[:2000])
    return "other"


def _devanagari_language(text: str) -> str:
    import py3langid.langid as langid

    # set_languages is process-wide; xlsearch is its only user in the process.
    langid.set_languages(["ne", "hi", "mr"])
    code = str(langid.classify(text)[0])
    return code if code in ("ne", "hi") else "other"

"""Romanized Nepali function words (*ko*, *ma*, *lai*, *chha*, *kina*...) and their
Devanagari, and the stopword lists the romanized reading weighs a query by.

A function word's Devanagari is the Nepali stopword that sounds like it; deriving that
folds every Nepali stopword, which imports the transliteration tables (some 0.1 s of a
cold search), so the answers are package data (``data/function_words.tsv``), written by
:func:`write_function_words` and checked against the derivation by
``tests/search/test_function_words.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from xlsearch.search.lexical import stopword_list, stopwords
from xlsearch.search.phonetic import fold, is_devanagari, phonetic_key, without_nasals

# Words no English sentence uses and most romanized Nepali questions do. This list is
# language knowledge, not spelling: the spellings of each word are folded by the key,
# and its Devanagari is found among the Nepali stopwords (xlsearch/data/stopwords.txt).
_FUNCTION_WORDS = """
    ko ka ki ma le lai laai bata dekhi samma sanga sang haru ra ni pani ta yo tyo yi ti
    ke kina kasari kaha kahaa kahile kati kun kasto kasko kasle kaslai ho hoina chha cha
    chhan chhu xa chhaina chaina thiyo thiye hunchha huncha hunxa hune huna hudaina
    hundaina garne garnu garna garchha garcha gareko garda bhayo bhaeko bhayeko bhane
    bhanne parchha parcha parxa parne paryo sakchha sakcha sakinchha sakincha chahinchha
    chahincha lagi mero hamro tapai tapain timi timro afno aafno usko uslai unko unle
    kehi dherai sabai ahile aba pachhi bhitra bahira najik barema ba wa
    """
ROMANIZED_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
FUNCTION_WORDS_FILE = Path(__file__).parents[1] / "data" / "function_words.tsv"


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    return frozenset(w for w in stopwords() if not is_devanagari(w))


@lru_cache(maxsize=1)
def nepali_stopwords() -> tuple[str, ...]:
    """Nepali function words in file order (the postpositions come first)."""
    return tuple(w for w in stopword_list() if is_devanagari(w))


@lru_cache(maxsize=1)
def nepali_stopword_set() -> frozenset[str]:
    return frozenset(nepali_stopwords())


def function_word(word: str) -> str | None:
    """The Devanagari of a romanized function word (one of ``ROMANIZED_FUNCTION_WORDS``),
    or None: read from ``data/function_words.tsv``, which :func:`derive_function_word`
    wrote (deriving it folds every Nepali stopword, and so imports the transliteration
    tables: some 0.1 s of a cold search; ``tests/search/test_function_words.py`` checks
    the file against the derivation)."""
    return _function_words().get(word)


@lru_cache(maxsize=1)
def _function_words() -> dict[str, str]:
    text = FUNCTION_WORDS_FILE.read_text(encoding="utf-8")
    return dict(line.split("\t") for line in text.splitlines() if line and "\t" in line)


def write_function_words(path: Path = FUNCTION_WORDS_FILE) -> None:
    """Write ``data/function_words.tsv`` anew (after changing the function-word list,
    the stopwords or the fold tables): ``python -c "from xlsearch.search.function_words
    import write_function_words; write_function_words()"``."""
    found = {w: d for w in sorted(ROMANIZED_FUNCTION_WORDS) if (d := derive_function_word(w))}
    lines = ["# romanized function word -> Devanagari (written by write_function_words)"]
    path.write_text(
        "\n".join([*lines, *(f"{w}\t{d}" for w, d in found.items())]) + "\n", encoding="utf-8"
    )


def derive_function_word(word: str) -> str | None:
    """The Devanagari of a romanized function word: the first Nepali stopword (the list
    runs from the commonest) with the same key, else the closest in spelling, or None."""
    from xlsearch.search.romanize import cost  # the reading's spelling distance

    key = phonetic_key(word)
    same = [w for w in nepali_stopwords() if phonetic_key(w) == key]
    if same:
        return same[0]
    typed = fold(word)
    near = [w for w in nepali_stopwords() if phonetic_key(w) == without_nasals(key)]
    return min(near, key=lambda w: cost(typed, fold(w)), default=None)

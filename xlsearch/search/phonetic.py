"""Phonetic keys: one spelling-blind key for a Devanagari term and a romanized word.

People type Nepali in Latin letters without a fixed scheme: पानी is *pani* or *paani*,
छ is *chha*, *cha*, *xa* or *6*, बच्चा is *bacha*, *bachha* or *baccha*. The store keeps
:func:`phonetic_key` of every indexed Devanagari term, and a romanized query word looks
its key up there, so the index itself says which Devanagari words were meant.

Devanagari goes to Latin through the Harvard-Kyoto tables of the maintained
``indic-transliteration`` library. What no library does is the folding of casual
spellings, so that is written here, as data: :func:`fold` maps both sides to one
lowercase alphabet that still tells short from long vowels (``A``, ``I``, ``U``), and
:func:`phonetic_key` then drops what casual writers drop (vowel length, the inherent
*a*, nasals before a consonant).
"""

from __future__ import annotations

from functools import lru_cache

import regex

from xlsearch.text import words

_DEVANAGARI = regex.compile(r"\p{Devanagari}")

# Harvard-Kyoto (case-sensitive) to the folded alphabet. Order matters: longer first.
_HK_TO_FOLD = (
    ("jJ", "gy"),  # ज्ञ is written gy (gyan)
    ("kS", "ks"),  # क्ष: ksh
    ("lRR", "li"),
    ("lR", "li"),
    ("RR", "ri"),
    ("R", "ri"),
    ("ch", "c"),  # छ; HK writes च as c
    ("Th", "th"),
    ("Dh", "dh"),
    ("T", "t"),
    ("D", "d"),
    ("N", "n"),
    ("G", "n"),
    ("J", "n"),
    ("M", "n"),  # anusvara
    ("~", ""),  # candrabindu: casual writers mostly leave it out (huda for हुँदा)
    ("H", ""),  # visarga
    ("z", "s"),
    ("S", "s"),
    ("'", ""),  # avagraha
    (".", ""),
)

# Casual romanization to the same alphabet. Doubled vowels mark length; the rest are
# the spelling habits of Nepali typed on a phone (x and 6 for छ, w/v for व).
_LATIN_TO_FOLD = (
    ("aa", "A"),
    ("ee", "I"),
    ("ii", "I"),
    ("oo", "U"),
    ("uu", "U"),
    ("chh", "c"),
    ("cch", "c"),
    ("ch", "c"),
    ("x", "c"),
    ("6", "c"),
    ("sh", "s"),
    ("ph", "p"),
    ("f", "p"),
    ("w", "b"),
    ("v", "b"),
    ("z", "j"),
    ("q", "k"),
)

_ASPIRATED = regex.compile(r"([kgcjtdpb])h")
_DOUBLED = regex.compile(r"([bcdgjklmnprstyz])\1+")
# A y after a vowel is a glide typists add or drop at will (bhayeko/bhaeko, karyalay).
_Y_AFTER_VOWEL = regex.compile(r"(?<=[aeiouAIU])y")
_NASAL_BEFORE_CONSONANT = regex.compile(r"[nm](?=[bcdgjklmnprstyzh])")


def is_devanagari(word: str) -> bool:
    """True when ``word`` has a Devanagari letter."""
    return _DEVANAGARI.search(word) is not None


def devanagari_words(text: str) -> list[str]:
    """The distinct Devanagari words of ``text`` as keyword search splits them."""
    return list(dict.fromkeys(w for w in words(text) if is_devanagari(w)))


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """The word in one lowercase alphabet, long vowels as ``A I U``.

    ``fold("पानी") == "pAnI"``, ``fold("paani") == "pAni"``, ``fold("pani") == "pani"``:
    what the typist wrote is kept, for :func:`distances` to weigh. Devanagari keeps its
    inherent vowels (मुहान is ``muhAna``); the key and the distance forgive them.
    """
    if is_devanagari(word):
        text = _replace_all(_hk(word), _HK_TO_FOLD).replace("v", "b")
        text = text.replace("f", "p")
    else:
        text = _replace_all(word.casefold(), _LATIN_TO_FOLD)
    text = str(_DOUBLED.sub(r"\1", text))
    text = str(_Y_AFTER_VOWEL.sub("", text))
    return str(_NASAL_BEFORE_CONSONANT.sub("n", text))


@lru_cache(maxsize=1 << 16)
def phonetic_key(word: str) -> str:
    """The spelling-blind key: :func:`fold` without vowel length, aspiration and
    non-initial *a*.
    पानी, pani and paani share ``pni``; छ, chha, cha and 6 share ``c``."""
    return key_of(fold(word))


def key_of(folded: str) -> str:
    """The phonetic key of a word already folded (see :func:`fold`)."""
    text = folded.replace("A", "a").replace("I", "i").replace("U", "u")
    text = str(_ASPIRATED.sub(r"\1", text))
    # The first letter stays: an initial vowel (अ/आ) is the only trace of some words.
    return text[:1] + text[1:].replace("a", "")


def without_nasals(key: str) -> str:
    """``key`` without the nasals before consonants, which casual writers add where
    Devanagari has a candrabindu (*sanga* for सँग) or drop where it has one."""
    return key[:1] + str(_NASAL_BEFORE_CONSONANT.sub("", key[1:]))


def _hk(word: str) -> str:
    from indic_transliteration import sanscript

    return str(sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.HK))


def _replace_all(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for old, new in table:
        text = text.replace(old, new)
    return text


# Costs of turning a typed fold into a dictionary fold: a typist often leaves vowel
# length out (cheap), rarely writes a long vowel that is short (dear).
_SHORT_FOR_LONG = 0.15
_LONG_FOR_SHORT = 1.0
# An *a* missing or added (schwa deletion), an *h* (aspiration typed or not: kh/k).
_CHEAP_GAPS = {"a": 0.3, "h": 0.2}
_PAIRS = {("a", "A"), ("i", "I"), ("u", "U")}


def _substitution(typed: str, known: str) -> float:
    if typed == known:
        return 0.0
    if (typed, known) in _PAIRS:
        return _SHORT_FOR_LONG
    if (known, typed) in _PAIRS:
        return _LONG_FOR_SHORT
    return 1.0


def distances(typed: str, known: str) -> list[list[float]]:
    """The weighted Levenshtein table: ``[i][j]`` turns ``typed[:j]`` into ``known[:i]``.

    Typing a short vowel for a long one costs 0.15, the reverse 1.0; an *a* missing or
    added costs 0.3 (Nepali drops most inherent vowels in speech: जीवनजल is
    *jIbanajal* letter by letter, *jeevanjal* as said), an *h* 0.2 (aspiration);
    anything else costs 1.
    """
    table = [[0.0]]
    for t in typed:
        table[0].append(table[0][-1] + _gap(t))
    for k in known:
        previous = table[-1]
        current = [previous[0] + _gap(k)]
        for j, t in enumerate(typed, start=1):
            current.append(
                min(
                    previous[j] + _gap(k),
                    current[j - 1] + _gap(t),
                    previous[j - 1] + _substitution(t, k),
                )
            )
        table.append(current)
    return table


def _gap(letter: str) -> float:
    return _CHEAP_GAPS.get(letter, 1.0)

"""Romanized Nepali queries: telling them from English, and reading them in Devanagari.

A Latin-script word is weighed as Nepali when it is a romanized Nepali function word
(*ko*, *ma*, *lai*, *chha*, *kina*...) or when its phonetic key (see
:mod:`xlsearch.search.phonetic`) finds a close Devanagari word in the index, and as English
when it is an English stopword or a keyword of the index's English text. The index is
the dictionary: each romanized word becomes the indexed Devanagari words that sound
like it, their keyword stems for keyword search, and the closest and most common one,
as the documents write it, for meaning search.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Protocol

import regex

from xlsearch.search.function_words import (
    ROMANIZED_FUNCTION_WORDS,
    english_stopwords,
    function_word,
    nepali_stopword_set,
)
from xlsearch.search.phonetic import (
    distances,
    fold,
    is_devanagari,
    key_of,
    phonetic_key,
    without_nasals,
)
from xlsearch.text import stem, words

# Endings Nepali writes joined to a word (postpositions, plural, common verb endings),
# romanized. A typed word may run past the indexed word it matches by such endings
# (aamale = आमा + le), which costs next to nothing; any other leftover costs more.
_ENDINGS = """
    ko ka ki le lai ma bata dekhi samma sanga haru bhanda tira lagi nai ta
    nu na ne ni eko eka eki ekole era yera dai da yo ye chha chhan chhin cha
    nuparchha nuparcha parchha parcha nchha ncha inchha incha ine ina iyo nuhos
    """

_POSTPOSITIONS = "ko ka ki le lai laai ma bata dekhi samma sanga haru"
POSTPOSITIONS = frozenset(_POSTPOSITIONS.split())
"""Romanized postpositions (and the plural), which Nepali writes joined to a noun."""

ENDING_COST = 0.05
"""Cost per typed character left over as known endings (paniko -> पानी + ko)."""
LEFTOVER_COST = 0.35
"""Cost per typed character left over otherwise."""
KEEP_WITHIN = 0.3
"""Keyword search also takes the candidates this close to the best one."""
MAX_EXPANSIONS = 3
"""At most this many keyword stems per romanized word."""
GOOD_BASE = 0.4
"""See ``GOOD_PER_LETTER``."""
GOOD_PER_LETTER = 0.1
"""A candidate this close reads the word as Nepali (0.4 + 0.1 a letter: 1.0 for 6)."""
ENGLISH_GOOD = 0.3
"""An English word (stopword, or a term of the index's English text) is read in
Devanagari only when this close: *iron* -> आइरन, not *capsule* -> छाप."""
COMMON_BONUS = 0.25
"""Candidates rank by cost less this times log10(1 + passages holding the word)."""
MIN_LONGER_KEY = 3
"""Indexed words whose key merely starts with the typed word's are looked at only
from this key length on (a one-letter key would start thousands)."""
_LATIN_WORD = regex.compile(r"\p{Latin}")
_TOKEN = regex.compile(r"\w+")


class Vocabulary(Protocol):
    """What reading needs from the index (the Store provides it)."""

    def words_by_key(
        self, keys: list[str], starting: str | None = None
    ) -> list[tuple[str, str, int, str | None]]: ...

    """(word, keyword stem, documents holding it, its fold or None) by phonetic key."""

    def term_documents(self, terms: list[str]) -> dict[str, int]: ...


class Lexicon(Vocabulary, Protocol):
    """Words beyond the index (see :mod:`xlsearch.search.lexicon`): looked up like the
    index, and any romanized word spelled in Devanagari."""

    def spell(self, word: str) -> str | None: ...


@dataclass(frozen=True)
class Candidate:
    """A Devanagari word a romanized word may mean; lower cost is closer."""

    word: str
    stem: str
    cost: float
    documents: int
    fold: str | None = None  # the word's fold, when the index or lexicon kept it


@dataclass(frozen=True)
class RomanizedReading:
    """How a query reads in Devanagari: the text to embed, the keyword stems, and
    whether the query may also be English (then it is searched as typed too)."""

    text: str
    terms: tuple[str, ...]
    maybe_english: bool
    alternative: str | None = None
    """The reading with content words where ``text`` read function words that sound
    like indexed words too (*pani*: पनि "also" or पानी "water"); None when no word is
    both. Both are searched: the spelling cannot tell them apart."""


@lru_cache(maxsize=1)
def _endings() -> frozenset[str]:
    return frozenset(fold(e) for e in _ENDINGS.split())


@lru_cache(maxsize=4096)
def _is_endings(rest: str) -> bool:
    """True when ``rest`` (folded) splits into known endings."""
    if not rest:
        return True
    return any(rest.startswith(e) and _is_endings(rest[len(e) :]) for e in _endings())


def cost(typed: str, known: str) -> float:
    """How far ``known`` (a Devanagari word) is from the typed word, both folded: the
    spelling distance (see :func:`~xlsearch.search.phonetic.distances`) between one of them
    and the start of the other, plus the cost of what is left of the other (an ending:
    *aamale* = आमा + *le*, *pani* = पानी + को)."""
    table = distances(typed, known)
    typed_rest = [table[-1][j] + _leftover(typed[j:]) for j in range(len(typed) + 1)]
    known_rest = [table[i][-1] + _leftover(known[i:], True) for i in range(len(known) + 1)]
    return min(typed_rest + known_rest)


def _leftover(rest: str, known: bool = False) -> float:
    if known and rest == "a":  # a final inherent vowel, written but seldom said
        return ENDING_COST
    # Lower case forgets vowel length: the ending lists are typed, लाई folds to lAI.
    return len(rest) * (ENDING_COST if _is_endings(rest.lower()) else LEFTOVER_COST)


def candidates(word: str, vocabulary: Vocabulary) -> list[Candidate]:
    """Indexed words whose key is the key of ``word`` or of a start of it, best first
    (see :func:`_ranking`)."""
    typed, key = fold(word), phonetic_key(word)
    bare = without_nasals(key)
    prefixes = list(dict.fromkeys(k[:i] for k in (key, bare) for i in range(1, len(k) + 1)))
    # Longer indexed words too (पानीको for pani), once the key says enough.
    longer = key if len(key) >= MIN_LONGER_KEY else None
    # Nepali function words come from the function-word list only (see function_word):
    # a content word typed as *wada* is not वा, however common वा is.
    # The index keeps each word's fold: folding Devanagari here would import the
    # transliteration tables into a cold search (see store m008_term_folds).
    found = [
        Candidate(known, term, cost(typed, folded), documents, folded)
        for known, term, documents, known_fold in vocabulary.words_by_key(prefixes, longer)
        if known not in nepali_stopword_set()
        for folded in [known_fold or fold(known)]
    ]
    return sorted(found, key=lambda c: (_ranking(c), c.word))


def _ranking(candidate: Candidate) -> float:
    """Spelling cost less a bonus for common words: between जग (2 passages) and जग्गा
    (30) for *jagga*, spelling alone cannot choose (the typist doubled no vowel)."""
    return candidate.cost - COMMON_BONUS * math.log10(1 + candidate.documents)


def is_good(found: list[Candidate], word: str, english: bool = False) -> bool:
    """True when the best candidate is close: cost at most ``GOOD_BASE`` plus
    ``GOOD_PER_LETTER`` a typed letter, or ``ENGLISH_GOOD`` for an English word."""
    if not found:
        return False
    limit = ENGLISH_GOOD if english else GOOD_BASE + GOOD_PER_LETTER * len(fold(word))
    return found[0].cost <= limit


def read(
    text: str, vocabulary: Vocabulary, lexicon: Lexicon | None = None
) -> RomanizedReading | None:
    """The Devanagari reading of the Latin words of ``text``, or None when they read
    as English (or there are none). Devanagari words of a mixed query stay as typed.

    The query is read as Nepali when it has more romanized Nepali function words than
    English stopwords, or, having neither, some word that sounds like an indexed
    Devanagari word and is no English keyword of the index. An English sentence always
    has a stopword and almost never a romanized function word, so it stays as typed.
    A word the index gives no close reading, and that is neither a stopword nor an
    English word of the index, is looked up in ``lexicon`` (words beyond the index,
    see :mod:`xlsearch.search.lexicon`): over English documents the index has no
    Devanagari word at all. Whole words of the lexicon help decide whether the query
    is Nepali; once it is, such a word of an all-Latin query reads as the lexicon's
    likeliest spelling of it (:mod:`xlsearch.search.spelling`). A query with an
    English stopword is decided before any lookup, so English sentences read as before.
    """
    # One letter is no evidence either way (vitamin A, the t of don't).
    latin = list(dict.fromkeys(w for w in words(text) if _LATIN_WORD.search(w) and len(w) > 1))
    if not latin:
        return None
    function = sum(w in ROMANIZED_FUNCTION_WORDS for w in latin)
    stop = sum(w in english_stopwords() for w in latin)
    if stop and function <= stop:
        # English whatever its words sound like: decided before any lookup, so an
        # English search never loads the transliteration tables.
        return None
    english = _english_words(latin, vocabulary)
    indexed = {w: candidates(w, vocabulary) for w in latin}
    found = _beyond_index(indexed, english, lexicon)
    nepali = [w for w in latin if _is_nepali(w, found[w], english)]
    if function <= stop and not nepali:
        return None
    # Decided on whole words only (a spelling is no evidence of Nepali: any Latin
    # word has one); now the words the index cannot read take their spelling. In a
    # Devanagari sentence the Latin words are names as written (NBA, Apple): kept.
    if not is_devanagari(text):
        found |= _spelled(indexed, english, lexicon)
    chosen = {w: c for w in latin if (c := _choose(w, found[w], w in english)) is not None}
    content = _content_readings(chosen, found)
    # Words nothing can read (a name, a loanword) are spelled out for meaning search.
    spelled = {w: spell_out(w) for w in latin if w not in chosen and _unknown(w, english)}
    # Could be English: some stopword, or as many English keywords as Nepali words.
    english_only = [w for w in latin if w in english and w not in nepali]
    first, other = {**spelled, **chosen}, {**spelled, **chosen, **content}
    if content and _before_postposition(text, content):
        first, other = other, first  # *pani ko*: the water's (पानी), never पनि's
    return RomanizedReading(
        _replace_words(text, first),
        _keyword_terms(found, chosen) + _keyword_terms(found, content, content_only=True),
        maybe_english=stop > 0 or len(english_only) >= len(nepali),
        alternative=_replace_words(text, other) if content else None,
    )


def _before_postposition(text: str, content: dict[str, str]) -> bool:
    """Whether a function word that also reads as a content word comes right before a
    postposition: Nepali joins postpositions to nouns (पानीको), so typed apart (*pani
    ko*) they follow the noun, and the content reading leads."""
    typed = [token.casefold() for token in _TOKEN.findall(text)]
    return any(a in content and b in POSTPOSITIONS for a, b in pairwise(typed))


def _unknown(word: str, english: set[str]) -> bool:
    """A word that is no English word (stopword or index keyword), no function word
    and no number: what neither the index nor the lexicon could read."""
    known = word in english or word in english_stopwords() or word in ROMANIZED_FUNCTION_WORDS
    return not known and word.isalpha()


@lru_cache(maxsize=4096)
def spell_out(word: str) -> str:
    """``word`` spelled letter by letter in Devanagari (ITRANS), for meaning search
    only: *dayagnostik* -> दयग्नोस्तिक्, near enough डायग्नोस्टिक for the model, where
    the Latin letters of a Nepali sentence's loanword read as noise."""
    from indic_transliteration import sanscript

    return str(sanscript.transliterate(word.lower(), sanscript.ITRANS, sanscript.DEVANAGARI))


def _beyond_index(
    found: dict[str, list[Candidate]], english: set[str], lexicon: Vocabulary | None
) -> dict[str, list[Candidate]]:
    """``found`` with the ``lexicon``'s candidates for each word the index gives no
    close reading (not a function word, not an English word of the index)."""
    if lexicon is None:
        return found
    beyond = dict(found)
    for word, known in found.items():
        if word in ROMANIZED_FUNCTION_WORDS or word in english or word in english_stopwords():
            continue
        if not is_good(known, word) and is_good(more := candidates(word, lexicon), word):
            beyond[word] = more
    return beyond


def _spelled(
    indexed: dict[str, list[Candidate]], english: set[str], lexicon: Lexicon | None
) -> dict[str, list[Candidate]]:
    """The ``lexicon``'s likeliest spelling, as the one candidate, of each word the
    index gives no close reading: no English word of the index, no function word the
    stopwords spell (*garna* is spelled: no stopword holds गर्न)."""
    if lexicon is None:
        return {}
    found: dict[str, list[Candidate]] = {}
    for word, known in indexed.items():
        if word in english or word in english_stopwords() or is_good(known, word):
            continue
        if word in ROMANIZED_FUNCTION_WORDS and function_word(word) is not None:
            continue
        if (spelling := lexicon.spell(word)) is not None:
            found[word] = [Candidate(spelling, stem(spelling), 0.0, 1)]
    return found


def _content_readings(chosen: dict[str, str], found: dict[str, list[Candidate]]) -> dict[str, str]:
    """Function words read as such that also sound like a close indexed content word,
    with that word (see ``RomanizedReading.alternative``)."""
    return {
        w: found[w][0].word
        for w, reading in chosen.items()
        if w in ROMANIZED_FUNCTION_WORDS
        and is_good(found[w], w)
        and found[w][0].word != reading
        and _key(found[w][0]) == phonetic_key(w)
    }


def _key(candidate: Candidate) -> str:
    """A candidate's phonetic key, from its kept fold where it has one."""
    return key_of(candidate.fold) if candidate.fold else phonetic_key(candidate.word)


def _choose(word: str, found: list[Candidate], english: bool) -> str | None:
    if word in ROMANIZED_FUNCTION_WORDS and (devanagari := function_word(word)):
        return devanagari
    if word in english_stopwords():
        return None
    return found[0].word if is_good(found, word, english) else None


def _english_words(latin: list[str], vocabulary: Vocabulary) -> set[str]:
    """The words that are English stopwords or whose stem the index's text holds."""
    stems = {w: stem(w) for w in latin}
    known = vocabulary.term_documents(sorted(set(stems.values())))
    return {w for w in latin if w in english_stopwords() or stems[w] in known}


def _is_nepali(word: str, found: list[Candidate], english: set[str]) -> bool:
    if word in ROMANIZED_FUNCTION_WORDS:
        return True
    return word not in english and is_good(found, word)


def _keyword_terms(
    found: dict[str, list[Candidate]], chosen: dict[str, str], content_only: bool = False
) -> tuple[str, ...]:
    """The stems of each read word's close candidates; function words add none, unless
    ``content_only`` says they were read as content words."""
    terms: list[str] = []
    for word in chosen:
        if (word in ROMANIZED_FUNCTION_WORDS and not content_only) or not found[word]:
            continue
        best = min(c.cost for c in found[word])
        close = [c.stem for c in found[word] if c.cost <= best + KEEP_WITHIN]
        terms += list(dict.fromkeys(close))[:MAX_EXPANSIONS]
    return tuple(dict.fromkeys(terms))


def _replace_words(text: str, chosen: dict[str, str]) -> str:
    """``text`` with each chosen Latin word (matched case-blind) in Devanagari."""
    return str(_TOKEN.sub(lambda m: chosen.get(m.group(0).casefold(), m.group(0)), text))

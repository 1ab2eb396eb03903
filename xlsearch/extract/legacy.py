"""Legacy Nepali fonts (Preeti, Kantipur, ...): naming them, converting them, spotting them.

Before Unicode, Nepali was typed in 8-bit fonts that draw Devanagari over ASCII codes:
extracted, a Preeti file reads ``g]kfnsf] /fhwfgL`` for नेपालको राजधानी. This module
owns which font names count as legacy (:func:`legacy_font`), the conversion to Unicode
(:func:`convert`, over npttf2utf's maps; the maps are theirs, not ours), joining a
paragraph's runs so that only the legacy-font ones convert (:func:`convert_runs`), and
the detector that decides from the text alone when no font is named
(:func:`looks_legacy`). Format modules call the first three; ``extract`` runs the
detector over Sections that no font marked.

The detector was measured (tests/extract/test_legacy_detector.py,
benchmarks/legacy_fonts.py): Preeti-encoded Nepali has few Latin vowels (a, e, i, o, u
stand for consonants and signs), a very frequent ``f`` (the sign ा), and ``] } { ; / ' "``
glued to letters inside words (signs and half-forms). English, code, URLs, romanized
Nepali and random letters each fail at least one of the three tests below.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from xlsearch.types import Section

# Normalised name prefix -> (npttf2utf map name, the name shown to people).
_FONTS: tuple[tuple[str, str, str], ...] = (
    ("preeti", "Preeti", "Preeti"),
    ("kantipur", "Kantipur", "Kantipur"),
    ("sagarmatha", "Sagarmatha", "Sagarmatha"),
    ("pcsnepali", "PCS NEPALI", "PCS Nepali"),
    ("fontasyhimali", "FONTASY_HIMALI_TT", "Himali"),
    ("himali", "FONTASY_HIMALI_TT", "Himali"),
)
_MAP_NAMES: dict[str, str] = {shown: key for _, key, shown in _FONTS}
DETECTED_FONT = "Preeti"
"""The font assumed when the detector, not a font name, finds legacy text (the commonest;
Kantipur and Sagarmatha share most of its layout)."""

_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")  # PDF font subsets: ABCDEF+Preeti
_NOT_ALNUM = re.compile(r"[^a-z0-9]")

# Detector thresholds, measured on the sets in benchmarks/corpora/legacy.py: Preeti passages have
# vowel share 0.06-0.18, f share 0.13-0.30, marked words 0.56-0.83; the negatives reach at
# most f 0.09 (code), and those with vowel share under 0.25 (random letters) have f <= 0.05.
MIN_LETTERS = 12
MIN_F_SHARE = 0.10
MAX_VOWEL_SHARE = 0.25
MIN_MARKED_WORDS = 0.25
MIN_VOWELLESS_WORDS = 0.30
_MARK = re.compile(r"[A-Za-z][\]}{;/'\"\\|\[+]|[\]}{;/'\"\\|\[+][A-Za-z]")
_CONTRACTION = re.compile(r"[A-Za-z]'(?:s|t|re|ll|ve|d|m)\b")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")


def legacy_font(name: str | None) -> str | None:
    """The legacy font ``name`` refers to ("Preeti", "Kantipur", ...), or None.

    Accepts the spellings files use: PDF subset names (``ABCDEF+Preeti``), style suffixes
    (``Preeti-Bold``, ``Kantipur TT``), any case, quotes, spaces and underscores.
    """
    if not name:
        return None
    key = _NOT_ALNUM.sub("", _SUBSET_PREFIX.sub("", name.strip().strip("'\"")).lower())
    for prefix, _, shown in _FONTS:
        if key.startswith(prefix):
            return shown
    return None


@functools.cache
def _mapper() -> Any:
    """npttf2utf's FontMapper over its bundled maps (loaded once, on first use)."""
    from importlib import resources  # here: it imports tempfile, shutil, random...

    from npttf2utf.base.fontmapper import FontMapper

    return FontMapper(str(resources.files("npttf2utf") / "map.json"))


def convert(text: str, font: str) -> str:
    """``text`` typed in legacy ``font`` (a name from :func:`legacy_font`) as Unicode, NFC."""
    converted = _mapper().map_to_unicode(text, from_font=_MAP_NAMES[font])
    return unicodedata.normalize("NFC", str(converted))


def to_preeti(text: str) -> str:
    """Unicode Nepali as it would be typed in Preeti (for test files and measurements)."""
    return str(_mapper().map_to_preeti(unicodedata.normalize("NFC", text), from_font="Unicode"))


def convert_runs(runs: Iterable[tuple[str, str | None]]) -> tuple[str, str | None]:
    """Join a paragraph's (text, legacy font or None) runs, converting the legacy ones.

    Neighbouring runs in one font are converted together, since a word (and the sign
    that is typed before its consonant) can span runs. A run already in Devanagari is
    left alone: Word names the Latin font even for text typed in Unicode. Returns the
    text and the legacy font most of the converted text was in, None when nothing was.
    """
    groups: list[tuple[str, str | None]] = []
    for text, font in runs:
        if groups and groups[-1][1] == font:
            groups[-1] = (groups[-1][0] + text, font)
        elif text:
            groups.append((text, font))
    fonts: Counter[str] = Counter()
    pieces = []
    for text, font in groups:
        if font is None or _mostly_devanagari(text):
            pieces.append(text)
        else:
            pieces.append(convert(text, font))
            fonts[font] += len(text)
    return "".join(pieces), (fonts.most_common(1)[0][0] if fonts else None)


def _mostly_devanagari(text: str) -> bool:
    """Whether ``text`` has more Devanagari letters and signs than ASCII letters."""
    devanagari = sum(1 for c in text if "\u0900" <= c <= "\u097f")
    return devanagari > sum(1 for c in text if c.isascii() and c.isalpha())


@dataclass(frozen=True)
class Evidence:
    """The character statistics the detector decides on (shares are 0-1)."""

    letters: int  # ASCII letters
    vowel_share: float  # a e i o u among ASCII letters
    f_share: float  # f among ASCII letters (Preeti's ा)
    marked_words: float  # words with ] } { ; / ' " \ | [ + glued to a letter
    vowelless_words: float  # words with letters and no a e i o u y


def evidence(text: str) -> Evidence | None:
    """The detector's statistics for ``text``; None where it is mostly not ASCII letters."""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    others = sum(1 for c in text if c.isalpha() and not c.isascii())
    words = [w for w in text.split() if any(c.isascii() and c.isalpha() for c in w)]
    if not letters or others > len(letters) // 4 or not words:
        return None
    lower = [c.lower() for c in letters]
    return Evidence(
        letters=len(letters),
        vowel_share=sum(c in "aeiou" for c in lower) / len(letters),
        f_share=letters.count("f") / len(letters),
        marked_words=sum(bool(_MARK.search(_CONTRACTION.sub("", w))) for w in words) / len(words),
        vowelless_words=sum(not _VOWEL.search(w) for w in words) / len(words),
    )


SAMPLE_CHARS = 6000
"""The detector reads at most this much of one text: three slices, from its start, middle
and end. Its statistics settle within a few hundred letters, and a 30 MB log must not
cost the detector more than reading it."""
DOCUMENT_BUDGET = 200_000
"""Characters a document's unmarked sections are checked over before the detector gives
up on it, when none of them looked legacy so far."""


def looks_legacy(text: str) -> bool:
    """Whether ``text`` reads as Nepali typed in a Preeti-like legacy font."""
    found = evidence(_sample(text))
    if found is None or found.letters < MIN_LETTERS:
        return False
    shaped = found.marked_words >= MIN_MARKED_WORDS or found.vowelless_words >= MIN_VOWELLESS_WORDS
    return found.f_share >= MIN_F_SHARE and found.vowel_share <= MAX_VOWEL_SHARE and shaped


def _sample(text: str) -> str:
    """``text`` itself, or for a long one three slices of it (start, middle, end)."""
    if len(text) <= SAMPLE_CHARS:
        return text
    third = SAMPLE_CHARS // 3
    middle = len(text) // 2
    return " ".join((text[:third], text[middle : middle + third], text[-third:]))


def detect_sections(sections: Sequence[Section]) -> list[Section]:
    """``sections`` with those no font marked, and that look legacy, converted from Preeti.

    Checking stops after ``DOCUMENT_BUDGET`` characters of sections that all read as
    Unicode or plain Latin text: a document typed in a legacy font shows it early.
    """
    out: list[Section] = []
    checked, found = 0, False
    for section in sections:
        if section.converted_from is None and (found or checked < DOCUMENT_BUDGET):
            checked += min(len(section.text), SAMPLE_CHARS)
            if looks_legacy(section.text):
                found = True
                section = replace(
                    section, text=convert(section.text, DETECTED_FONT), converted_from=DETECTED_FONT
                )
        out.append(section)
    return out


def document_font(sections: Sequence[Section]) -> str | None:
    """The legacy font most of a document's converted text came from, None if none."""
    fonts: Counter[str] = Counter()
    for section in sections:
        if section.converted_from is not None:
            fonts[section.converted_from] += len(section.text)
    return fonts.most_common(1)[0][0] if fonts else None

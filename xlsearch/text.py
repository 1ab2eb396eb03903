"""Text as the index sees it: normalisation, sentences, language tags, lexical terms, chunks.

Documents and queries pass through the same ``normalize`` so a word typed with or
without a zero-width joiner finds the same passages. Word splitting uses the
``regex`` module, whose ``\\w`` keeps Devanagari vowel signs and the virama inside
words (Python's ``re`` and FTS5's default tokenizer cut them apart).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex

from xlsearch.types import PLACE_SEPARATOR, Chunk, Section, span_places

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


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(language)


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


@dataclass(frozen=True)
class _Sentence:
    text: str
    tokens: int
    line: int | None
    page: int | None
    where: str | None = None
    ocr: float | None = None


TokenCounter = Callable[[str], int]


def rough_tokens(text: str) -> int:
    """A cautious token estimate for when no tokenizer is at hand (about 2 per word)."""
    return 2 * len(_WORD.findall(text)) + len(text) // 40 + 1


def chunk_sections(
    sections: Iterable[Section],
    count_tokens: TokenCounter = rough_tokens,
    target: int = 200,
    overlap: int = 1,
) -> list[Chunk]:
    """Group sentences into chunks of about ``target`` tokens, never more than 1.5x.

    Each chunk starts with up to ``overlap`` sentences of the previous one (when they
    are short enough) so an answer on a boundary survives whole. A chunk keeps the page
    and line where its first new sentence sits. Records (a sheet's rows, slides,
    messages, archive members: see :func:`record`) are kept apart once a chunk is half
    full, and a chunk never starts with the previous record's last sentence.
    """
    pieces = list(_sentence_pieces(sections, count_tokens, target))
    chunks: list[Chunk] = []
    current: list[_Sentence] = []
    fresh = 0  # sentences in ``current`` not carried over from the previous chunk
    for piece in pieces:
        size = sum(s.tokens for s in current)
        new_record = fresh > 0 and record(piece.where) != record(current[-1].where)
        if fresh and (size + piece.tokens > target or (new_record and size >= target // 2)):
            chunks.append(_make_chunk(current, len(chunks), len(current) - fresh))
            current = [] if new_record else _carry_over(current, overlap, target)
            fresh = 0
        current.append(piece)
        fresh += 1
    if fresh:
        chunks.append(_make_chunk(current, len(chunks), len(current) - fresh))
    return chunks


_LINE_OR_PAGE = regex.compile(r"^(?:line|lines|page|pages) \d")


def record(where: str | None) -> str | None:
    """The record a place belongs to: the place without a trailing line or page
    ("a.zip › b.txt › line 3" -> "a.zip › b.txt"; "sheet S, row 4" stays itself)."""
    if where is None:
        return None
    parts = where.split(PLACE_SEPARATOR)
    while len(parts) > 1 and _LINE_OR_PAGE.match(parts[-1]):
        parts.pop()
    return PLACE_SEPARATOR.join(parts)


def _carry_over(previous: list[_Sentence], overlap: int, target: int) -> list[_Sentence]:
    carried = previous[-overlap:] if overlap > 0 else []
    return carried if sum(s.tokens for s in carried) <= target // 2 else []


def _make_chunk(sentences_: list[_Sentence], ordinal: int, first_fresh: int) -> Chunk:
    text = " ".join(s.text for s in sentences_)
    anchor = sentences_[first_fresh]
    return Chunk(
        text,
        detect_language(text),
        ordinal,
        page=anchor.page,
        line=anchor.line,
        where=span_places(anchor.where, sentences_[-1].where),
        ocr=anchor.ocr,
    )


def _sentence_pieces(
    sections: Iterable[Section], count_tokens: TokenCounter, target: int
) -> Iterator[_Sentence]:
    for section in sections:
        text = normalize(section.text)
        lines_before = 0
        last = 0
        for offset, sentence in sentences(text):
            if section.line is not None:
                lines_before += text.count("\n", last, offset)
                last = offset
            line = None if section.line is None else section.line + lines_before
            for part in _split_long(sentence, count_tokens, target):
                yield _Sentence(
                    part, count_tokens(part), line, section.page, section.where, section.ocr
                )


def _split_long(sentence: str, count_tokens: TokenCounter, target: int) -> Iterator[str]:
    """Cut a sentence longer than ``target`` tokens at word, then character, boundaries."""
    # A token covers at most a few characters, so very long strings skip the count.
    if len(sentence) <= target * 12 and count_tokens(sentence) <= target:
        yield sentence
        return
    tokens = sentence.split()
    step = max(1, target // 3)  # words per piece: Nepali runs up to ~3 tokens a word
    for i in range(0, len(tokens), step):
        piece = " ".join(tokens[i : i + step])
        if count_tokens(piece) <= target:
            yield piece
        else:  # a "word" thousands of characters long: cut by characters
            width = max(1, target)
            yield from (piece[j : j + width] for j in range(0, len(piece), width))

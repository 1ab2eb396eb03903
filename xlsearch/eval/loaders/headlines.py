"""Headline -> article sets built from the shared benchmark data, split in fixed halves.

The product owners measured ranking on news headlines finding their articles; these
sets rebuild that task from data nobody tuned to. An article's first sentence is the
query and the rest of the article the one relevant document, in both languages, so
one set gives en→en, en→ne, ne→en and ne→ne. The Nepali headlines are also typed in
Latin letters (``romanize``, casual spelling as people type Nepali on a phone) and
asked of an English-only pool and of a Nepali-only pool.

- FLORES-200 dev: consecutive lines with one URL are an article (281 articles);
  articles of one sentence have no rest and are left out.
- TICO-19: a translation unit's ``tuid`` is ``<document>:<n>``; each document's units,
  in order, are cut into articles of ``TICO_LINES`` sentences (31 documents are too
  few to rank, and a PubMed paper is no news article).

Each article falls in the ``tune`` or the ``held`` half by a hash of its id, fixed
across runs and machines: tune ranking on one half, report on the other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from xlsearch.errors import DatasetError
from xlsearch.eval.datasets import ROMANIZED, Dataset, EvalDoc, EvalQuery, with_judged_queries
from xlsearch.eval.loaders.parallel import article_of_lines
from xlsearch.eval.loaders.tmx import _units

HALVES = ("tune", "held")
TICO_LINES = 8
"""Sentences per TICO-19 article (the first is its headline)."""

Article = tuple[str, dict[str, list[str]]]  # id, language -> sentences


def half_of(article: str) -> str:
    """``tune`` or ``held``, by the first byte of the article id's SHA-256."""
    return HALVES[hashlib.sha256(article.encode("utf-8")).digest()[0] % 2]


def flores_articles(folder: Path) -> Iterator[Article]:
    """FLORES-200 dev articles (eng.dev, npi.dev and the metadata's URLs)."""
    lines = {}
    for lang, name in (("en", "eng.dev"), ("ne", "npi.dev")):
        try:
            lines[lang] = (folder / name).read_text(encoding="utf-8").splitlines()
        except OSError:
            raise DatasetError(
                f"Cannot read {folder / name}; give the FLORES-200 dev folder."
            ) from None
    articles = article_of_lines(folder / "metadata_dev.tsv", len(lines["en"]))
    for article in sorted(set(articles)):
        rows = [i for i, a in enumerate(articles) if a == article]
        yield (
            f"flores-{article + 1}",
            {lang: [found[i] for i in rows] for lang, found in lines.items()},
        )


def tico_articles(path: Path) -> Iterator[Article]:
    """TICO-19 documents (by ``tuid``) cut into articles of ``TICO_LINES`` sentences."""
    documents: dict[str, list[dict[str, str]]] = {}
    for tuid, segments in _units(path):
        if segments.get("en") and segments.get("ne"):
            documents.setdefault(tuid.split(":")[0], []).append(segments)
    for document, units in documents.items():
        for start in range(0, len(units), TICO_LINES):
            part = units[start : start + TICO_LINES]
            found = {lang: [u[lang] for u in part] for lang in ("en", "ne")}
            yield f"tico-{document}-{start // TICO_LINES + 1}", found


def headline_sets(name: str, articles: Iterator[Article], half: str) -> list[Dataset]:
    """The ``half`` of ``articles`` as one dataset per pool: ``both``, every direction
    over en+ne documents; ``en``/``ne``, Nepali and romanized headlines (and English
    ones) over one language's documents only, as a folder holding only English or only
    Nepali files is."""
    if half not in HALVES:
        raise DatasetError(f"Unknown half '{half}'; use one of {', '.join(HALVES)}.")
    docs: dict[str, EvalDoc] = {}
    queries: dict[str, EvalQuery] = {}
    qrels: dict[str, dict[str, int]] = {}
    for article, sentences in articles:
        rest = {
            lang: " ".join(s for s in found[1:] if s.strip()) for lang, found in sentences.items()
        }
        headline = {lang: found[0].strip() for lang, found in sentences.items()}
        if half_of(article) != half or not all(rest.values()) or not all(headline.values()):
            continue
        for lang in ("en", "ne"):
            docs[f"{lang}-{article}"] = EvalDoc(f"{lang}-{article}", rest[lang], lang)
        typed = {**headline, ROMANIZED: romanize(headline["ne"])}
        for lang, text in typed.items():
            queries[f"{lang}:{article}"] = EvalQuery(f"{lang}:{article}", text, lang)
            qrels[f"{lang}:{article}"] = {f"en-{article}": 1, f"ne-{article}": 1}
    if not docs:
        raise DatasetError(f"No article with a headline and a rest in {name}.")
    both = Dataset(f"{name}-{half}", docs, queries, qrels)
    found = [_without(both, ROMANIZED)]
    for lang in ("en", "ne"):
        pool = both.subset(None, lang)
        pool.name = f"{name}-{half}-{lang}only"
        found.append(_without(pool, "en") if lang == "ne" else pool)
    return found


def _without(ds: Dataset, lang: str) -> Dataset:
    """``ds`` without its queries in ``lang``."""
    queries = {k: q for k, q in ds.queries.items() if q.lang != lang}
    qrels = {k: v for k, v in ds.qrels.items() if k in queries}
    return with_judged_queries(Dataset(ds.name, ds.docs, queries, qrels))


def load_headlines(root: Path, half: str) -> list[Dataset]:
    """FLORES-200 and TICO-19 headline sets under ``root`` (the shared benchmarks)."""
    flores = headline_sets("flores-headlines", flores_articles(root / "flores200-dev"), half)
    tico = headline_sets("tico-headlines", tico_articles(root / "tico19" / "all.en-ne.tmx"), half)
    return flores + tico


# -- casual romanization -----------------------------------------------------------
_GYA = "\ue000"  # ज्ञ, read as one letter: gy
_CONSONANTS = {
    "क": "k", "ख": "kh", "ग": "g", "घ": "gh", "ङ": "ng", "च": "ch", "छ": "chh", "ज": "j",
    "झ": "jh", "ञ": "n", "ट": "t", "ठ": "th", "ड": "d", "ढ": "dh", "ण": "n", "त": "t",
    "थ": "th", "द": "d", "ध": "dh", "न": "n", "प": "p", "फ": "ph", "ब": "b", "भ": "bh",
    "म": "m", "य": "y", "र": "r", "ल": "l", "व": "b", "श": "s", "ष": "s", "स": "s",
    "ह": "h", "ळ": "l", "क़": "k", "ख़": "kh", "ग़": "g", "ज़": "j", "ड़": "r", "ढ़": "rh",
    "फ़": "f", "य़": "y", _GYA: "gy",
}  # fmt: skip
_VOWELS = {
    "अ": "a", "आ": "a", "इ": "i", "ई": "i", "उ": "u", "ऊ": "u", "ऋ": "ri", "ए": "e",
    "ऐ": "ai", "ओ": "o", "औ": "au", "ऑ": "o", "ॲ": "e",
}  # fmt: skip
_SIGNS = {
    "ा": "a", "ि": "i", "ी": "i", "ु": "u", "ू": "u", "ृ": "ri", "े": "e", "ै": "ai",
    "ो": "o", "ौ": "au", "ॅ": "e", "ॉ": "o",
}  # fmt: skip
_VIRAMA, _NUKTA = "\u094d", "\u093c"
_NASALS = {"ं": "n", "ँ": "n", "ः": ""}
_INHERENT = "A"  # a consonant's unwritten vowel, until schwa deletion decides
_SUFFIXES = frozenset(
    {
        "को", "का", "की", "ले", "मा", "लाई", "हरू", "हरु", "हरूले", "हरूको", "हरूलाई",
        "हरूमा", "बाट", "देखि", "सँग", "सम्म", "द्वारा", "भन्दा",
    }
)  # fmt: skip
"""Postpositions Nepali writes joined to a noun: the vowel before them goes unsaid."""


def romanize(text: str) -> str:
    """Devanagari ``text`` typed casually in Latin letters: no vowel length, ष and श
    as s, व as b (w after another consonant), the inherent vowel dropped where casual
    Nepali drops it (word-finally after a single consonant, and before a joined
    postposition: नेपालको -> nepalko), digits as 0-9, punctuation kept except the
    danda. नेपाल सरकार -> nepal sarakar (the key folds the vowel either way)."""
    digits = {chr(0x0966 + d): str(d) for d in range(10)}
    out: list[str] = []
    word: list[str] = []
    for char in text.replace("ज्ञ", _GYA) + " ":
        devanagari = "\u0900" <= char <= "\u097f" or char == _GYA
        if devanagari and char not in digits and char not in "।॥":
            word.append(char)
            continue
        if word:
            out.append(_word(word))
            word = []
        out.append(digits.get(char, "" if char in "।॥" else char))
    return " ".join("".join(out).split()).lower()


def _word(chars: list[str]) -> str:
    """One Devanagari word, romanized (see ``romanize``)."""
    units: list[list[str]] = []  # [consonant, vowel]: vowel "" for a virama
    starts: list[int] = []  # where each unit starts in ``chars``
    after_virama = False
    for at, char in enumerate(chars):
        if char == _NUKTA and units:
            units[-1][0] = _CONSONANTS.get(chars[starts[-1]] + _NUKTA, units[-1][0])
        elif char in _CONSONANTS:
            latin = "w" if char == "व" and after_virama else _CONSONANTS[char]
            units.append([latin, _INHERENT])
            starts.append(at)
        elif char == _VIRAMA and units:
            units[-1][1] = ""
        elif char in _SIGNS and units:
            units[-1][1] = _SIGNS[char]
        elif char in _VOWELS:
            units.append(["", _VOWELS[char]])
            starts.append(at)
        elif char in _NASALS and units:
            units[-1][1] += _NASALS[char]
        after_virama = char == _VIRAMA
    for i in range(1, len(units)):
        single = units[i - 1][1] != ""  # not the end of a conjunct
        last = i == len(units) - 1
        ending = not last and "".join(chars[starts[i + 1] :]) in _SUFFIXES
        if units[i][1] == _INHERENT and units[i][0] and single and (last or ending):
            units[i][1] = ""
    return "".join(c + v.replace(_INHERENT, "a") for c, v in units)

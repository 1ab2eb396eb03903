"""The evaluation dataset value, its language directions, and the loader dispatch.

Every format (BEIR, XQuAD-R, FLORES-style parallel files, TMX) loads into one
:class:`Dataset`: documents, queries and qrels, each document and query tagged with a
language. The benchmark then runs per direction (query language -> document language)
and on the mixed pool. The format readers live in :mod:`xlsearch.eval.loaders`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xlsearch.errors import DatasetError

MIXED = "mixed"
ROMANIZED = "rom"
"""The language tag of romanized Nepali queries (Nepali typed in Latin letters)."""
BUILTIN = "builtin"


@dataclass
class EvalDoc:
    """One retrievable item: a passage, a sentence or an article."""

    id: str
    text: str
    lang: str
    title: str = ""


@dataclass
class EvalQuery:
    """One query, in one language."""

    id: str
    text: str
    lang: str


@dataclass
class Dataset:
    """Documents, queries and graded qrels (query id -> doc id -> grade, > 0 is relevant)."""

    name: str
    docs: dict[str, EvalDoc]
    queries: dict[str, EvalQuery]
    qrels: dict[str, dict[str, int]]

    def subset(self, query_lang: str | None, doc_lang: str | None) -> Dataset:
        """The queries in ``query_lang`` against the docs in ``doc_lang`` (None keeps all).

        Qrels to removed docs are dropped, then queries left with no relevant doc.
        """
        docs = {k: d for k, d in self.docs.items() if doc_lang in (None, d.lang)}
        queries = {k: q for k, q in self.queries.items() if query_lang in (None, q.lang)}
        qrels = {
            qid: {doc: grade for doc, grade in self.qrels.get(qid, {}).items() if doc in docs}
            for qid in queries
        }
        return with_judged_queries(Dataset(self.name, docs, queries, qrels))

    def query_languages(self) -> list[str]:
        """The languages of the queries, sorted."""
        return sorted({q.lang for q in self.queries.values()})

    def doc_languages(self) -> list[str]:
        """The languages of the documents, sorted."""
        return sorted({d.lang for d in self.docs.values()})

    def languages(self) -> list[str]:
        """Every language of a query or a document, sorted."""
        return sorted(set(self.query_languages()) | set(self.doc_languages()))

    def doc_lang(self) -> dict[str, str]:
        """Doc id -> language, the mapping :func:`~xlsearch.eval.metrics.language_bias` takes."""
        return {k: d.lang for k, d in self.docs.items()}


def with_judged_queries(ds: Dataset) -> Dataset:
    """The dataset keeping only queries with at least one relevant (grade > 0) doc."""
    judged = {qid for qid, qrel in ds.qrels.items() if any(g > 0 for g in qrel.values())}
    queries = {k: q for k, q in ds.queries.items() if k in judged}
    qrels = {k: v for k, v in ds.qrels.items() if k in queries}
    return Dataset(ds.name, ds.docs, queries, qrels)


def _judged_in_own_and_other_language(ds: Dataset) -> bool:
    """True when some query has relevant docs both in its own and in another language.

    Only then is a mixed pool fair: in bitext data the query's own-language copy sits in
    the pool unjudged, and would be counted as a miss when it ranks first.
    """
    for qid, qrel in ds.qrels.items():
        langs = {ds.docs[doc].lang for doc, grade in qrel.items() if grade > 0 and doc in ds.docs}
        if ds.queries[qid].lang in langs and len(langs) >= 2:
            return True
    return False


def directions(ds: Dataset) -> list[tuple[str, str, Dataset]]:
    """Every (label, kind, subset) to evaluate: ``"en→ne"`` style directions, then ``mixed``.

    ``kind`` is ``"direction"`` or ``"mixed"``. Directions are query language x doc
    language, sorted; one with no judged query is left out. ``mixed`` (all queries
    against all docs) is added when the docs span two or more languages and some query
    is judged in its own and in another language (see
    :func:`_judged_in_own_and_other_language`); romanized queries (``rom``) get their own
    directions but stay out of ``mixed``.
    """
    found: list[tuple[str, str, Dataset]] = []
    for query_lang in ds.query_languages():
        for doc_lang in ds.doc_languages():
            part = ds.subset(query_lang, doc_lang)
            if part.queries:
                found.append((f"{query_lang}→{doc_lang}", "direction", part))
    if len(ds.doc_languages()) >= 2 and _judged_in_own_and_other_language(ds):
        found.append((MIXED, MIXED, _without_romanized(ds.subset(None, None))))
    return found


def _without_romanized(ds: Dataset) -> Dataset:
    """The mixed pool keeps its en+ne queries only: romanized restatements would count
    each Nepali question twice, and its figures stay comparable with earlier runs."""
    queries = {k: q for k, q in ds.queries.items() if q.lang != ROMANIZED}
    return Dataset(ds.name, ds.docs, queries, {k: v for k, v in ds.qrels.items() if k in queries})


def guess_lang(text: str) -> str:
    """``"ne"`` when most letters are Devanagari, ``"en"`` when most are Latin, else ``"other"``.

    A stand-in for the project's language detector, used only where a dataset gives no
    language; Devanagari vowel signs count as letters since they carry the script.
    """
    devanagari = latin = other = 0
    for char in text:
        if "\u0900" <= char <= "\u097f":
            devanagari += 1
        elif char.isalpha():
            if char < "\u0250":
                latin += 1
            else:
                other += 1
    letters = devanagari + latin + other
    if letters and devanagari * 2 > letters:
        return "ne"
    if letters and latin * 2 > letters:
        return "en"
    return "other"


def builtin_path() -> Path:
    """Where the project's own benchmark lives: ``<repo>/assets/benchmark`` (BEIR layout)."""
    return Path(__file__).resolve().parents[2] / "assets" / "benchmark"


HEADLINES = "headlines-"
"""``headlines-tune`` / ``headlines-held`` (optionally ``:DIR``): the headline -> article
sets built from the shared benchmark data (see ``loaders.headlines``)."""


def shared_benchmarks() -> Path:
    """The shared benchmark data beside the repository (``../shared/benchmarks``)."""
    return Path(__file__).resolve().parents[3] / "shared" / "benchmarks"


def load_dataset(spec: str) -> list[Dataset]:
    """Load the dataset(s) ``spec`` names: ``builtin``, ``headlines-tune`` or
    ``headlines-held`` (see ``HEADLINES``), or a path whose layout says the format.

    A directory with ``corpus.jsonl`` is BEIR; one with LAReQA ``*.json`` files is
    XQuAD-R; a ``.tmx`` file is TMX; a directory of aligned files plus a metadata TSV is
    FLORES-style parallel data, loaded at article level. A directory that is none of
    these yields every dataset found in its direct children. Raises DatasetError when
    nothing loadable is there.
    """
    # The loaders build Dataset values from this module, so they are imported late.
    from xlsearch.eval.loaders import load_path

    if spec.startswith(HEADLINES):
        from xlsearch.eval.loaders.headlines import load_headlines

        half, _, where = spec.removeprefix(HEADLINES).partition(":")
        root = Path(where).expanduser() if where else shared_benchmarks()
        if not root.is_dir():
            raise DatasetError(f"No shared benchmark data at {root}; give headlines-{half}:DIR.")
        return load_headlines(root, half)
    if spec == BUILTIN:
        path = builtin_path()
        if not (path / "corpus.jsonl").is_file():
            raise DatasetError(
                f"The built-in benchmark is missing at {path}; reinstall xlsearch or "
                "give a dataset path."
            )
        return load_path(path)
    path = Path(spec).expanduser()
    if not path.exists():
        raise DatasetError(
            f"No dataset at {path}; give a dataset folder, a .tmx file or 'builtin'."
        )
    return load_path(path)

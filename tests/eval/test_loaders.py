"""Dataset loaders on tiny fixtures, directions, and the real shared benchmark files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from xlsearch.errors import DatasetError
from xlsearch.eval import datasets
from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery, directions, guess_lang
from xlsearch.eval.loaders import load_beir, load_parallel, load_tmx, load_xquad_r

DATA = Path(__file__).resolve().parents[1] / "data" / "eval"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
PARALLEL = {"en": DATA / "parallel" / "eng.dev", "ne": DATA / "parallel" / "npi.dev"}
METADATA = DATA / "parallel" / "metadata_dev.tsv"


def _labels(ds: Dataset) -> list[str]:
    return [label for label, _, _ in directions(ds)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("नेपालको राजधानी काठमाडौं हो।", "ne"),
        ("The capital of Nepal", "en"),
        ("Café société", "en"),
        ("12345 !!!", "other"),
        ("Привет мир", "other"),
        ("नेपाल Nepal नेपालको", "ne"),
    ],
)
def test_guess_lang(text: str, lang: str) -> None:
    assert guess_lang(text) == lang


def test_beir_ids_languages_and_qrels() -> None:
    ds = load_beir(DATA / "beir")
    assert ds.name == "beir"
    assert sorted(ds.docs) == ["d1", "d2", "d3", "d4", "d5"]
    # d1, d2 and d5 have no lang field: guessed from the script.
    assert {k: d.lang for k, d in ds.docs.items()} == {
        "d1": "en",
        "d2": "ne",
        "d3": "en",
        "d4": "ne",
        "d5": "other",
    }
    assert ds.docs["d1"].title == "Rivers"
    assert ds.docs["d4"].title == ""
    # q3 (judged non-relevant only), q4 (no qrels) and the unknown query are dropped.
    assert sorted(ds.queries) == ["q1", "q2"]
    assert ds.queries["q2"].lang == "ne"
    assert ds.qrels == {"q1": {"d1": 2, "d2": 1, "d3": 0}, "q2": {"d4": 1}}


def test_beir_directions() -> None:
    ds = load_beir(DATA / "beir")
    # ne→en is absent: q2 has no relevant English doc; nothing is relevant in "other".
    assert _labels(ds) == ["en→en", "en→ne", "ne→ne", "mixed"]
    parts = {label: part for label, _, part in directions(ds)}
    assert parts["en→ne"].qrels == {"q1": {"d2": 1}}
    assert sorted(parts["en→ne"].docs) == ["d2", "d4"]
    assert sorted(parts["mixed"].queries) == ["q1", "q2"]
    assert len(parts["mixed"].docs) == 5


def test_beir_bad_json_line(tmp_path: Path) -> None:
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text('{"_id": "a", "text": "x"}\n{not json\n')
    (tmp_path / "queries.jsonl").write_text('{"_id": "q", "text": "x"}\n')
    (tmp_path / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq\ta\t1\n")
    with pytest.raises(DatasetError, match="line 2"):
        load_beir(tmp_path)


def test_beir_missing_split_and_bad_qrels(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"dev\.tsv"):
        load_beir(DATA / "beir", split="dev")
    (tmp_path / "qrels").mkdir()
    (tmp_path / "corpus.jsonl").write_text('{"_id": "a", "text": "x"}\n')
    (tmp_path / "queries.jsonl").write_text('{"_id": "q", "text": "x"}\n')
    (tmp_path / "qrels" / "test.tsv").write_text("q\ta\n")
    with pytest.raises(DatasetError, match="line 1"):
        load_beir(tmp_path)


def test_xquad_r_candidates_queries_and_qrels() -> None:
    ds = load_xquad_r([DATA / "lareqa" / "en.json", DATA / "lareqa" / "ne.json"])
    assert len([d for d in ds.docs.values() if d.lang == "en"]) == 5
    assert len([d for d in ds.docs.values() if d.lang == "ne"]) == 6
    assert ds.docs["en-0-1"].text == "Its capital is Kathmandu."
    assert ds.docs["ne-1-1"].text == "एक रुपैयाँमा सय पैसा हुन्छ।"
    assert sorted(ds.queries) == [f"{lang}:qa{i}" for lang in ("en", "ne") for i in (1, 2, 3)]
    assert ds.queries["ne:qa3"].text == "मुद्रा के हो?"
    # Every query is relevant to its question's answer sentence in both languages.
    assert ds.qrels["en:qa1"] == {"en-0-1": 1, "ne-0-1": 1}
    assert ds.qrels["ne:qa2"] == {"en-0-2": 1, "ne-0-2": 1}
    assert ds.qrels["en:qa3"] == {"en-1-0": 1, "ne-1-0": 1}


def test_xquad_r_directions_include_mixed() -> None:
    ds = load_xquad_r([DATA / "lareqa" / "en.json", DATA / "lareqa" / "ne.json"])
    assert _labels(ds) == ["en→en", "en→ne", "ne→en", "ne→ne", "mixed"]
    parts = {label: part for label, _, part in directions(ds)}
    assert parts["en→ne"].qrels["en:qa1"] == {"ne-0-1": 1}
    assert len(parts["en→ne"].docs) == 6
    assert len(parts["mixed"].queries) == 6


def test_xquad_r_malformed(tmp_path: Path) -> None:
    bad = tmp_path / "en.json"
    bad.write_text(json.dumps({"version": "1"}))
    with pytest.raises(DatasetError, match="LAReQA"):
        load_xquad_r([bad])
    broken = tmp_path / "ne.json"
    broken.write_text(json.dumps({"data": [{"paragraphs": [{"sentences": ["a"], "qas": []}]}]}))
    with pytest.raises(DatasetError, match="paragraph 0"):
        load_xquad_r([broken])
    with pytest.raises(DatasetError, match="missing"):
        load_xquad_r([tmp_path / "hi.json"])


def test_parallel_sentence_level_is_bitext() -> None:
    ds = load_parallel(PARALLEL)
    assert len(ds.docs) == 10
    assert ds.docs["ne-4"].text == "पोखरामा नयाँ पुल खुल्यो।"
    assert ds.queries["en:2"].text == "Rivers rose across the valley."
    assert ds.qrels["en:2"] == {"ne-2": 1}
    assert ds.qrels["ne:5"] == {"en-5": 1}
    # Same-language pairs would be the sentence itself: no such direction, no mixed pool.
    assert _labels(ds) == ["en→ne", "ne→en"]


def test_parallel_article_level() -> None:
    ds = load_parallel(PARALLEL, METADATA, level="article")
    assert sorted(ds.docs) == [f"{lang}-article-{n}" for lang in ("en", "ne") for n in (1, 2)]
    assert ds.docs["en-article-2"].text == "A new bridge opened in Pokhara.\nIt links two villages."
    assert len(ds.queries) == 10
    assert ds.qrels["en:3"] == {"ne-article-1": 1}
    assert ds.qrels["ne:4"] == {"en-article-2": 1}
    assert _labels(ds) == ["en→ne", "ne→en"]


def test_parallel_article_level_first_queries_and_same_language() -> None:
    ds = load_parallel(PARALLEL, METADATA, level="article", queries="first", same_language=True)
    assert sorted(ds.queries) == ["en:1", "en:4", "ne:1", "ne:4"]
    assert ds.qrels["en:4"] == {"en-article-2": 1, "ne-article-2": 1}
    assert _labels(ds) == ["en→en", "en→ne", "ne→en", "ne→ne", "mixed"]


def test_parallel_errors(tmp_path: Path) -> None:
    short = tmp_path / "npi.dev"
    short.write_text("एक\n")
    with pytest.raises(DatasetError, match="same number of lines"):
        load_parallel({"en": PARALLEL["en"], "ne": short})
    with pytest.raises(DatasetError, match="metadata"):
        load_parallel(PARALLEL, level="article")
    rows = tmp_path / "metadata.tsv"
    rows.write_text("URL\nhttps://a\n")
    with pytest.raises(DatasetError, match="1 rows"):
        load_parallel(PARALLEL, rows, level="article")
    with pytest.raises(DatasetError, match="two languages"):
        load_parallel({"en": PARALLEL["en"]})


def test_tmx_units_languages_and_markup() -> None:
    ds = load_tmx(DATA / "tmx" / "tiny.tmx")
    # doc:3 has English only and doc:4's French side is not asked for.
    assert sorted(ds.queries) == [f"{lang}:doc:{n}" for lang in ("en", "ne") for n in (1, 2, 4)]
    assert ds.docs["en-doc:2"].text == "Keep a safe distance."
    assert ds.docs["ne-doc:2"].lang == "ne"  # written ne-NP in the file
    assert ds.qrels["en:doc:1"] == {"ne-doc:1": 1}
    assert ds.qrels["ne:doc:4"] == {"en-doc:4": 1}
    assert _labels(ds) == ["en→ne", "ne→en"]


def test_tmx_three_languages() -> None:
    ds = load_tmx(DATA / "tmx" / "tiny.tmx", langs=("en", "fr", "ne"))
    assert ds.qrels["fr:doc:4"] == {"en-doc:4": 1, "ne-doc:4": 1}


def test_tmx_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>")
    with pytest.raises(DatasetError, match="well-formed"):
        load_tmx(broken)
    unit = (
        '<tu tuid="x"><tuv xml:lang="en"><seg>a</seg></tuv>'
        '<tuv xml:lang="ne"><seg>b</seg></tuv></tu>'
    )
    repeated = tmp_path / "repeated.tmx"
    repeated.write_text(f"<tmx><body>{unit}{unit}</body></tmx>")
    with pytest.raises(DatasetError, match="repeats"):
        load_tmx(repeated)
    with pytest.raises(DatasetError, match="missing"):
        load_tmx(tmp_path / "absent.tmx")


def test_subset_drops_qrels_and_queries() -> None:
    ds = Dataset(
        "toy",
        {"a": EvalDoc("a", "x", "en"), "b": EvalDoc("b", "y", "ne")},
        {"q": EvalQuery("q", "x", "en"), "r": EvalQuery("r", "y", "ne")},
        {"q": {"a": 1, "b": 1}, "r": {"a": 1}},
    )
    part = ds.subset(None, "ne")
    assert part.qrels == {"q": {"b": 1}}
    assert list(part.queries) == ["q"]
    assert ds.languages() == ["en", "ne"]
    assert ds.doc_lang() == {"a": "en", "b": "ne"}


def test_load_dataset_dispatches_by_layout() -> None:
    found = datasets.load_dataset(str(DATA))
    assert [ds.name for ds in found] == ["beir", "lareqa", "parallel-articles", "tmx"]
    assert [ds.name for ds in datasets.load_dataset(str(DATA / "tmx" / "tiny.tmx"))] == ["tiny"]
    articles = datasets.load_dataset(str(DATA / "parallel"))[0]
    assert "en-article-1" in articles.docs


def test_load_dataset_errors(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="No dataset at"):
        datasets.load_dataset(str(tmp_path / "absent"))
    (tmp_path / "notes.txt").write_text("nothing")
    with pytest.raises(DatasetError, match="No dataset layout"):
        datasets.load_dataset(str(tmp_path))


def test_builtin_benchmark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(datasets, "builtin_path", lambda: tmp_path / "benchmark")
    with pytest.raises(DatasetError, match="built-in benchmark"):
        datasets.load_dataset("builtin")
    monkeypatch.setattr(datasets, "builtin_path", lambda: DATA / "beir")
    assert sorted(datasets.load_dataset("builtin")[0].queries) == ["q1", "q2"]


def test_builtin_path_is_in_the_repository() -> None:
    assert datasets.builtin_path() == Path(__file__).resolve().parents[2] / "assets" / "benchmark"


needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="shared benchmarks absent")


@pytest.mark.shared
@needs_shared
def test_shared_flores_counts() -> None:
    folder = SHARED / "flores200-dev"
    bitext = load_parallel({"en": folder / "eng.dev", "ne": folder / "npi.dev"})
    assert sum(q.lang == "en" for q in bitext.queries.values()) == 997
    assert sum(q.lang == "ne" for q in bitext.queries.values()) == 997
    articles = datasets.load_dataset(str(folder))[0]
    assert sum(d.lang == "ne" for d in articles.docs.values()) == 281
    assert sorted(articles.doc_languages()) == ["en", "hi", "ne"]
    parts = {label: part for label, _, part in directions(articles)}
    assert len(parts["ne→en"].queries) == 997
    assert len(parts["ne→en"].docs) == 281
    heads = load_parallel(
        {"en": folder / "eng.dev", "ne": folder / "npi.dev"},
        folder / "metadata_dev.tsv",
        level="article",
        queries="first",
    )
    assert len(heads.queries) == 2 * 281


@pytest.mark.shared
@needs_shared
def test_shared_xquad_r_counts() -> None:
    ds = load_xquad_r(sorted((SHARED / "xquad-r").glob("*.json")))
    assert sum(q.lang == "en" for q in ds.queries.values()) == 1190
    assert sum(q.lang == "hi" for q in ds.queries.values()) == 1190
    assert sum(d.lang == "en" for d in ds.docs.values()) == 1180
    assert sum(d.lang == "hi" for d in ds.docs.values()) == 1244
    assert all({ds.docs[d].lang for d in qrel} == {"en", "hi"} for qrel in ds.qrels.values())
    assert "mixed" in [label for label, _, _ in directions(ds)]


@pytest.mark.shared
@needs_shared
def test_shared_tico19_counts() -> None:
    ds = load_tmx(SHARED / "tico19" / "all.en-ne.tmx")
    assert sum(q.lang == "en" for q in ds.queries.values()) == 3071
    assert sum(q.lang == "ne" for q in ds.queries.values()) == 3071
    assert len({doc.split(":")[0] for doc in ds.docs}) == 2 * 31


def _beir_with_romanized(tmp_path: Path, lines: list[str]) -> Path:
    folder = tmp_path / "beir"
    shutil.copytree(DATA / "beir", folder)
    (folder / "romanized.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_romanized_queries_get_their_own_directions(tmp_path: Path) -> None:
    line = json.dumps({"_id": "q2-rom", "of": "q2", "text": "ilam ma ke falchha?"})
    (ds,) = datasets.load_dataset(str(_beir_with_romanized(tmp_path, [line])))
    assert ds.queries["q2-rom"].lang == datasets.ROMANIZED
    assert ds.qrels["q2-rom"] == ds.qrels["q2"] == {"d4": 1}
    assert _labels(ds) == ["en→en", "en→ne", "ne→ne", "rom→ne", "mixed"]
    parts = {label: part for label, _, part in directions(ds)}
    assert sorted(parts["rom→ne"].queries) == ["q2-rom"]
    # The mixed pool keeps the en and ne questions only.
    assert sorted(parts["mixed"].queries) == ["q1", "q2"]


@pytest.mark.parametrize(
    "line",
    [
        '{"_id": "q9-rom", "of": "q9", "text": "ke ho"}',
        '{"_id": "q2-rom", "text": "ke ho"}',
        '{"_id": "q2-rom", "of": "q2", "text": ""}',
        "not json",
    ],
)
def test_romanized_file_errors(tmp_path: Path, line: str) -> None:
    with pytest.raises(DatasetError):
        datasets.load_dataset(str(_beir_with_romanized(tmp_path, [line])))


def test_builtin_romanized_questions() -> None:
    (ds,) = datasets.load_dataset("builtin")
    romanized = [q for q in ds.queries.values() if q.lang == datasets.ROMANIZED]
    assert len(romanized) == len([q for q in ds.queries.values() if q.lang == "ne"]) == 312
    assert {"rom→ne", "rom→en"} <= set(_labels(ds))
    assert all(ds.qrels[q.id] == ds.qrels[q.id.removesuffix("-rom") + "-ne"] for q in romanized)

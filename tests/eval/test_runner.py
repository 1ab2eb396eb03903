"""The benchmark runner and `xlsearch eval` with the real bundled models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import shared_or_skip
from xlsearch.cli import cli
from xlsearch.eval.datasets import Dataset, directions, load_dataset
from xlsearch.eval.report import RunResult
from xlsearch.eval.runner import EvalProgress, doc_run, keep_languages, run_eval, sample_queries
from xlsearch.types import Hit

pytestmark = pytest.mark.model


def _domain(ds: Dataset, domain: str) -> Dataset:
    """The built-in benchmark cut to the documents and queries of one domain."""
    docs = {k: d for k, d in ds.docs.items() if k.startswith(domain + "-")}
    queries = {k: q for k, q in ds.queries.items() if k.startswith(domain + "-")}
    qrels = {k: ds.qrels[k] for k in queries}
    return Dataset(f"builtin-{domain}", docs, queries, qrels)


@pytest.fixture(scope="module")
def eval_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("eval-home")


@pytest.fixture(scope="module")
def health_results(eval_home: Path) -> list[RunResult]:
    (builtin,) = load_dataset("builtin")
    seen: list[EvalProgress] = []
    with pytest.MonkeyPatch.context() as patch:
        home = eval_home
        patch.setenv("XLSEARCH_HOME", str(home))
        results = run_eval(
            [_domain(builtin, "health")],
            ["bm25", "monolingual", "multilingual", "hybrid"],
            progress=seen.append,
            max_queries=30,
        )
        assert not list((home / "eval-tmp").iterdir()), "scratch indexes are removed"
    assert any(p.phase.startswith("Indexing") for p in seen)
    assert any(p.phase.startswith("Searching") and p.done == p.total for p in seen)
    return results


def test_a_second_run_embeds_nothing_and_times_are_reported(
    health_results: list[RunResult], eval_home: Path
) -> None:
    for r in health_results:
        assert min(r.embed_documents_s, r.embed_queries_s, r.search_s, r.score_s) > 0
    (builtin,) = load_dataset("builtin")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XLSEARCH_HOME", str(eval_home))
        again = run_eval([_domain(builtin, "health")], max_queries=30)
    assert {r.embed_documents_s for r in again} == {0.0}
    assert {r.embed_queries_s for r in again} == {0.0}
    before = {(r.system, r.direction): r.metrics for r in health_results}
    assert {(r.system, r.direction): r.metrics for r in again} == before


def _get(results: list[RunResult], system: str, direction: str) -> RunResult:
    (found,) = [r for r in results if r.system == system and r.direction == direction]
    return found


def test_every_system_runs_every_direction(health_results: list[RunResult]) -> None:
    # rom→: the hand-romanized versions of the Nepali questions (romanized.jsonl).
    directions = {"en→en", "en→ne", "ne→en", "ne→ne", "rom→en", "rom→ne", "mixed"}
    systems = {"bm25", "monolingual", "multilingual", "hybrid"}
    assert {(r.system, r.direction) for r in health_results} == {
        (s, d) for s in systems for d in directions
    }
    for r in health_results:
        assert r.queries == 30
        assert r.documents == (70 if r.direction == "mixed" else 35)
        assert 0.0 <= r.metrics["ndcg@10"] <= 1.0
        assert r.index_seconds > 0 and r.index_bytes > 0
        assert r.latency_p95_ms >= r.latency_p50_ms > 0
        assert (r.language_bias is not None) == (r.direction == "mixed")


def test_multilingual_beats_monolingual_across_languages(health_results: list[RunResult]) -> None:
    for direction in ("en→ne", "ne→en"):
        multi = _get(health_results, "multilingual", direction).metrics["ndcg@10"]
        mono = _get(health_results, "monolingual", direction).metrics["ndcg@10"]
        assert multi > 0.6, (direction, multi)
        assert multi > mono + 0.3, (direction, multi, mono)
    p = _get(health_results, "multilingual", "en→ne").p_values["multilingual vs monolingual"]
    assert p < 0.01


def test_english_is_easy_for_both_dense_models(health_results: list[RunResult]) -> None:
    for system in ("monolingual", "multilingual"):
        assert _get(health_results, system, "en→en").metrics["mrr@10"] > 0.7


def test_bm25_cannot_cross_scripts(health_results: list[RunResult]) -> None:
    # An English query shares no word with a Devanagari passage.
    assert _get(health_results, "bm25", "en→ne").metrics["ndcg@10"] < 0.1
    assert _get(health_results, "bm25", "ne→ne").metrics["ndcg@10"] > 0.3


def test_romanized_questions_reach_nepali_passages(health_results: list[RunResult]) -> None:
    # Read in Devanagari, romanized questions find Nepali passages by keyword too.
    assert _get(health_results, "bm25", "rom→ne").metrics["ndcg@10"] > 0.3
    assert _get(health_results, "hybrid", "rom→ne").metrics["ndcg@10"] > 0.5


def test_doc_run_keeps_each_documents_best_chunk() -> None:
    def hit(path: str) -> Hit:
        return Hit(chunk_id=0, path=path, score=1.0, lang="en", text="", snippet="")

    run = doc_run([hit("a"), hit("b"), hit("a"), hit("c")], depth=2)
    assert run == {"a": 2.0, "b": 1.0}


def test_sample_queries_keeps_parallel_items_together() -> None:
    (builtin,) = load_dataset("builtin")
    en = sample_queries(builtin.subset("en", "en"), 12)
    ne = sample_queries(builtin.subset("ne", "ne"), 12)
    assert len(en.queries) == 12
    assert {q.removesuffix("-en") for q in en.queries} == {
        q.removesuffix("-ne") for q in ne.queries
    }


def test_keep_languages_drops_other_languages() -> None:
    (builtin,) = load_dataset("builtin")
    en_only = keep_languages(builtin, ["en"])
    assert {d.lang for d in en_only.docs.values()} == {"en"}
    assert {q.lang for q in en_only.queries.values()} == {"en"}


def _tiny_beir(root: Path) -> Path:
    docs = [
        ("d1", "Boil drinking water for one minute to kill germs.", "en"),
        ("d2", "पिउने पानी एक मिनेट उमालेर कीटाणु मार्नुहोस्।", "ne"),
        ("d3", "Apple trees in Jumla flower in spring.", "en"),
        ("d4", "जुम्लामा स्याउका रूखहरू वसन्तमा फुल्छन्।", "ne"),
    ]
    queries = [
        ("q1", "how long to boil water", "en", ["d1", "d2"]),
        ("q2", "स्याउ कहिले फुल्छ", "ne", ["d3", "d4"]),
    ]
    root.mkdir()
    with (root / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for doc_id, text, lang in docs:
            f.write(json.dumps({"_id": doc_id, "text": text, "lang": lang}) + "\n")
    with (root / "queries.jsonl").open("w", encoding="utf-8") as f:
        for qid, text, lang, _ in queries:
            f.write(json.dumps({"_id": qid, "text": text, "lang": lang}) + "\n")
    (root / "qrels").mkdir()
    lines = ["query-id\tcorpus-id\tscore"]
    lines += [f"{qid}\t{doc}\t1" for qid, _, _, rel in queries for doc in rel]
    (root / "qrels" / "test.tsv").write_text("\n".join(lines) + "\n")
    return root


def test_eval_command_prints_and_writes_reports(tmp_path: Path) -> None:
    data = _tiny_beir(tmp_path / "tiny")
    md, csv = tmp_path / "out" / "r.md", tmp_path / "r.csv"
    result = CliRunner().invoke(
        cli,
        [
            *("eval", str(data), "--system", "bm25", "--system", "multilingual"),
            *("--output", str(md), "--output", str(csv), "--json"),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["runs"]
    assert {(r["system"], r["direction"]) for r in rows} >= {
        ("multilingual", "en→ne"),
        ("bm25", "mixed"),
    }
    assert "| multilingual | ne→en |" in md.read_text(encoding="utf-8")
    assert csv.read_text(encoding="utf-8").startswith("dataset,system,direction,")


def test_eval_command_rejects_a_missing_dataset(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "nothing")])
    assert result.exit_code != 0
    assert "No dataset at" in str(result.exception) or "No dataset at" in result.output


@pytest.mark.shared
def test_flores_english_nepali_articles_load_for_eval() -> None:
    from xlsearch.eval.runner import load_datasets

    shared = shared_or_skip()
    (flores,) = load_datasets([str(shared / "flores200-dev")], ["en", "ne"])
    assert flores.languages() == ["en", "ne"]
    assert len(flores.docs) > 100
    assert {label for label, _, _ in directions(flores)} >= {"en→ne", "ne→en"}

"""Romanized Nepali queries end to end, with the real bundled model on the demo corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import REPO
from xlsearch.cli import cli
from xlsearch.engine import Engine
from xlsearch.search.options import SearchOptions

pytestmark = pytest.mark.model

SAMPLE = REPO / "tests" / "data" / "romanized_demo.tsv"


def demo_questions() -> list[tuple[str, str]]:
    """(romanized question, file that answers it), written by hand for the demo corpus."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line and not line.startswith("#")]  # type: ignore[misc]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, shared_models: Path) -> Engine:
    home = tmp_path_factory.mktemp("romanized-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    engine = Engine(home=home)
    engine.index([REPO / "assets" / "demo"])
    return engine


def rank_of(engine: Engine, query: str, wanted: str, romanized: bool = True) -> int:
    """The rank of ``wanted``'s first chunk in hybrid search (99 if not in the top 20)."""
    options = SearchOptions(k=20, romanized=romanized)
    files = list(dict.fromkeys(h.path for h in engine.search(query, options)))
    hits = [i for i, path in enumerate(files, start=1) if path.endswith(wanted)]
    return hits[0] if hits else 99


def test_springs_question_typed_in_latin_finds_the_springs_booklet(demo: Engine) -> None:
    query = "paani ko muhan kina sukdai cha"
    assert rank_of(demo, query, "research/pahadka_mul_ra_pani.epub") <= 2
    results = demo.find(query)
    assert results.query is not None and results.query.searched_as is not None
    # The booklet says मूल, not मुहान: the words the index does hold are read.
    assert "पानी" in results.query.searched_as and "सुक्दै" in results.query.searched_as


def test_the_reading_helps_on_a_hand_written_sample(demo: Engine) -> None:
    questions = demo_questions()
    assert len(questions) >= 15
    read = [rank_of(demo, q, wanted) for q, wanted in questions]
    typed = [rank_of(demo, q, wanted, romanized=False) for q, wanted in questions]
    top3_read = sum(r <= 3 for r in read)
    top3_typed = sum(r <= 3 for r in typed)
    assert top3_read >= 0.7 * len(questions), list(zip(questions, read, strict=True))
    assert top3_read > top3_typed


def test_english_questions_are_searched_as_typed(demo: Engine) -> None:
    for question in ("why are springs drying up in the hills", "how to register land"):
        results = demo.find(question)
        assert results.query is not None and results.query.readings == ()
        assert results.query.searched_as is None


def test_cli_says_how_the_query_was_read(demo: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XLSEARCH_HOME", str(demo.home))
    runner = CliRunner()
    plain = runner.invoke(cli, ["search", "paani ko mul"])
    assert plain.exit_code == 0, plain.output
    assert plain.output.startswith("searched as ") and "पानी" in plain.output.splitlines()[0]
    hits = json.loads(runner.invoke(cli, ["search", "--json", "paani ko mul"]).output)
    assert hits and all("पानी" in h["searched_as"] for h in hits)
    typed = json.loads(
        runner.invoke(cli, ["search", "--json", "--as-typed", "paani ko mul"]).output
    )
    assert all(h["searched_as"] is None for h in typed)
    english = json.loads(runner.invoke(cli, ["search", "--json", "springs drying"]).output)
    assert english and all(h["searched_as"] is None for h in english)

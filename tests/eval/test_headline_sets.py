"""The headline -> article sets built from the shared benchmark data (skipped without it)."""

from __future__ import annotations

import pytest

from xlsearch.eval.datasets import ROMANIZED, directions, shared_benchmarks
from xlsearch.eval.loaders.headlines import load_headlines

ROOT = shared_benchmarks()
pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason="no ../shared/benchmarks")


def test_halves_split_the_articles_and_pools_hold_one_language() -> None:
    tune = {ds.name: ds for ds in load_headlines(ROOT, "tune")}
    held = {ds.name: ds for ds in load_headlines(ROOT, "held")}
    both, english = tune["flores-headlines-tune"], tune["flores-headlines-tune-enonly"]
    assert not set(both.docs) & set(held["flores-headlines-held"].docs)
    labels = [label for label, _, _ in directions(both)]
    assert labels == ["en→en", "en→ne", "ne→en", "ne→ne", "mixed"]
    assert {d.lang for d in english.docs.values()} == {"en"}
    assert {q.lang for q in english.queries.values()} == {"en", "ne", ROMANIZED}
    # A headline's answer is the rest of its article, never the headline itself.
    query = next(q for q in both.queries.values() if q.lang == "en")
    (answer,) = (d for d in both.qrels[query.id] if d.startswith("en-"))
    assert query.text not in both.docs[answer].text
    typed = [q.text for q in english.queries.values() if q.lang == ROMANIZED]
    assert not any("\u0900" <= char <= "\u097f" for text in typed for char in text)

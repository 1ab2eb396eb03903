"""Degenerate text is told apart from ordinary text, Nepali and English, long and short."""

from __future__ import annotations

from xlsearch.chunk.degenerate import classify, sample
from xlsearch.types import Chunk

NEPALI = "पहाडमा खेती गर्न पानी चाहिन्छ। मुहान सुक्दै गएका छन्। गाउँका मानिसहरू चिन्तित छन्। "
ENGLISH = "Dengue spreads where water stands, so empty the pots near the house every week. "


def test_ordinary_text_is_not_degenerate() -> None:
    assert classify(NEPALI * 300) is None
    assert classify(ENGLISH * 300) is None
    assert classify("ok ok ok ok") is None  # short notes may repeat a word


def test_each_kind_of_degenerate_text_is_named() -> None:
    assert classify("नेपाल " * 5000) == "one word repeated"
    assert classify("data:" + "QUJDRGVmZ2hpamtsbW5vcA" * 500) == "encoded data (base64)"
    bundle = "function a(b,c){return b+c};var d=a(1,2);if(d){e(d,f(g))};" * 200
    assert classify(bundle) == "minified code"


def test_sample_keeps_distinct_texts_first_ones_first() -> None:
    chunks = [Chunk(t, "en", i) for i, t in enumerate(["a", "a", "b", "a", "c", "d", "e"])]
    assert sample(chunks, 3) == {0, 2, 4}

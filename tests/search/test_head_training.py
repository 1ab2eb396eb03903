"""Training pairs for query heads, from a dataset's judgements."""

from __future__ import annotations

from xlsearch.eval.datasets import Dataset, EvalDoc, EvalQuery
from xlsearch.search.head_training import pairs


def test_judged_pairs_split_by_language() -> None:
    docs = {"d1": EvalDoc("d1", "mosquito nets", "en"), "d2": EvalDoc("d2", "लामखुट्टे", "ne")}
    queries = {"q1": EvalQuery("q1", "stop mosquitoes", "en")}
    ds = Dataset("t", docs, queries, {"q1": {"d1": 1, "d2": 1}})
    mono, cross = pairs(ds)
    assert mono == [("stop mosquitoes", "mosquito nets")]
    assert cross == [("stop mosquitoes", "लामखुट्टे")]


def test_parallel_text_pairs_each_segment_with_itself() -> None:
    docs = {"en-1": EvalDoc("en-1", "fever", "en"), "ne-1": EvalDoc("ne-1", "ज्वरो", "ne")}
    queries = {"en:1": EvalQuery("en:1", "fever", "en"), "ne:1": EvalQuery("ne:1", "ज्वरो", "ne")}
    qrels = {"en:1": {"ne-1": 1}, "ne:1": {"en-1": 1}}
    mono, cross = pairs(Dataset("tmx", docs, queries, qrels))
    assert cross == [("fever", "ज्वरो"), ("ज्वरो", "fever")]
    assert mono == [("fever", "fever"), ("ज्वरो", "ज्वरो")]

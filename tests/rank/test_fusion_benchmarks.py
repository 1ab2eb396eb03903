"""The pure parts of the fusion benchmarks (``benchmarks/fusion_replay.py`` and
``fusion_per_index.py``): how pseudo-queries are cut from documents, how a calibration
grid is ordered, and how a grid of variants is summarised."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from xlsearch.eval.datasets import EvalDoc
from xlsearch.rank.policy import POLICY

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def per_index(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    module = importlib.import_module("fusion_per_index")
    yield module
    for name in ("fusion_per_index", "fusion_replay", "_common"):
        sys.modules.pop(name, None)


@pytest.fixture
def replay(per_index: ModuleType) -> ModuleType:
    return importlib.import_module("fusion_replay")


def test_first_sentence_and_the_rest_nepali(per_index: ModuleType) -> None:
    text = "काठमाडौंमा आज ठूलो पानी पर्‍यो। सडकहरू डुबे। विद्यालय बन्द भए।"
    first, rest = per_index.first_and_rest(text)
    assert first == "काठमाडौंमा आज ठूलो पानी पर्‍यो।"
    assert rest == "सडकहरू डुबे। विद्यालय बन्द भए।"


def test_no_pseudo_query_without_a_rest_or_from_a_short_first_sentence(
    per_index: ModuleType,
) -> None:
    assert per_index.first_and_rest("Only one sentence here with words.") is None
    assert per_index.first_and_rest("Abstract. The study measured rainfall.") is None
    found = per_index.first_and_rest("Rain fell in the valley. Roads flooded.")
    assert found == ("Rain fell in the valley.", "Roads flooded.")


def test_pseudo_queries_are_a_fixed_sample(per_index: ModuleType) -> None:
    docs = {
        f"d{i}": EvalDoc(f"d{i}", f"Sentence number {i} of a document. The rest {i}.", "en")
        for i in range(10)
    }
    docs["short"] = EvalDoc("short", "One sentence only and nothing more", "en")
    first = per_index.pseudo_queries(docs, 4)
    assert len(first) == 4
    assert first == per_index.pseudo_queries(dict(reversed(docs.items())), 4)
    assert "short" not in per_index.pseudo_queries(docs, 20)


def test_grid_puts_the_shipped_point_first(per_index: ModuleType) -> None:
    shipped = (POLICY.keyword_weight, POLICY.standout_gain)
    assert per_index.GRID[0] == shipped
    assert shipped in per_index.NARROW
    assert all(gain == POLICY.standout_gain for _, gain in per_index.NARROW)
    policy = per_index.policy_at((0.8, 0.5))
    assert (policy.keyword_weight, policy.standout_gain, policy.max_keyword_weight) == (
        0.8,
        0.5,
        0.8,
    )


def test_summary_means_and_worst_shortfall(replay: ModuleType) -> None:
    runs = {
        "bm25": {"a": {"en→en": 0.5, "rom→en": 0.1}, "b": {"ne→ne": 0.8}},
        "meaning": {"a": {"en→en": 0.9, "rom→en": 0.5}, "b": {"ne→ne": 0.6}},
        "fused": {"a": {"en→en": 0.95, "rom→en": 0.0}, "b": {"ne→ne": 0.75}},
    }
    found = replay.summary(runs)
    # Romanized directions are left out: (0.95 + 0.75) / 2, and 0.8 - 0.75 short.
    assert found["fused"] == pytest.approx((0.85, 0.05))
    assert found["meaning"] == pytest.approx((0.75, 0.2))
    assert found["bm25"] == pytest.approx((0.65, 0.4))

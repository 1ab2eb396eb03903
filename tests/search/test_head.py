"""Query heads: the map, saving and loading by name, and clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from xlsearch.errors import XlsearchError
from xlsearch.eval.systems import comparisons, resolve_systems, system_named
from xlsearch.search.head import Head, SavedHead, heads_dir, load_head, saved_heads


def _head() -> Head:
    # A = e0 (1x... column), B = e1: q -> q + q[0] * e1, then unit length.
    down = np.array([[1.0], [0.0], [0.0]], dtype=np.float32)
    up = np.array([[0.0], [1.0], [0.0]], dtype=np.float32)
    return Head(down, up, "e5", {"arm": "hybrid"})


def test_the_map_is_hand_computed() -> None:
    mapped = _head().apply(np.array([0.6, 0.0, 0.8], dtype=np.float32))
    # (0.6, 0.6, 0.8) / |(0.6, 0.6, 0.8)| = / sqrt(1.36)
    assert mapped[0] == pytest.approx(np.array([0.6, 0.6, 0.8]) / np.sqrt(1.36), rel=1e-6)
    assert _head().apply(np.array([0.0, 0.0, 1.0]))[0] == pytest.approx([0, 0, 1])


def test_a_head_saves_and_loads_by_name(tmp_path: Path) -> None:
    folder = _head().save(tmp_path, "news-hybrid")
    assert folder == tmp_path / "heads" / "news-hybrid"
    back = load_head(tmp_path, "news-hybrid", "e5")
    assert back.info == {"arm": "hybrid"}
    assert back.apply(np.array([0.6, 0.0, 0.8]))[0] == pytest.approx(
        _head().apply(np.array([0.6, 0.0, 0.8]))[0]
    )
    with pytest.raises(XlsearchError, match="trained for 'e5'"):
        load_head(tmp_path, "news-hybrid", "other-model")
    with pytest.raises(XlsearchError, match="No head named 'nope'"):
        load_head(tmp_path, "nope", "e5")
    with pytest.raises(XlsearchError, match="not a usable head name"):
        load_head(tmp_path, "../etc", "e5")


def test_head_systems_parse_and_are_tested_against_their_base() -> None:
    system = system_named("multilingual+head:tico")
    assert (system.mode, system.head) == ("dense", "tico")
    chosen = resolve_systems(["multilingual", "multilingual+head:tico"], None)
    assert ("multilingual+head:tico", "multilingual") in comparisons(chosen)
    for bad in ("monolingual+head:x", "bm25+head:x", "multilingual+head:", "bm2"):
        with pytest.raises(XlsearchError, match="Unknown system"):
            system_named(bad)


def test_saved_heads_are_listed_by_name_with_their_arm(tmp_path: Path) -> None:
    assert saved_heads(tmp_path) == []
    _head().save(tmp_path, "tico")
    Head(_head().down, _head().up, "other", {}).save(tmp_path, "older")
    (heads_dir(tmp_path) / ".pairs").mkdir()  # the training cache, not a head
    (heads_dir(tmp_path) / "half").mkdir()  # being written: no head.json yet
    (heads_dir(tmp_path) / "half" / "head.npz").write_bytes(b"")
    assert saved_heads(tmp_path) == [
        SavedHead("older", "other", ""),
        SavedHead("tico", "e5", "hybrid"),
    ]

"""Preparing the OpenVINO encoder on first indexing (a minute or more, once per machine)
is told step by step through indexing's own progress callback, before the vectors.

The build is the session's one (``openvino_prepared`` in conftest.py): the first
indexing with ``document_encoder = openvino`` in the shared models folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.embed.conftest import Prepared
from xlsearch.config import Settings
from xlsearch.embed.encoder_choice import Manifest
from xlsearch.embed.encoder_gate import shipped_text
from xlsearch.embed.registry import openvino_dir
from xlsearch.engine import Engine
from xlsearch.eval.datasets import builtin_path
from xlsearch.progress import ENCODER_PHASE
from xlsearch.tui.screens.index import progress_line
from xlsearch.types import IndexProgress

pytestmark = pytest.mark.model


def test_first_indexing_tells_each_step_of_preparing_the_encoder_in_order(
    openvino_prepared: Prepared, xlsearch_home: Path
) -> None:
    events = openvino_prepared.events
    told = [e for e in events if e.phase == "encoder"]
    steps = [e for e in told if e.files_total]  # the float copy's note has no count
    probe = len(shipped_text(builtin_path()).passages)
    # ``auto`` tries int8 weights first, built here for the first time.
    assert Manifest(openvino_dir(xlsearch_home)).data["decisions"]["auto"]["tried"][0] == (
        "int8-weights"
    )
    assert [e.current for e in steps[:4]] == [
        f"encoding {probe} probe passages with torch",
        "converting the model to OpenVINO (int8-weights)",
        "compressing its weights to int8",
        "checking quality against torch (openvino-int8-weights)",
    ]
    assert [e.files_done for e in steps[:4]] == [0, 1, 2, 3]
    assert steps[0].files_total >= 4
    totals = [e.files_total for e in steps]
    assert totals == sorted(totals)  # the plan only grows (a refused variant adds steps)
    last = told[-1]
    assert last.current == f"done: passages go through {openvino_prepared.encoder}"
    assert last.files_done == last.files_total
    # All of it before the first vectors, as the CLI's bar and the app's screen show it.
    phases = [e.phase for e in events]
    assert "embedding" in phases
    assert max(i for i, p in enumerate(phases) if p == "encoder") < phases.index("embedding")
    line = progress_line(steps[1])
    assert line == (
        f"{ENCODER_PHASE}: converting the model to OpenVINO (int8-weights)…"
        f" (step 2 of {steps[1].files_total})"
    )


def test_once_decided_indexing_tells_no_preparation(
    openvino_prepared: Prepared, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("Dengue spreads where water stands.\n", encoding="utf-8")
    events: list[IndexProgress] = []
    engine = Engine(settings=Settings(document_encoder="openvino"))
    report = engine.index([notes], progress=events.append)
    engine.close()
    assert report.embedded == 1
    assert "embedding" in {e.phase for e in events}
    assert "encoder" not in {e.phase for e in events}
    assert engine.models.encoder() == openvino_prepared.encoder

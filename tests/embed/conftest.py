"""The OpenVINO document encoder, prepared once per session by a first indexing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from xlsearch.types import IndexProgress


@dataclass
class Prepared:
    """The encoder ``auto`` chose here, and every progress event of the indexing that
    built and gated it."""

    encoder: str
    events: list[IndexProgress]


@pytest.fixture(scope="session")
def openvino_prepared(shared_models: Path, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A first indexing with ``document_encoder = openvino`` in the session's shared
    models folder: it builds and gates the variant ``auto`` quantisation picks (once),
    which the other OpenVINO tests then use."""
    from xlsearch.config import Settings
    from xlsearch.engine import Engine

    home = tmp_path_factory.mktemp("openvino-home")
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    notes = tmp_path_factory.mktemp("openvino-notes")
    (notes / "note.txt").write_text("पहाडमा खेती गर्न पानी चाहिन्छ। Water for the hills.\n")
    events: list[IndexProgress] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        engine = Engine(home=home, settings=Settings(document_encoder="openvino"))
        engine.index([notes], progress=events.append)
        encoder = engine.models.encoder()
        engine.close()
    return Prepared(encoder, events)

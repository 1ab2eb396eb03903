"""Shared fixtures: every test gets its own XLSEARCH_HOME; real models load once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def torch_documents() -> Iterator[None]:
    """Passages through torch unless a test asks for OpenVINO (tests/embed/
    test_openvino_encoder.py), so other tests need not wait for an OpenVINO build; for
    the whole session, so module and session fixtures that index see it too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XLSEARCH_DOCUMENT_ENCODER", "torch")
        yield


@pytest.fixture(scope="session")
def shared_models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One models folder for the session, so the float e5 copy is made once."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(autouse=True)
def xlsearch_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_models: Path
) -> Iterator[Path]:
    """A fresh state directory per test, so no test sees another's index."""
    home = tmp_path / "xlsearch-home"
    home.mkdir()
    (home / "models").symlink_to(shared_models, target_is_directory=True)
    monkeypatch.setenv("XLSEARCH_HOME", str(home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    yield home


def shared_or_skip() -> Path:
    """The real benchmark data beside the repo, or skip (a user's clone has none)."""
    if not SHARED.is_dir() or os.environ.get("XLSEARCH_NO_SHARED"):
        pytest.skip("../shared/benchmarks is not present")
    return SHARED
